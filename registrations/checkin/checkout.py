"""Checking out: a person (with their party) leaves during the event and gives their seat back.

The seat goes back by THE seat rule (`seats.cancel`, under the pool lock), so while the door is
open it goes to the first of the door queue, otherwise to the first on the waiting list. The registration is then
cancelled with `checked_out_at` set; `checked_in_at` stays, so reports still count the person as
having come. No cancellation mail: the person left on their own feet.
"""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from events.models import Event, SeatType
from events.services import record_audit
from registrations import seating, seats
from registrations.models import Registration, Status


def check_out(event: Event, registration_id: int, *, actor, now: datetime) -> Registration:
    """Looked up within the event, like the check-in from the name list. Raises DomainError
    `unknown_registration` (404), `already_checked_out` or `not_checked_in` (409)."""
    with transaction.atomic():
        pools = seating.lock(event, {SeatType.ONSITE})
        registration = event.registrations.select_for_update().filter(pk=registration_id).first()
        if registration is None or registration.seat_type != SeatType.ONSITE:
            raise DomainError("unknown_registration", _("This event has no such registration on site."), status=404)
        if registration.checked_out_at is not None:
            raise DomainError("already_checked_out", _("This person has already been checked out."), status=409)
        if registration.status != Status.CONFIRMED or registration.checked_in_at is None:
            raise DomainError("not_checked_in", _("Only people who are checked in can be checked out."), status=409)
        registration.event = event
        terms = seating.terms(event, now=now)
        moves = seats.cancel(pools, seating.waiting_lines(event, pools), seating.party(registration), terms)
        registration.checked_out_at = now
        told = seating.write(event, moves, now=now, held={registration.pk: registration}, also=["checked_out_at"])
        record_audit(
            "registration.checked_out",
            actor=actor,
            now=now,
            event=event,
            target=registration,
            data={"people": registration.seats},
        )
        seating.tell_moved_up(event, moves, told, now=now)
    return registration
