"""Which mail a change causes. Each function runs inside the transaction of the change, so the
mail is queued exactly when the change commits. People without an e-mail address get no row:
they are on the call list instead."""

from datetime import datetime, timedelta

from django.db.models import F

from events.models import Event, EventStatus
from registrations.mail.calendar import CANCEL, REQUEST
from registrations.models import MailKind, OutboxMail, Registration, SeatType, Status
from registrations.outbox.queue import new_mail, queue, queue_many

KIND_FOR_STATUS = {
    Status.CONFIRMED: MailKind.CONFIRMED,
    Status.WAITLISTED: MailKind.WAITLISTED,
    Status.PENDING: MailKind.PENDING,
}


def expect_calendar_entries(registrations: list[Registration]) -> None:
    """New registrations, before they are written: who gets a calendar entry with the mail of
    `tell_received` holds it from the start, so that noting it costs no statement of its own."""
    for registration in registrations:
        method = calendar_method(registration, KIND_FOR_STATUS[registration.status])
        registration.holds_calendar_entry = bool(registration.email) and method == REQUEST


def tell_received(registrations: list[Registration], *, now: datetime) -> None:
    """New registrations: confirmed, waitlisted (with position) or pending until the deadline."""
    addressed = [r for r in registrations if r.email]
    mails = [registration_mail(r, KIND_FOR_STATUS[r.status], now=now) for r in addressed]
    note_calendar_entries(addressed, mails)
    queue_many(mails)
    for registration in registrations:
        send_access_data_if_due(registration, now=now)


def tell_seated(registration: Registration, *, now: datetime, promoted: bool) -> None:
    """After allocation at the deadline, or moved up from the waiting list."""
    raise_sequence(registration)
    tell(registration, MailKind.PROMOTED if promoted else KIND_FOR_STATUS[registration.status], now=now)
    send_access_data_if_due(registration, now=now)


def tell_cancelled(registration: Registration, *, by_organiser: bool, now: datetime, reason: str = "") -> None:
    """`reason`: only for seats released by a rule (registrations/reconfirmation.py), which the mail explains."""
    raise_sequence(registration)
    facts = {"by": "organiser" if by_organiser else ("system" if reason else "citizen")}
    if reason:
        facts["reason"] = reason
    tell(registration, MailKind.CANCELLED, now=now, facts=facts)


def tell_changed(registration: Registration, *, by_organiser: bool, now: datetime, facts: dict) -> None:
    """A switch of seat type or new details: a new calendar entry, and the access data where an
    online seat is now confirmed."""
    raise_sequence(registration)
    tell(registration, MailKind.CHANGED, now=now, facts={"by": "organiser" if by_organiser else "citizen", **facts})
    send_access_data_if_due(registration, now=now)


# However often someone registers a person again, its address gets at most one such mail in this time.
ALREADY_REGISTERED_MAIL_EVERY = timedelta(hours=1)


def tell_already_registered(registration: Registration, *, now: datetime) -> None:
    """Someone registered this person again; the answer they saw was neutral. The address gets
    the link to its registration (not the one who typed it: they may not own the address)."""
    recent = OutboxMail.objects.filter(
        registration=registration,
        kind=MailKind.ALREADY_REGISTERED,
        created_at__gt=now - ALREADY_REGISTERED_MAIL_EVERY,
    )
    if registration.status != Status.CANCELLED and not recent.exists():
        tell(registration, MailKind.ALREADY_REGISTERED, now=now)


def tell_again(registration: Registration, *, now: datetime) -> None:
    """The mail of the registration's place once more, with the personal link (the first was lost,
    or the address changed). It carries the current state and the calendar entry at the current
    SEQUENCE, so it replaces nothing in a calendar but can stand in for every earlier mail."""
    if registration.status == Status.OFFERED:
        expires_at = registration.offer_expires_at.isoformat() if registration.offer_expires_at else ""
        tell(registration, MailKind.SEAT_OFFERED, now=now, facts={"again": True, "expires_at": expires_at})
    elif registration.status in KIND_FOR_STATUS:
        tell(registration, KIND_FOR_STATUS[registration.status], now=now, facts={"again": True})


def tell(registration: Registration, kind: MailKind, *, now: datetime, facts: dict | None = None) -> None:
    if not registration.email:
        return
    mail = registration_mail(registration, kind, now=now, facts=facts)
    note_calendar_entries([registration], [mail])
    queue(mail)


