"""What happens to registrations when their event is moved, postponed or cancelled, or its access
data changes. Connected to the signals of `events` (which may not import this layer) and run in
the transaction of the change, so every registrant is told or nobody's event changed."""

from events.services import public_place, record_audit
from events.signals import access_data_changed, event_cancelled, event_moved, event_postponed
from registrations import services
from registrations.mail import notices
from registrations.models import MailKind, Registration, SeatType, Status
from registrations.signals import personal_join_url_changed


def on_event_moved(sender, event, previous, actor, now, note="", **kwargs):
    services.reseat_after_move(event, now=now)
    # A new date deserves a new reminder.
    event.registrations.update(reminder_sent_at=None)
    facts = {
        "previous_starts_at": previous["starts_at"].isoformat(),
        "previous_place": previous["place"],
        "place": public_place(event),
        "note": note,
    }
    mails = notices.tell_everyone(event, MailKind.EVENT_MOVED, now=now, facts=facts)
    record_audit(
        "event.registrants_told",
        actor=actor,
        now=now,
        event=event,
        target=event,
        data={"kind": MailKind.EVENT_MOVED, "mails": len(mails)},
    )


def on_event_cancelled(sender, event, actor, now, note="", **kwargs):
    mails = notices.tell_everyone(event, MailKind.EVENT_CANCELLED, now=now, facts={"note": note})
    record_audit(
        "event.registrants_told",
        actor=actor,
        now=now,
        event=event,
        target=event,
        data={"kind": MailKind.EVENT_CANCELLED, "mails": len(mails)},
    )


def on_event_postponed(sender, event, actor, now, note="", **kwargs):
    mails = notices.tell_everyone(event, MailKind.EVENT_POSTPONED, now=now, facts={"note": note})
    record_audit(
        "event.registrants_told",
        actor=actor,
        now=now,
        event=event,
        target=event,
        data={"kind": MailKind.EVENT_POSTPONED, "mails": len(mails)},
    )


def on_access_data_changed(sender, event, actor, now, data_changed=True, **kwargs):
    """Those who have the old data get the new data; those whose time has come get it now."""
    online = Registration.objects.filter(event=event, seat_type=SeatType.ONLINE, status=Status.CONFIRMED)
    for registration in online.select_related("event"):
        registration.event = event
        if registration.access_data_sent_at is None:
            notices.send_access_data_if_due(registration, now=now)
        elif data_changed:
            notices.send_access_data_if_due(registration, now=now, updated=True)


def on_personal_join_url_changed(sender, registration, now, **kwargs):
    """Streaming stored this person's own Zoom link: send it, or send it again if the mail with
    the event's data already went."""
    registration = Registration.objects.select_related("event").get(pk=registration.pk)
    notices.send_access_data_if_due(registration, now=now, updated=registration.access_data_sent_at is not None)


def connect() -> None:
    event_moved.connect(on_event_moved, weak=False, dispatch_uid="registrations.event_moved")
    event_cancelled.connect(on_event_cancelled, weak=False, dispatch_uid="registrations.event_cancelled")
    event_postponed.connect(on_event_postponed, weak=False, dispatch_uid="registrations.event_postponed")
    access_data_changed.connect(on_access_data_changed, weak=False, dispatch_uid="registrations.access_data")
    personal_join_url_changed.connect(
        on_personal_join_url_changed, weak=False, dispatch_uid="registrations.personal_join_url"
    )
