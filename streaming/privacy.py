"""Streaming's part of data protection: who joined the Zoom meeting, under which name and address,
and when they came and went.

Registrations owns the rules and sends the signals (registrations/privacy/services.py). When an
event's data expires, or a citizen has their address erased, the attendance rows lose name,
address, Zoom's identifiers and times: only that a stay happened stays, for the counts."""

from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat

from registrations.privacy.services import address_data_requested, address_erasure_requested, event_data_expired
from streaming.attendance import online_attendance
from streaming.models import Attendance


def erase_attendance(rows) -> int:
    return rows.exclude(participant_key__startswith="erased:").update(
        name="",
        email="",
        registrant_id="",
        # The key names the stay in two unique indexes; a new key per row keeps them apart.
        participant_key=Concat(Value("erased:"), Cast("pk", CharField())),
        joined_at=None,
        left_at=None,
    )


def on_event_data_expired(sender, event, now, dry_run=False, **kwargs) -> dict:
    rows = Attendance.objects.filter(meeting__event=event).exclude(participant_key__startswith="erased:")
    return {"zoom_attendance": rows.count() if dry_run else erase_attendance(rows)}


def on_address_data_requested(sender, address, **kwargs) -> dict:
    rows = list(
        Attendance.objects.filter(Q(email__iexact=address) | Q(registration__email_normalized=address))
        .select_related("meeting__event")
        .order_by("joined_at", "pk")
    )
    minutes = online_attendance(sorted({row.meeting.event_id for row in rows}))
    return {
        "zoom_attendance": [
            {
                "event": row.meeting.event.title_de,
                "name_in_zoom": row.name,
                "email_in_zoom": row.email,
                "joined_at": row.joined_at.isoformat() if row.joined_at else None,
                "left_at": row.left_at.isoformat() if row.left_at else None,
                "minutes_attended_at_this_event": minutes[row.registration_id].minutes
                if row.registration_id in minutes
                else None,
            }
            for row in rows
        ]
    }


def on_address_erasure_requested(sender, address, now, **kwargs) -> dict:
    # Registrations are erased before this signal: their stays are found by the erasure mark.
    rows = Attendance.objects.filter(Q(email__iexact=address) | Q(registration__personal_data_erased_at__isnull=False))
    return {"zoom_attendance": erase_attendance(rows)}


def connect() -> None:
    event_data_expired.connect(on_event_data_expired, weak=False, dispatch_uid="streaming.privacy.expired")
    address_data_requested.connect(on_address_data_requested, weak=False, dispatch_uid="streaming.privacy.export")
    address_erasure_requested.connect(on_address_erasure_requested, weak=False, dispatch_uid="streaming.privacy.erase")