# Mails about the registrant's place: a seat gets its calendar entry (or the update) with them,
# and someone who lost the seat gets the entry removed.
PLACE_KINDS = {
    MailKind.CONFIRMED,
    MailKind.WAITLISTED,
    MailKind.PENDING,
    MailKind.PROMOTED,
    MailKind.CHANGED,
    MailKind.EVENT_MOVED,
    MailKind.ACCESS_DATA,
}
REMOVAL_KINDS = {MailKind.CANCELLED, MailKind.EVENT_CANCELLED, MailKind.EVENT_POSTPONED}


def calendar_method(registration: Registration, kind: MailKind) -> str | None:
    """Only a confirmed seat is an entry in the citizen's calendar: a waiting or pending
    registration gets none (an accepted meeting without a seat misleads), and its entry comes
    with the seat. A CANCEL goes only to someone who holds an entry."""
    if kind in PLACE_KINDS and registration.status == Status.CONFIRMED:
        return REQUEST
    if kind in PLACE_KINDS | REMOVAL_KINDS and registration.holds_calendar_entry:
        return CANCEL
    return None


def note_calendar_entries(registrations: list[Registration], mails: list[OutboxMail]) -> None:
    """Remember who now holds an entry, in the transaction that queues the mails."""
    for holds in (True, False):
        changed = [
            registration
            for registration, mail in zip(registrations, mails, strict=True)
            if mail.facts.get("calendar")
            and (mail.facts["calendar"] == REQUEST) == holds
            and registration.holds_calendar_entry != holds
        ]
        if changed:
            Registration.objects.filter(pk__in=[r.pk for r in changed]).update(holds_calendar_entry=holds)
            for registration in changed:
                registration.holds_calendar_entry = holds


def registration_mail(registration: Registration, kind: MailKind, *, now: datetime, facts: dict | None = None):
    facts = {
        # One count of the event's changes (raised with the event) plus this person's own.
        "sequence": registration.event.calendar_sequence + registration.calendar_sequence,
        "calendar": calendar_method(registration, kind),
        "status": registration.status,
        "position": registration.waitlist_position,
        **(facts or {}),
    }
    if registration.companions:  # the party as it was when the mail was written
        facts["companions"] = registration.companions
    return new_mail(
        registration.event,
        kind,
        to=registration.email,
        language=registration.language,
        now=now,
        registration=registration,
        facts=facts,
    )


def raise_sequence(registration: Registration) -> None:
    Registration.objects.filter(pk=registration.pk).update(calendar_sequence=F("calendar_sequence") + 1)
    registration.calendar_sequence += 1


def tell_everyone(event: Event, kind: MailKind, *, now: datetime, facts: dict) -> list[OutboxMail]:
    """An event-wide change (the event's calendar sequence is already raised with it): queue one
    mail per registrant."""
    registrations = list(event.registrations.active().exclude(email="").in_queue_order())
    for registration in registrations:
        registration.event = event
    mails = [registration_mail(registration, kind, now=now, facts=facts) for registration in registrations]
    note_calendar_entries(registrations, mails)
    return queue_many(mails)


def send_access_data_if_due(registration: Registration, *, now: datetime, updated: bool = False) -> bool:
    """Queue the access data for a confirmed online seat once its time has come. The conditional
    UPDATE on `access_data_sent_at` makes it exactly once, even with several schedulers."""
    event = registration.event
    if not access_data_may_go(registration, event, now=now):
        return False
    if updated:
        marked = Registration.objects.filter(pk=registration.pk, access_data_sent_at__isnull=False)
    else:
        marked = Registration.objects.filter(pk=registration.pk, access_data_sent_at__isnull=True)
    if not marked.update(access_data_sent_at=now):
        return False
    registration.access_data_sent_at = now
    raise_sequence(registration)  # the calendar entry gets the join link
    tell(registration, MailKind.ACCESS_DATA, now=now, facts={"updated": updated})
    return True


def access_data_may_go(registration: Registration, event: Event, *, now: datetime) -> bool:
    due = event.access_data_due_at()
    return (
        registration.status == Status.CONFIRMED
        and registration.seat_type == SeatType.ONLINE
        and bool(registration.email)
        and event.status == EventStatus.PUBLISHED
        and (event.has_online_access or bool(registration.personal_join_url))
        and (due is None or due <= now)
        and event.ends_at > now
    )


def send_reminder_if_due(registration: Registration, *, now: datetime) -> bool:
    event = registration.event
    due = event.reminder_due_at()
    if due is None or not (due <= now < event.starts_at) or registration.status != Status.CONFIRMED:
        return False
    if not registration.email or event.status != EventStatus.PUBLISHED:
        return False
    if not Registration.objects.filter(pk=registration.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
        return False
    queue(registration_mail(registration, MailKind.REMINDER, now=now))
    return True
