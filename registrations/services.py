"""Registering, cancelling, allocating and releasing seats: the services that change seats.

Each is a door of the shape lock and read → decide → write → tell (registrations/seating.py): it
takes the seat lock, asks THE seat rule (`registrations/seats.py`) what changes, lets the one writer
apply it, then records and mails. This module says *when*, and what else is written with it (the
registrations, their details, consents, audit lines and mails). A rush of registrations comes in
batches (`group_commit` → `register_many`). See docs/allocation.md.
"""

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from django.db import (
    DatabaseError,
    DataError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connections,
    router,
    transaction,
)
from django.db.models import F
from django.utils.translation import gettext as _

from core.addresses import normalize_email
from core.clock import database_now
from core.errors import Busy, DomainError
from core.rows import insert_all, one_of, select_rows
from events.models import Allocation, Event, SeatPool
from events.services import audit_entry, record_audit
from registrations import answers as details
from registrations import consents, group_commit, per_address, seating, seats
from registrations.mail import notices
from registrations.models import Registration, Status
from registrations.names import clean_name, normalize_name
from registrations.submissions import STAFF_CHANNELS, RegistrationData, Submission, check_registration

logger = logging.getLogger(__name__)


class AlreadyRegistered(DomainError):
    status = 409

    def __init__(self, existing: Registration):
        super().__init__(
            "already_registered",
            _("%(name)s is already registered for this event with this e-mail address (status: %(status)s).")
            % {"name": existing.name, "status": existing.get_status_display()},
        )
        self.existing = existing


def tell_owner_of_address(refusal: AlreadyRegistered, *, now: datetime) -> None:
    """The neutral answer to a citizen who registered someone already registered: the page or
    API answers as for a new registration ("we sent you an e-mail"), and the address registered
    gets a mail with the link to its registration. Nobody learns from the answer whether or how a
    person is registered (docs/api.md)."""
    notices.tell_already_registered(refusal.existing, now=now)


def register(
    event: Event, data: RegistrationData, *, channel: str, received_at: datetime | None, now: datetime, actor=None
) -> Registration:
    """The one way in, for the web form, the API, staff on the phone and the e-mail intake.
    `received_at=None`: received now, by the database's clock (web and API requests).

    Requests for the same event that arrive at the same moment in one server process are
    registered together in one transaction (see `group_commit`), in order of receipt."""
    submission = Submission(data, channel, received_at, actor)
    return _registered_together(event.pk, submission, lambda batch: register_many(event, batch, now=now))


class EventGone(DomainError):
    status = 404

    def __init__(self):
        super().__init__("not_found", _("Not found."))


def register_for_event_id(
    event_id: int, data: RegistrationData, *, channel: str, received_at: datetime | None, now: datetime
) -> Registration:
    """`register()` for callers that know only the id of a public event (the API under a rush):
    the event with its terms is loaded once per batch, by the request that writes the batch,
    instead of once per request. Raises EventGone if it is no longer public."""

    def register_batch(batch: list[Submission]) -> list[Registration | DomainError]:
        event = Event.public_with_terms(event_id)
        if event is None:
            return [EventGone() for _submission in batch]
        return register_many(event, batch, now=now)

    return _registered_together(event_id, Submission(data, channel, received_at), register_batch)


def _registered_together(event_id: int, submission: Submission, register_batch) -> Registration:
    outcome = group_commit.submit(event_id, submission, register_batch)
    if isinstance(outcome, DomainError):
        raise outcome
    return outcome


def register_many(event: Event, submissions: list[Submission], *, now: datetime) -> list[Registration | DomainError]:
    """Register several people for one event in one transaction: they take seats in order of
    receipt. Returns, for each submission, its registration or the refusal (a DomainError).

    A batch costs a handful of statements however many people it seats; this is what lets a
    rush of requests (grouped by `group_commit`) and a chunk of the e-mail intake go fast."""
    submissions = stamped_on_receipt(submissions)
    outcomes: list[Registration | DomainError | None] = [None] * len(submissions)
    for index, submission in enumerate(submissions):
        try:
            check_registration(
                event, submission.data, channel=submission.channel, received_at=submission.received_at, now=now
            )
        except DomainError as refusal:
            outcomes[index] = refusal
    if len(submissions) > 1:
        _refuse_known_addresses(event, submissions, outcomes)
    accepted = [index for index, outcome in enumerate(outcomes) if outcome is None]
    if accepted:
        _insert_accepted(event, submissions, accepted, outcomes, now=now)
    _refer_to_first_of_batch(event, submissions, outcomes, now=now)
    return outcomes


