"""Zoom's webhooks: the URL validation challenge, and meeting start, end, joins and leaves.

Every request must carry a valid `x-zm-signature` over its raw body and a timestamp at most five
minutes off; anything else is answered 401 and nothing is recorded. The validation challenge is
signed too: answering unsigned challenges would hand out our HMAC of any text, including texts
shaped like a signed webhook. Recording is a few indexed writes, well within Zoom's three
seconds, and idempotent, because Zoom delivers a webhook again when an answer is late.
"""

import hmac
import json
import logging
import time
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.addresses import normalize_email
from registrations.models import Registration, Status
from streaming.models import Attendance, MatchedBy, ZoomMeeting, ZoomRegistrant
from streaming.zoom.signatures import url_validation_token, webhook_signature

logger = logging.getLogger(__name__)

TIMESTAMP_WINDOW_SECONDS = 300


def signature_valid(secret: str, timestamp: str, body: bytes, signature: str, *, now: float) -> bool:
    if not timestamp.isdigit():
        return False
    sent_at = int(timestamp)
    if sent_at > 10**11:  # milliseconds
        sent_at //= 1000
    if abs(now - sent_at) > TIMESTAMP_WINDOW_SECONDS:
        return False
    return hmac.compare_digest(webhook_signature(secret, timestamp, body), signature)


@csrf_exempt
@require_POST
def zoom_webhook(request):
    secret = settings.ZOOM_WEBHOOK_SECRET
    if not secret:
        return JsonResponse({"code": "webhooks_off", "detail": "No webhook secret is configured."}, status=404)
    body = request.body
    timestamp = request.headers.get("x-zm-request-timestamp", "")
    if not signature_valid(secret, timestamp, body, request.headers.get("x-zm-signature", ""), now=time.time()):
        return JsonResponse({"code": "invalid_signature", "detail": "Signature or timestamp not valid."}, status=401)
    try:
        message = json.loads(body)
        event = message["event"]
        payload = message.get("payload") or {}
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"code": "invalid_body", "detail": "Not a Zoom webhook."}, status=400)
    if event == "endpoint.url_validation":
        plain = str(payload.get("plainToken", ""))
        return JsonResponse({"plainToken": plain, "encryptedToken": url_validation_token(secret, plain)})
    record_webhook(event, payload, now=timezone.now())
    return HttpResponse(status=204)


def record_webhook(event: str, payload: dict, *, now: datetime) -> None:
    """Record what we follow; anything else (other events, unknown meetings) is acknowledged
    and dropped, so Zoom does not keep retrying it."""
    obj = payload.get("object") or {}
    meeting = meeting_of(obj)
    if meeting is None:
        return
    if event == "meeting.started":
        started = zoom_time(obj.get("start_time")) or now
        ZoomMeeting.objects.filter(pk=meeting.pk, started_at__isnull=True).update(started_at=started)
    elif event == "meeting.ended":
        ZoomMeeting.objects.filter(pk=meeting.pk).update(ended_at=zoom_time(obj.get("end_time")) or now)
    elif event == "meeting.participant_joined":
        record_join(meeting, obj.get("participant") or {}, now=now)
    elif event == "meeting.participant_left":
        record_leave(meeting, obj.get("participant") or {}, now=now)


def meeting_of(obj: dict) -> ZoomMeeting | None:
    try:
        meeting_id = int(obj.get("id"))
    except (TypeError, ValueError):
        return None
    return ZoomMeeting.objects.select_related("event").filter(meeting_id=meeting_id).first()


def participant_key(participant: dict) -> str:
    return str(participant.get("participant_uuid") or participant.get("user_id") or participant.get("id") or "")[:128]


def identity(meeting: ZoomMeeting, participant: dict) -> dict:
    """Who the participant is, as far as Zoom says and our registrations tell."""
    registrant_id = str(participant.get("registrant_id") or "")
    email = str(participant.get("email") or "")
    registration, matched_by = match_registration(meeting, registrant_id, email)
    return {
        "registration": registration,
        "name": str(participant.get("user_name") or "")[:200],
        "email": email[:254],
        "registrant_id": registrant_id[:64],
        "matched_by": matched_by,
    }


def record_join(meeting: ZoomMeeting, participant: dict, *, now: datetime) -> None:
    key = participant_key(participant)
    if not key:
        return
    joined_at = zoom_time(participant.get("join_time")) or now
    try:
        with transaction.atomic():
            # The leave of this stay may have come first (Zoom does not keep the order).
            early_leave = (
                Attendance.objects.select_for_update()
                .filter(meeting=meeting, participant_key=key, joined_at__isnull=True, left_at__gte=joined_at)
                .order_by("left_at")
                .first()
            )
            if early_leave is not None:
                early_leave.joined_at = joined_at
                early_leave.save(update_fields=["joined_at"])
                return
            Attendance.objects.get_or_create(
                meeting=meeting, participant_key=key, joined_at=joined_at, defaults=identity(meeting, participant)
            )
    except IntegrityError:
        pass  # the same join delivered twice at the same moment: recorded once by the other request


def record_leave(meeting: ZoomMeeting, participant: dict, *, now: datetime) -> None:
    """Close the participant's latest open stay that began before the leave; a leave that is
    already recorded (a redelivery) changes nothing."""
    key = participant_key(participant)
    if not key:
        return
    left_at = zoom_time(participant.get("leave_time")) or now
    try:
        with transaction.atomic():
            stays = Attendance.objects.select_for_update().filter(meeting=meeting, participant_key=key)
            if stays.filter(left_at=left_at).exists():
                return
            open_stay = stays.filter(left_at__isnull=True, joined_at__lte=left_at).order_by("-joined_at").first()
            if open_stay is not None:
                open_stay.left_at = left_at
                open_stay.save(update_fields=["left_at"])
            else:
                Attendance.objects.create(
                    meeting=meeting, participant_key=key, left_at=left_at, **identity(meeting, participant)
                )
    except IntegrityError:
        pass  # the same leave delivered twice at the same moment


def match_registration(meeting: ZoomMeeting, registrant_id: str, email: str) -> tuple[Registration | None, str]:
    """By the Zoom registrant ID we stored, else by e-mail among the event's registrations."""
    if registrant_id:
        row = (
            ZoomRegistrant.objects.select_related("registration")
            .filter(meeting=meeting, registrant_id=registrant_id)
            .first()
        )
        if row is not None:
            return row.registration, MatchedBy.REGISTRANT_ID
    if email:
        registration = (
            Registration.objects.filter(event=meeting.event, email_normalized=normalize_email(email))
            .exclude(status=Status.CANCELLED)
            .first()
        )
        if registration is not None:
            return registration, MatchedBy.EMAIL
    return None, MatchedBy.NONE


def zoom_time(value) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_datetime(value.replace("Z", "+00:00"))
    except ValueError:
        return None
