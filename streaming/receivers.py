"""How streaming follows the changes of the layers below, by their signals. Each receiver only
writes a wish inside the sender's transaction; Zoom is called by the task after commit."""

from registrations.models import Status
from streaming.zoom import sync


def meeting_wanted(sender, event, now, **kwargs):
    sync.request_meeting(event, now=now)


def meeting_unwanted(sender, event, now, **kwargs):
    sync.drop_meeting(event, now=now)


def registration_changed(sender, registration, previous_status, now, **kwargs):
    if registration.status == Status.CONFIRMED:
        sync.request_registrant(registration, now=now)
    elif previous_status == Status.CONFIRMED:
        sync.withdraw_registrant(registration, now=now)


def connect() -> None:
    from events.signals import event_cancelled, event_moved, event_published
    from registrations.signals import registration_status_changed

    event_published.connect(meeting_wanted, dispatch_uid="streaming.meeting_on_publish")
    event_moved.connect(meeting_wanted, dispatch_uid="streaming.meeting_on_move")
    event_cancelled.connect(meeting_unwanted, dispatch_uid="streaming.meeting_on_cancel")
    registration_status_changed.connect(registration_changed, dispatch_uid="streaming.registrant")