def stamped_on_receipt(submissions: list[Submission]) -> list[Submission]:
    """Give the submissions received just now (web and API) the database's time, read once for
    the batch: every web host then orders its requests by the same clock, and a batch keeps
    its order of arrival (the sort by time of receipt is stable)."""
    if all(submission.received_at is not None for submission in submissions):
        return submissions
    received_at = database_now()
    return [
        submission if submission.received_at is not None else replace(submission, received_at=received_at)
        for submission in submissions
    ]


def _insert_accepted(
    event: Event, submissions: list[Submission], accepted: list[int], outcomes: list, *, now: datetime
) -> None:
    """Insert the accepted submissions as one batch; what the unique indexes refuse is sorted out."""
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                created = _insert(event, [submissions[index] for index in accepted], now=now)
        except DatabaseError as error:
            # An address registered by a parallel request in the meantime (the partial unique
            # index decides), once in 10^12 a ticket code already taken, or one submission the
            # database refuses (a value too long for its column): each is sorted out alone, so
            # that one bad submission never fails the others of its batch.
            if len(accepted) > 1:
                for index in accepted:
                    outcomes[index] = register_many(event, [submissions[index]], now=now)[0]
                return
            if not isinstance(error, IntegrityError):
                outcomes[accepted[0]] = _refusal_for(error)
                return
            existing = active_registration_of(event, submissions[accepted[0]].data)
            if existing is not None:
                outcomes[accepted[0]] = AlreadyRegistered(existing)
                return
            if attempt == 2:
                raise
        else:
            for index, outcome in zip(accepted, created, strict=True):
                outcomes[index] = outcome
            return


def _refusal_for(error: DatabaseError) -> DomainError:
    """What one submission that the database refused is told. A lost connection or a lock
    timeout is raised on: the callers answer "busy" for those, and the intake tries again."""
    if isinstance(error, OperationalError | InterfaceError):
        raise error
    if isinstance(error, DataError):
        return DomainError(
            "invalid_input",
            _("This registration cannot be stored as entered. Please check the e-mail address and the name."),
            status=422,
        )
    logger.error("registration refused by the database", exc_info=error)
    return Busy("busy", _("Too many registrations at this moment. Please try again in a few seconds."))


@dataclass(frozen=True)
class _SameAddressAs:
    """A later submission of an address that an earlier one in the same batch already uses."""

    index: int


def _person(data: RegistrationData) -> tuple[str, str]:
    """Who a registration is, as the unique index `one_active_registration_per_person` sees it."""
    return normalize_email(data.email), normalize_name(data.name)


def _refuse_known_addresses(event: Event, submissions: list[Submission], outcomes: list) -> None:
    """In a batch one person (address and name) may come twice (two mails from one person) or be
    registered already. The unique index would refuse the whole batch, so these are sorted out
    first. A household sharing one address registers one person per name."""
    first_of_person = {}
    for index in sorted(range(len(submissions)), key=lambda i: submissions[i].received_at):
        person = _person(submissions[index].data)
        if outcomes[index] is None and person[0]:
            if person in first_of_person:
                outcomes[index] = _SameAddressAs(first_of_person[person])
            else:
                first_of_person[person] = index
    if not first_of_person:
        return
    addresses = {address for address, _name in first_of_person}
    existing = {
        (registration.email_normalized, registration.name_normalized): registration
        for registration in _registered(event, addresses)
    }
    for index, submission in enumerate(submissions):
        registration = existing.get(_person(submission.data))
        if registration is not None and (outcomes[index] is None or isinstance(outcomes[index], _SameAddressAs)):
            outcomes[index] = AlreadyRegistered(registration)


def _refer_to_first_of_batch(event: Event, submissions: list[Submission], outcomes: list, *, now: datetime) -> None:
    for index, outcome in enumerate(outcomes):
        if not isinstance(outcome, _SameAddressAs):
            continue
        first = outcomes[outcome.index]
        if isinstance(first, Registration):
            outcomes[index] = AlreadyRegistered(first)
        elif isinstance(first, AlreadyRegistered):
            outcomes[index] = AlreadyRegistered(first.existing)
        else:
            outcomes[index] = register_many(event, [submissions[index]], now=now)[0]


def _insert(event: Event, submissions: list[Submission], *, now: datetime) -> list[Registration | DomainError]:
    """Seat or queue the submissions in order of receipt under the pool locks, then write the
    registrations, consents, audit lines and mails with one statement each. What would take an
    address past the event's limit is refused under the same locks."""
    pools = seating.lock(event, per_address.seat_types_to_lock(event, submissions))
    refused = per_address.over_the_limit(event, submissions)
    taking = [submission for index, submission in enumerate(submissions) if index not in refused]
    made = iter(_seat_and_write(event, pools, taking, now=now) if taking else [])
    return [refused[index] if index in refused else next(made) for index in range(len(submissions))]


