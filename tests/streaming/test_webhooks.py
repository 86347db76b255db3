"""Zoom's webhooks: signed, fresh, recorded once."""

import hashlib
import hmac
import json
import time

import pytest

from streaming.models import Attendance, MatchedBy
from streaming.zoom.sync import sync_due

from .conftest import WEBHOOK_SECRET

pytestmark = pytest.mark.django_db
URL = "/streaming/zoom/webhook"


def post(client, body: bytes, headers: dict):
    return client.post(URL, body, content_type="application/json", headers=headers)


def joined(zoom, meeting, **participant):
    values = {"user_id": "1", "user_name": "Gast", "participant_uuid": "uuid-1", "join_time": "2030-05-04T16:01:00Z"}
    return zoom.signed_webhook(
        "meeting.participant_joined",
        {**zoom.meeting_object(meeting.meeting_id), "participant": {**values, **participant}},
    )


def test_the_url_validation_challenge_is_answered_with_the_hmac_of_the_token(client, zoom):
    body, headers = zoom.signed_webhook("endpoint.url_validation", {})
    body = json.dumps(
        {"event": "endpoint.url_validation", "payload": {"plainToken": "qgg8vlvZRS6UYooatFL8Aw"}}
    ).encode()
    stamp = headers["x-zm-request-timestamp"]
    headers["x-zm-signature"] = (
        "v0=" + hmac.new(WEBHOOK_SECRET.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    )
    answer = post(client, body, headers)
    assert answer.status_code == 200
    expected = hmac.new(WEBHOOK_SECRET.encode(), b"qgg8vlvZRS6UYooatFL8Aw", hashlib.sha256).hexdigest()
    assert answer.json() == {"plainToken": "qgg8vlvZRS6UYooatFL8Aw", "encryptedToken": expected}


def test_an_unsigned_challenge_is_refused_so_nobody_can_borrow_our_hmac(client, zoom):
    body = json.dumps({"event": "endpoint.url_validation", "payload": {"plainToken": "v0:1:{}"}}).encode()
    assert post(client, body, {"x-zm-request-timestamp": str(int(time.time()))}).status_code == 401


@pytest.mark.parametrize(
    "spoil",
    [
        lambda body, headers: (body, {**headers, "x-zm-signature": "v0=" + "0" * 64}),
        lambda body, headers: (body.replace(b"Gast", b"Gast2"), headers),
        lambda body, headers: (body, {k: v for k, v in headers.items() if k != "x-zm-signature"}),
        lambda body, headers: (body, {**headers, "x-zm-request-timestamp": str(int(time.time()) + 1)}),
    ],
    ids=["wrong signature", "body changed", "no signature", "other timestamp"],
)
def test_a_bad_signature_is_refused_and_nothing_recorded(client, zoom, meeting, spoil):
    body, headers = spoil(*joined(zoom, meeting))
    assert post(client, body, headers).status_code == 401
    assert not Attendance.objects.exists()


def test_a_correctly_signed_but_stale_webhook_is_refused(client, zoom, meeting):
    body, headers = zoom.signed_webhook(
        "meeting.started", zoom.meeting_object(meeting.meeting_id), timestamp=int(time.time()) - 301
    )
    assert post(client, body, headers).status_code == 401
    meeting.refresh_from_db()
    assert meeting.started_at is None


def test_a_join_delivered_twice_is_recorded_once_and_matched_by_email(client, zoom, meeting, register):
    person = register(meeting.event)
    body, headers = joined(zoom, meeting, email=person.email.upper())
    assert post(client, body, headers).status_code == 204
    assert post(client, body, headers).status_code == 204
    join = Attendance.objects.get()
    assert join.registration == person and join.matched_by == MatchedBy.EMAIL


def test_a_stranger_is_recorded_without_a_registration(client, zoom, meeting):
    assert post(client, *joined(zoom, meeting, email="fremd@example.org")).status_code == 204
    assert Attendance.objects.get().registration is None


def test_meeting_start_and_end_are_recorded(client, zoom, meeting):
    started = {**zoom.meeting_object(meeting.meeting_id), "start_time": "2030-05-04T16:00:05Z"}
    assert post(client, *zoom.signed_webhook("meeting.started", started)).status_code == 204
    ended = {**started, "end_time": "2030-05-04T18:31:00Z"}
    assert post(client, *zoom.signed_webhook("meeting.ended", ended)).status_code == 204
    meeting.refresh_from_db()
    assert meeting.started_at.isoformat() == "2030-05-04T16:00:05+00:00"
    assert meeting.ended_at.isoformat() == "2030-05-04T18:31:00+00:00"


def test_webhooks_about_unknown_meetings_are_acknowledged_and_dropped(client, zoom, meeting):
    obj = {**zoom.meeting_object(meeting.meeting_id), "id": "999"}
    assert post(client, *zoom.signed_webhook("meeting.started", obj)).status_code == 204
    meeting.refresh_from_db()
    assert meeting.started_at is None


@pytest.mark.django_db(transaction=True)
def test_the_stub_s_personal_link_reports_the_join_over_http(zoom, make_event, register, now, webhook_receiver):
    import requests

    event = make_event()
    person = register(event)
    sync_due(now=now)
    person.refresh_from_db()
    assert requests.get(person.personal_join_url, timeout=5).status_code == 200
    assert webhook_receiver.wait_until(Attendance.objects.exists)
    join = Attendance.objects.get()
    assert join.registration == person and join.matched_by == MatchedBy.REGISTRANT_ID
