"""Publishing a draft, and taking an event back to a draft: what a public event needs, checked
before it is published, so that no citizen finds a half-made event."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from events.models import Event, EventStatus, SeatPool
from events.services import update_event


@dataclass(frozen=True)
class Missing:
    """One thing an event lacks before it can be published, and the part of the event it is in
    (the editor's section of that name shows it)."""

    code: str
    message: str
    section: str


def missing_for_publication(event: Event, *, now: datetime) -> list[Missing]:
    """What keeps a draft from being published; empty when it is complete. The rules every save
    keeps (dates in order, seats per format, a unique keyword) are `services.event_problems`."""
    missing = []
    if not event.description_de.strip():
        missing.append(Missing("description_missing", _("A description in German."), "basics"))
    if event.starts_at <= now:
        missing.append(Missing("starts_in_past", _("A start in the future."), "date"))
    if event.has_venue and event.venue_id is None:
        missing.append(Missing("venue_missing", _("A venue with its address."), "venue"))
    pools = {pool.seat_type: pool for pool in SeatPool.objects.filter(event=event)}
    for seat_type in sorted(event.seat_types):
        pool = pools.get(seat_type)
        if pool is None or pool.capacity - pool.reserved <= 0:
            missing.append(
                Missing("no_seats", _("Seats that citizens can book (more than the reserved ones)."), "seats")
            )
            break
    if event.registration_closes_at <= now:
        missing.append(Missing("registration_closed", _("A registration deadline in the future."), "registration"))
    return missing


@transaction.atomic
def publish_event(event: Event, *, actor, now: datetime) -> Event:
    """Make a draft public; refused with the list of what is missing (code `incomplete`)."""
    event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    if event.status != EventStatus.DRAFT:
        raise DomainError("not_a_draft", _("Only a draft can be published."), status=409)
    missing = missing_for_publication(event, now=now)
    if missing:
        details = "; ".join(item.message for item in missing)
        raise DomainError("incomplete", _("The event cannot be published yet. Missing: %s") % details, status=422)
    return update_event(event, {"status": EventStatus.PUBLISHED}, actor=actor, now=now)


@transaction.atomic
def unpublish_event(event: Event, *, actor, now: datetime) -> Event:
    """Take a published event back to a draft, while nobody has registered: people who hold a
    registration would lose their event page; they are told by cancelling or moving the event."""
    event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    if event.status != EventStatus.PUBLISHED:
        raise DomainError("not_published", _("Only a published event can be taken back to a draft."), status=409)
    # Under the pools' locks, which every registration takes: none slips in before the change.
    if any(pool.active for pool in SeatPool.objects.select_for_update().filter(event=event)):
        raise DomainError(
            "has_registrations",
            _("People have registered already. Cancel or move the event instead, so that they are told."),
            status=409,
        )
    return update_event(event, {"status": EventStatus.DRAFT}, actor=actor, now=now)
