"""How streaming follows the changes of the layers below, by their signals. Each receiver only
writes a wish inside the sender's transaction; Zoom is called by the task after commit."""

from events.signals import event_cancelled, event_moved, event_published
from registrations.models import SeatType, Status
from registrations.signals import registration_status_changed
from streaming.zoom import sync


def meeting_wanted(sender, event, now, **kwargs):
    sync.request_meeting(event, now=now)


def meeting_unwanted(sender, event, now, **kwargs):
    sync.drop_meeting(event, now=now)


def registration_changed(sender, registration, previous_status, now, previous_seat_type=None, **kwargs):
    """A confirmed online seat is a Zoom registrant; one that is no longer confirmed, or switched
    to on site while staying confirmed, is withdrawn."""
    held_online_seat = previous_status == Status.CONFIRMED and previous_seat_type in (None, SeatType.ONLINE)
    if registration.status == Status.CONFIRMED and registration.seat_type == SeatType.ONLINE:
        sync.request_registrant(registration, now=now)
    elif held_online_seat:
        sync.withdraw_registrant(registration, now=now)


def connect() -> None:
    event_published.connect(meeting_wanted, dispatch_uid="streaming.meeting_on_publish")
    event_moved.connect(meeting_wanted, dispatch_uid="streaming.meeting_on_move")
    event_cancelled.connect(meeting_unwanted, dispatch_uid="streaming.meeting_on_cancel")
    registration_status_changed.connect(registration_changed, dispatch_uid="streaming.registrant")