def _seat_and_write(
    event: Event, pools: dict[str, seats.Pool], submissions: list[Submission], *, now: datetime
) -> list[Registration]:
    agreement = event.current_terms()
    registrations = {("new", index): new_registration(event, s, now=now) for index, s in enumerate(submissions)}
    newcomers = [newcomer(key, registration) for key, registration in registrations.items()]
    lines = seating.waiting_after(event, pools, newcomers)
    moves = seats.register(pools, lines, newcomers, seating.terms(event, now=now))
    for key, registration in registrations.items():
        registration.status, registration.waitlist_position = moves.placed[key].status, moves.placed[key].position
    created = list(registrations.values())
    in_order = sorted(created, key=lambda registration: registration.queued_at)
    notices.expect_calendar_entries(created)
    insert_all(created)
    made = list(zip(created, submissions, strict=True))
    details.insert_details(event, [(r, s.data.answers, s.data.accessibility, s.channel) for r, s in made])
    insert_all([c for r, s in made for c in consents.records_for(r, agreement, s, now=now)])
    insert_all([_created_entry(r, s, now=now) for r, s in made])
    notices.tell_received(in_order, now=now)
    told = seating.write(event, moves, now=now, held=registrations, new=in_order)
    seating.tell_moved_up(event, moves, told, now=now)
    return created


def newcomer(key, registration: Registration) -> seats.Party:
    """A registration not yet written, as THE seat rule sees it."""
    return replace(seating.party(registration), key=key, status="", position=None)


def new_registration(event: Event, submission: Submission, *, now: datetime) -> Registration:
    data, channel = submission.data, submission.channel
    registration = Registration(
        event=event,
        seat_type=data.seat_type,
        name=clean_name(data.name),
        email=data.email.strip(),
        phone=data.phone.strip(),
        language=data.language,
        needs=data.needs.strip(),
        companions=data.companions,
        channel=channel,
        received_at=submission.received_at,
        queued_at=submission.received_at,
        entered_at=now,
        entered_by=submission.actor if channel in STAFF_CHANNELS else None,
        status_changed_at=now,
    )
    registration.fill_derived_fields()
    return registration


def _created_entry(registration: Registration, submission: Submission, *, now: datetime):
    actor = submission.actor
    return audit_entry(
        "registration.created",
        actor=actor,
        label=registration.name if actor is None else "",
        now=now,
        event=registration.event,
        target=registration,
        data={"channel": registration.channel, "status": registration.status, "seat": registration.seat_type}
        | ({"companions": registration.companions} if registration.companions else {}),
    )


def cancel(registration: Registration, *, actor, now: datetime, reason: str = "", system: bool = False) -> Registration:
    """Cancel a registration; a confirmed seat goes at once to the first on the waiting list.

    `system`: released by a rule (no reconfirmation, an offer expired), not by a person; the
    mail then gives the `reason`."""
    event = registration.event
    with transaction.atomic():
        pools = seating.lock(event, {registration.seat_type})
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.event = event
        if registration.status == Status.CANCELLED:
            raise DomainError("already_cancelled", _("This registration is already cancelled."), status=409)
        previous = registration.status
        moves = seats.cancel(
            pools, seating.waiting_lines(event, pools), seating.party(registration), seating.terms(event, now=now)
        )
        told = seating.write(event, moves, now=now, held={registration.pk: registration})
        record_audit(
            "registration.cancelled",
            actor=actor,
            label="system" if system else ("" if actor else registration.name),
            now=now,
            event=event,
            target=registration,
            data={"previous_status": previous, "reason": reason},
        )
        notices.tell_cancelled(registration, by_organiser=actor is not None, now=now, reason=reason if system else "")
        seating.tell_moved_up(event, moves, told, now=now)
    return registration


def revoke_personal_links(registration: Registration, *, actor, now: datetime) -> Registration:
    """Every manage, cancel and consent link sent so far stops working (a mail forwarded by
    mistake); the citizen gets new links from the organisers or by registering again. A change of
    address still waiting for its confirmation may have come from whoever held a leaked link: it
    lapses too."""
    with transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(manage_link_version=F("manage_link_version") + 1)
        registration.email_changes.filter(confirmed_at=None, superseded_at=None).update(superseded_at=now)
        registration.refresh_from_db(fields=["manage_link_version"])
        record_audit("registration.links_revoked", actor=actor, now=now, event=registration.event, target=registration)
    return registration


