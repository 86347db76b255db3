"""Who takes a seat that became free, and how: what the event and the moment give THE seat rule
(`seats.Terms`, through `seating.terms`), and how a move up is told (see docs/allocation.md).

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

from events.models import Event
from events.services import record_audit
from registrations.mail import notices
from registrations.models import MailKind, Registration, Status

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


def tell_moved_up(registration: Registration, event: Event, *, now: datetime) -> None:
    """The registration left the waiting list for a held seat (`seats.Moves.moved_up`): an offer
    until `offer_expires_at`, or a seat at once. Recorded and mailed; written by `seating.write`."""
    if registration.status == Status.OFFERED:
        expires_at = registration.offer_expires_at.isoformat()
        record_audit(
            "registration.offered",
            actor=None,
            label="system",
            now=now,
            event=event,
            target=registration,
            data={"seat": registration.seat_type, "expires_at": expires_at},
        )
        notices.tell(registration, MailKind.SEAT_OFFERED, now=now, facts={"expires_at": expires_at})
        return
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
