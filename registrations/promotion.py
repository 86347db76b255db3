"""Who takes a seat that became free, and how: the rules that `seats.fill_free_seats` asks,
under the seat pool lock, for each free seat (see docs/allocation.md).

- Next in line is position 1 of the waiting list, except at the door: from an hour before the
  start until the end, people waiting *at the door* (walk-ins, `registrations/checkin/walk_ins.py`)
  go first, in their order, because they are there to take the seat.
- While an event reconfirms (from its request until the start), a seat from the waiting list is
  *offered* for `offer_valid_hours` instead of given: the person accepts with the link in the
  mail, or the seat goes to the next (`registrations/reconfirmation.py`). The offered seat is
  held all the while: it counts in the pool's `confirmed`. People without an e-mail address and
  people at the door cannot answer a link, so they get the seat at once.
"""

from datetime import datetime, timedelta

from events.models import Event, SeatType
from events.services import record_audit
from registrations.mail import notices
from registrations.models import Channel, MailKind, Registration, Status
from registrations.signals import registration_status_changed

DOOR_OPENS_BEFORE_START = timedelta(hours=1)


def door_is_open(event: Event, *, now: datetime) -> bool:
    """Walk-ins are taken from an hour before the start until the end of the event."""
    return event.starts_at - DOOR_OPENS_BEFORE_START <= now < event.ends_at


def offer_expiry(event: Event, *, now: datetime) -> datetime | None:
    """Until when a seat offered now is held, or None when seats are simply given (no
    reconfirmation, not yet asked, or the event has started)."""
    asked_at = event.reconfirm_asked_at()
    if asked_at is None or not asked_at <= now < event.starts_at:
        return None
    return min(now + timedelta(hours=event.offer_valid_hours), event.starts_at)


def next_in_line(event: Event, seat_type: str, *, now: datetime) -> Registration | None:
    waiting = Registration.objects.select_for_update().filter(
        event=event, seat_type=seat_type, status=Status.WAITLISTED
    )
    if seat_type == SeatType.ONSITE and door_is_open(event, now=now):
        at_the_door = waiting.filter(channel=Channel.DOOR).order_by("waitlist_position").first()
        if at_the_door is not None:
            return at_the_door
    return waiting.order_by("waitlist_position").first()


def move_up(registration: Registration, event: Event, *, now: datetime) -> None:
    """The registration leaves the waiting list for a held seat: offered, or confirmed at once.
    The caller holds the pool lock and counts the seat."""
    expires_at = offer_expiry(event, now=now)
    registration.waitlist_position = None
    registration.status_changed_at = now
    if expires_at is not None and registration.email and registration.channel != Channel.DOOR:
        registration.status = Status.OFFERED
        registration.offer_expires_at = expires_at
        registration.save(update_fields=["status", "waitlist_position", "status_changed_at", "offer_expires_at"])
        record_audit(
            "registration.offered",
            actor=None,
            label="system",
            now=now,
            event=event,
            target=registration,
            data={"seat": registration.seat_type, "expires_at": expires_at.isoformat()},
        )
        notices.tell(registration, MailKind.SEAT_OFFERED, now=now, facts={"expires_at": expires_at.isoformat()})
        return
    registration.status = Status.CONFIRMED
    registration.save(update_fields=["status", "waitlist_position", "status_changed_at"])
    registration_status_changed.send(
        sender=Registration, registration=registration, previous_status=Status.WAITLISTED, now=now
    )
    record_audit(
        "registration.promoted",
        actor=None,
        label="system",
        now=now,
        event=event,
        target=registration,
        data={"seat": registration.seat_type},
    )
    notices.tell_seated(registration, now=now, promoted=True)