def release_reserved(event: Event, seat_type: str, count: int, *, actor, now: datetime) -> SeatPool:
    """Give reserved seats to the public; waiting people move up at once."""
    with transaction.atomic():
        pools = seating.lock(event, {seat_type})
        if count < 1 or count > pools[seat_type].reserved:
            raise DomainError(
                "invalid_release",
                _("You can release between 1 and %(reserved)s seats.") % {"reserved": pools[seat_type].reserved},
                status=422,
            )
        terms = seating.terms(event, now=now)
        moves = seats.release_reserved(pools, seating.waiting_lines(event, pools), seat_type, count, terms)
        told = seating.write(event, moves, now=now)
        pool = SeatPool.objects.get(pk=pools[seat_type].pk)
        record_audit(
            "seats.released", actor=actor, now=now, event=event, target=pool, data={"seat": seat_type, "count": count}
        )
        seating.tell_moved_up(event, moves, told, now=now)
    return pool


def allocate(event: Event, *, actor, now: datetime) -> dict[str, dict[str, int]]:
    """Seat the pending registrations of an `at_deadline` event strictly in order of receipt.

    Running it again finds nothing pending and changes nothing."""
    if event.allocation != Allocation.AT_DEADLINE:
        raise DomainError("not_at_deadline", _("This event seats people as they register."), status=409)
    if now < event.registration_closes_at:
        raise DomainError("deadline_not_reached", _("Seats are allocated after registration has closed."), status=409)
    outcome = {}
    with transaction.atomic():
        for seat_type in sorted(event.seat_types):
            pools = seating.lock(event, {seat_type})
            pending = list(
                Registration.objects.filter(event=event, seat_type=seat_type, status=Status.PENDING)
                .in_line_order()
                .select_for_update()
            )
            for registration in pending:
                registration.event = event
            terms = seating.terms(event, now=now)
            lines = seating.waiting_lines(event, pools)
            moves = seats.allocate(pools, lines, [seating.party(r) for r in pending], terms)
            seating.write(event, moves, now=now, held={registration.pk: registration for registration in pending})
            for registration in pending:
                notices.tell_seated(registration, now=now, promoted=False)
            outcome[seat_type] = {
                "confirmed": sum(r.seats for r in pending if r.status == Status.CONFIRMED),
                "waitlisted": sum(r.seats for r in pending if r.status == Status.WAITLISTED),
            }
        record_audit("event.allocated", actor=actor, now=now, event=event, target=event, data=outcome)
    return outcome


def fill_free_seats(event: Event, *, now: datetime, actor=None) -> None:
    """After capacity grew or seats were freed elsewhere: promote waiting people into free seats."""
    with transaction.atomic():
        pools = seating.lock(event, event.seat_types)
        moves = seats.fill_free_seats(pools, seating.waiting_lines(event, pools), seating.terms(event, now=now))
        told = seating.write(event, moves, now=now)
        seating.tell_moved_up(event, moves, told, now=now)


def reseat_after_move(event: Event, *, now: datetime) -> None:
    """After a move (perhaps to a smaller room): everyone is seated again in the original order
    (`seats.reseat`). Inside the transaction of the move."""
    pools = seating.lock(event, event.seat_types)
    rows = Registration.objects.select_for_update().filter(event=event)
    seated = list(rows.filter(status__in=[Status.CONFIRMED, Status.OFFERED]).in_line_order())
    for registration in seated:
        registration.event = event
    lines = seating.waiting_lines(event, pools)
    moves = seats.reseat(pools, [seating.party(r) for r in seated], lines, seating.terms(event, now=now))
    seating.write(event, moves, now=now, held={registration.pk: registration for registration in seated})


def _registered(event: Event, addresses) -> list[Registration]:
    """The active registrations of these (normalised) addresses. The condition of the unique
    index `one_active_registration_per_person` stands in the text, not in parameters, so that
    PostgreSQL's plan can always use that index."""
    connection = connections[router.db_for_read(Registration)]
    address_is_one_of, addresses = one_of(connection, "email_normalized", addresses)
    return select_rows(
        Registration,
        f"event_id = %s AND status <> '{Status.CANCELLED}' AND email_normalized <> '' AND {address_is_one_of}",
        [event.pk, *addresses],
    )


def active_registration_of(event: Event, data: RegistrationData) -> Registration | None:
    address, name = _person(data)
    if not address:
        return None
    return Registration.objects.active().filter(event=event, email_normalized=address, name_normalized=name).first()


def resend_confirmation(registration: Registration, *, actor, now: datetime) -> None:
    """The mail of the registration's place once more, with the personal link: the first went
    astray or was deleted. Refused (409) for a cancelled registration and one without an address."""
    if registration.status == Status.CANCELLED:
        raise DomainError("already_cancelled", _("This registration is already cancelled."), status=409)
    if not registration.email:
        raise DomainError("no_email", _("This registration has no e-mail address. Please call the person."), status=409)
    with transaction.atomic():
        registration = Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
        notices.tell_again(registration, now=now)
        record_audit(
            "registration.confirmation_resent",
            actor=actor,
            label="" if actor else registration.name,
            now=now,
            event=registration.event,
            target=registration,
            data={"status": registration.status},
        )
