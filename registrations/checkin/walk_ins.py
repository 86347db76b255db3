"""Walk-ins: people who come to the door without a registration (docs/checkin.md).

Door staff register them from the check-in page, from an hour before the start until the end
(`promotion.door_is_open`). A walk-in is a registration with the channel `door`, then a check-in:
it takes a free on-site seat by the same rule and under the same lock as every registration
(`seating.lock`, `seats.register`, `seating.write`), and is checked in at once. When the room is
full they join the on-site waiting list, marked by the channel `door`: that is the door queue.
While the door is open, a seat that becomes free goes to the first of the door queue before
anyone waiting who is not at the door (`seats.Terms.door_open`).
"""

from dataclasses import replace
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from events.models import Event, EventStatus, SeatType
from events.services import record_audit
from registrations import consents, seating, seats, services, submissions
from registrations.mail import notices
from registrations.models import Channel, ConsentRecord, Registration, Status
from registrations.promotion import door_is_open


def check_walk_in(event: Event, walk_in: submissions.RegistrationData, *, now: datetime) -> None:
    """Refusals that need no lock. Raises DomainError with a stable code."""
    if event.status == EventStatus.CANCELLED:
        raise DomainError("event_cancelled", _("This event is cancelled."), status=409)
    if event.status != EventStatus.PUBLISHED:
        raise DomainError("event_not_bookable", _("This event does not take registrations."), status=409)
    if SeatType.ONSITE not in event.seat_types:
        raise DomainError("online_only", _("This event has no seats on site."), status=409)
    if not door_is_open(event, now=now):
        raise DomainError(
            "door_closed",
            _("Walk-ins are registered from an hour before the start until the end of the event."),
            status=409,
        )
    submissions.check_registration(event, walk_in, channel=Channel.DOOR, received_at=now, now=now)


def register_walk_in(event: Event, walk_in: submissions.RegistrationData, *, actor, now: datetime) -> Registration:
    """A free on-site seat, checked in at once; or a place in the door queue when the room is full.
    Whatever `walk_in.seat_type` says, a walk-in comes for a seat on site."""
    data = replace(walk_in, seat_type=SeatType.ONSITE)
    check_walk_in(event, data, now=now)
    submission = submissions.Submission(data, Channel.DOOR, received_at=now, actor=actor)
    try:
        with transaction.atomic():
            return _seat_or_queue_at_the_door(event, submission, now=now)
    except IntegrityError:
        existing = services.active_registration_of(event, data)
        if existing is None:
            raise
        raise services.AlreadyRegistered(existing) from None


def _seat_or_queue_at_the_door(event: Event, submission: submissions.Submission, *, now: datetime) -> Registration:
    pools = seating.lock(event, {SeatType.ONSITE})
    if pools[SeatType.ONSITE].pending:
        raise DomainError(
            "allocation_pending", _("Seats have not been allocated yet; please allocate them first."), status=409
        )
    registration = services.new_registration(event, submission, now=now)
    walk_in = services.newcomer("walk-in", registration)
    moves = seats.register(pools, {}, [walk_in], seats.Terms(door_open=True))
    seating.apply(moves, registration, "walk-in", now=now)
    if registration.status == Status.CONFIRMED:
        registration.checked_in_at, registration.checked_in_by = now, submission.actor
    registration.save()
    seating.write(event, moves, now=now, new=[registration])
    ConsentRecord.objects.bulk_create(consents.records_for(registration, event.current_terms(), submission, now=now))
    record_audit(
        "registration.walk_in",
        actor=submission.actor,
        now=now,
        event=event,
        target=registration,
        data={"status": registration.status, "position": registration.waitlist_position},
    )
    if registration.checked_in_at is not None:
        record_audit("registration.checked_in", actor=submission.actor, now=now, event=event, target=registration)
    notices.tell_received([registration], now=now)
    return registration


def door_queue(event: Event) -> list[Registration]:
    """Walk-ins waiting for a seat, in their order."""
    return list(
        Registration.objects.filter(event=event, channel=Channel.DOOR, status=Status.WAITLISTED).order_by(
            "waitlist_position"
        )
    )


def seated_from_door_queue(event: Event) -> list[Registration]:
    """Walk-ins who got a seat from the door queue and have not been let in yet."""
    return list(
        Registration.objects.filter(
            event=event, channel=Channel.DOOR, status=Status.CONFIRMED, checked_in_at__isnull=True
        ).order_by("status_changed_at", "pk")
    )
