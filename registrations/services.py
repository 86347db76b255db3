"""Registering, allocating, cancelling and promoting: every rule about seats lives here.

Capacity is decided in exactly one place, `_locked_pool()`: each change that touches the seats of
one seat type first takes a row lock on that SeatPool and then reads and writes its counters in
the same transaction (see docs/allocation.md).
"""

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, OperationalError, connections, router, transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.errors import Busy, DomainError
from events.models import Allocation, Event, EventStatus, SeatPool, SeatType
from events.rows import insert_all, one_of, placeholder_rows, run_statement, select_rows
from events.services import audit_entry, record_audit
from registrations import answers as details
from registrations import group_commit, promotion
from registrations.mail import notices
from registrations.models import (
    Channel,
    ConsentKind,
    ConsentRecord,
    Registration,
    Status,
    normalize_email,
    normalize_name,
)
from registrations.signals import registration_status_changed

FEEDBACK_CONSENT_LABEL = gettext_lazy("I agree to receive a feedback request after the event.")
# Channels where a staff member types the registration in (and takes down the consents).
STAFF_CHANNELS = {Channel.PHONE, Channel.DOOR}


@dataclass(frozen=True)
class RegistrationData:
    name: str
    seat_type: str
    email: str = ""
    phone: str = ""
    language: str = "de"
    needs: str = ""
    accept_terms: bool = False
    broadcast_consent: bool = False
    feedback_consent: bool = False
    companions: int = 0
    # Answers to the event's questions (question id → text, choice or bool) and structured
    # needs: registrations/answers.py checks and writes them.
    answers: Mapping = field(default_factory=dict)
    accessibility: details.NeedsData | None = None


class AlreadyRegistered(DomainError):
    status = 409

    def __init__(self, existing: Registration):
        super().__init__(
            "already_registered",
            _("This e-mail address is already registered for this event (status: %(status)s).")
            % {"status": existing.get_status_display()},
        )
        self.existing = existing


@dataclass(frozen=True)
class Submission:
    """One request for a seat: what the person gave, and how and when it reached the city."""

    data: RegistrationData
    channel: str
    received_at: datetime
    actor: object = None  # the staff member who took the call or assigned the mail


def register(
    event: Event, data: RegistrationData, *, channel: str, received_at: datetime, now: datetime, actor=None
) -> Registration:
    """The one way in, for the web form, the API, staff on the phone and the e-mail intake.

    Requests for the same event that arrive at the same moment in one server process are
    registered together in one transaction (see `group_commit`), in order of receipt."""
    submission = Submission(data, channel, received_at, actor)
    return _registered_together(event.pk, submission, lambda batch: register_many(event, batch, now=now))


class EventGone(DomainError):
    status = 404

    def __init__(self):
        super().__init__("not_found", _("Not found."))


def register_for_event_id(
    event_id: int, data: RegistrationData, *, channel: str, received_at: datetime, now: datetime
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


def _insert_accepted(
    event: Event, submissions: list[Submission], accepted: list[int], outcomes: list, *, now: datetime
) -> None:
    """Insert the accepted submissions as one batch; what the unique indexes refuse is sorted out."""
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                created = _insert(event, [submissions[index] for index in accepted], now=now)
        except IntegrityError:
            # An address registered by a parallel request in the meantime (the partial unique
            # index decides), or, once in 10^12, a ticket code already taken: sort it out alone.
            if len(accepted) > 1:
                for index in accepted:
                    outcomes[index] = register_many(event, [submissions[index]], now=now)[0]
                return
            existing = _active_registration_of(event, submissions[accepted[0]].data)
            if existing is not None:
                outcomes[accepted[0]] = AlreadyRegistered(existing)
                return
            if attempt == 2:
                raise
        else:
            for index, registration in zip(accepted, created, strict=True):
                outcomes[index] = registration
            return


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


def _insert(event: Event, submissions: list[Submission], *, now: datetime) -> list[Registration]:
    """Seat or queue the submissions in order of receipt under the pool locks, then write the
    registrations, consents, audit lines and mails with one statement each."""
    terms = event.current_terms()
    pools = _locked_pools(event, {submission.data.seat_type for submission in submissions})
    registrations = [_new_registration(event, submission, now=now) for submission in submissions]
    in_order = sorted(registrations, key=lambda registration: registration.queued_at)
    newcomers = {seat_type: [] for seat_type in pools}
    for registration in in_order:
        _place(registration, pools[registration.seat_type], event)
        if registration.status == Status.WAITLISTED:
            newcomers[registration.seat_type].append(registration)
    _merge_into_waiting_lists(pools, newcomers)
    insert_all(registrations)
    made = list(zip(registrations, submissions, strict=True))
    details.insert_details(event, [(r, s.data.answers, s.data.accessibility, s.channel) for r, s in made])
    insert_all([c for r, s in made for c in _consents(r, terms, s, now=now)])
    insert_all([_created_entry(r, s, now=now) for r, s in made])
    notices.tell_received(in_order, now=now)
    for registration in in_order:
        _status_changed(registration, "", now=now)
    _seat_newcomers_at_the_head(event, pools, newcomers, now=now)
    _save_counters(list(pools.values()))
    return registrations


def _seat_newcomers_at_the_head(
    event: Event, pools: dict[str, SeatPool], newcomers: dict[str, list[Registration]], *, now: datetime
) -> None:
    """Only with parties: a newcomer who reached the city before a waiting party that does not
    fit the free seats goes before it in line (`_merge_into_waiting_lists`), and may fit them
    itself. It moves up at once, as if a seat had been freed. Decided without a statement, so
    that a batch without such a newcomer costs nothing more."""
    stuck = [
        pools[seat_type]
        for seat_type, waiting in newcomers.items()
        if any(person.waitlist_position == 1 and person.seats <= pools[seat_type].available for person in waiting)
    ]
    if not stuck:
        return
    for pool in stuck:
        _fill_free_seats(pool, event, now=now)
    batch = {person.pk: person for waiting in newcomers.values() for person in waiting}
    for pk, status, position in Registration.objects.filter(pk__in=batch).values_list(
        "pk", "status", "waitlist_position"
    ):
        batch[pk].status, batch[pk].waitlist_position = status, position


def _new_registration(event: Event, submission: Submission, *, now: datetime) -> Registration:
    data, channel = submission.data, submission.channel
    registration = Registration(
        event=event,
        seat_type=data.seat_type,
        name=data.name.strip(),
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


def check_registration(event: Event, data: RegistrationData, *, channel: str, received_at: datetime, now: datetime):
    """Refusals that need no lock. Raises DomainError with a stable code."""
    if event.status != EventStatus.PUBLISHED:
        raise DomainError("event_not_bookable", _("This event does not take registrations."), status=409)
    if channel == Channel.PHONE and received_at > now:
        raise DomainError("received_in_future", _("The time of the call cannot be in the future."), field="received_at")
    # Walk-ins come at the event, after registration has closed: their window is the door's.
    if received_at < event.registration_opens_at and channel != Channel.DOOR:
        raise DomainError("registration_not_open", _("Registration has not opened yet."), status=409)
    if received_at > event.registration_closes_at and channel != Channel.DOOR:
        raise DomainError("registration_closed", _("Registration for this event has closed."), status=409)
    if data.seat_type not in event.seat_types:
        raise DomainError(
            "seat_type_not_offered", _("This event offers no seats of this kind."), status=422, field="seat"
        )
    check_companions(event, data.companions)
    if not data.name.strip():
        raise DomainError("name_required", _("Please enter a name."), status=422, field="name")
    if channel not in STAFF_CHANNELS and not data.email.strip():
        raise DomainError("email_required", _("Please enter an e-mail address."), status=422, field="email")
    if channel == Channel.PHONE and not (data.email.strip() or data.phone.strip()):
        raise DomainError(
            "contact_required",
            _("A phone registration needs a phone number or an e-mail address."),
            status=422,
            field="phone",
        )
    if data.email.strip():
        try:
            validate_email(data.email.strip())
        except ValidationError:
            raise DomainError(
                "invalid_email", _("Please enter a valid e-mail address."), status=422, field="email"
            ) from None
    terms = event.current_terms()
    if terms is not None and not data.accept_terms:
        raise DomainError(
            "consent_required", _("Please agree to the terms of participation."), status=422, field="accept_terms"
        )
    if broadcast_consent_needed(event, data.seat_type) and not data.broadcast_consent:
        raise broadcast_consent_missing()
    details.check_details(event, data.answers, data.accessibility, channel=channel)


def check_companions(event: Event, companions: int) -> None:
    if not 0 <= companions <= event.max_companions:
        raise DomainError(
            "too_many_companions",
            _("You can bring between 0 and %(most)s companions.") % {"most": event.max_companions},
            status=422,
            field="companions",
        )


def broadcast_consent_missing() -> DomainError:
    return DomainError(
        "consent_required",
        _("On-site participants of this broadcast event must agree to appear in the broadcast."),
        status=422,
        field="broadcast_consent",
    )


def broadcast_consent_needed(event: Event, seat_type: str) -> bool:
    terms = event.current_terms()
    return bool(terms and terms.broadcast_consent_required and seat_type == SeatType.ONSITE)


def cancel(registration: Registration, *, actor, now: datetime, reason: str = "", system: bool = False) -> Registration:
    """Cancel a registration; a confirmed seat goes at once to the first on the waiting list.

    `system`: released by a rule (no reconfirmation, an offer expired), not by a person; the
    mail then gives the `reason`."""
    with transaction.atomic():
        pool = _locked_pool(registration.event, registration.seat_type)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Status.CANCELLED:
            raise DomainError("already_cancelled", _("This registration is already cancelled."), status=409)
        previous = registration.status
        _leave_queue(registration, pool)
        registration.status = Status.CANCELLED
        registration.status_changed_at = now
        registration.save(update_fields=["status", "waitlist_position", "status_changed_at"])
        _status_changed(registration, previous, now=now)
        record_audit(
            "registration.cancelled",
            actor=actor,
            label="system" if system else ("" if actor else registration.name),
            now=now,
            event=registration.event,
            target=registration,
            data={"previous_status": previous, "reason": reason},
        )
        notices.tell_cancelled(registration, by_organiser=actor is not None, now=now, reason=reason if system else "")
        _fill_free_seats(pool, registration.event, now=now)
        pool.save(update_fields=["confirmed", "waitlisted", "pending"])
    return registration


def revoke_personal_links(registration: Registration, *, actor, now: datetime) -> Registration:
    """Every manage, cancel and consent link sent so far stops working (a mail forwarded by
    mistake); the citizen gets new links from the organisers or by registering again."""
    with transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(manage_link_version=F("manage_link_version") + 1)
        registration.refresh_from_db(fields=["manage_link_version"])
        record_audit("registration.links_revoked", actor=actor, now=now, event=registration.event, target=registration)
    return registration


def release_reserved(event: Event, seat_type: str, count: int, *, actor, now: datetime) -> SeatPool:
    """Give reserved seats to the public; waiting people move up at once."""
    with transaction.atomic():
        pool = _locked_pool(event, seat_type)
        if count < 1 or count > pool.reserved:
            raise DomainError(
                "invalid_release",
                _("You can release between 1 and %(reserved)s seats.") % {"reserved": pool.reserved},
                status=422,
            )
        pool.reserved -= count
        record_audit(
            "seats.released", actor=actor, now=now, event=event, target=pool, data={"seat": seat_type, "count": count}
        )
        _fill_free_seats(pool, event, now=now)
        pool.save(update_fields=["reserved", "confirmed", "waitlisted", "pending"])
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
            pool = _locked_pool(event, seat_type)
            pending = list(
                Registration.objects.filter(event=event, seat_type=seat_type, status=Status.PENDING)
                .in_line_order()
                .select_for_update()
            )
            for registration in pending:
                pool.pending -= registration.seats
                _seat_or_queue(registration, pool, now=now)
            newcomers = [registration for registration in pending if registration.status == Status.WAITLISTED]
            _merge_into_waiting_lists({seat_type: pool}, {seat_type: newcomers})
            confirmed = waitlisted = 0
            for registration in pending:
                registration.save(update_fields=["status", "waitlist_position", "status_changed_at"])
                _status_changed(registration, Status.PENDING, now=now)
                notices.tell_seated(registration, now=now, promoted=False)
                if registration.status == Status.CONFIRMED:
                    confirmed += registration.seats
                else:
                    waitlisted += registration.seats
            pool.save(update_fields=["confirmed", "waitlisted", "pending"])
            outcome[seat_type] = {"confirmed": confirmed, "waitlisted": waitlisted}
        record_audit("event.allocated", actor=actor, now=now, event=event, target=event, data=outcome)
    return outcome


def fill_free_seats(event: Event, *, now: datetime, actor=None) -> None:
    """After capacity grew or seats were freed elsewhere: promote waiting people into free seats."""
    with transaction.atomic():
        for seat_type in sorted(event.seat_types):
            pool = _locked_pool(event, seat_type)
            _fill_free_seats(pool, event, now=now)
            pool.save(update_fields=["confirmed", "waitlisted", "pending"])


def reseat_in_original_order(event: Event, *, now: datetime) -> None:
    """After a move (perhaps to a smaller room): confirmed people keep their seats in line order
    while seats allow, the rest go to the head of the waiting list, which keeps its order. With
    more seats than before, the first waiting move up. A party that does not fit as a whole
    waits, and nobody behind it overtakes it."""
    for seat_type in sorted(event.seat_types):
        pool = _locked_pool(event, seat_type)
        active = Registration.objects.select_for_update().filter(event=event, seat_type=seat_type)
        seated = list(active.filter(status__in=[Status.CONFIRMED, Status.OFFERED]).in_line_order())
        waiting = list(active.filter(status=Status.WAITLISTED).order_by("waitlist_position"))
        free = max(0, pool.capacity - pool.reserved)
        taken = queued = 0
        for registration in seated + waiting:
            if not queued and taken + registration.seats <= free:
                status, position = Status.CONFIRMED, None
                taken += registration.seats
            else:
                status, position = Status.WAITLISTED, queued + 1
                queued += registration.seats
            if status == Status.CONFIRMED and registration.status == Status.OFFERED:
                continue  # an open offer keeps its held seat until it is answered or expires
            if (registration.status, registration.waitlist_position) != (status, position):
                previous = registration.status
                registration.status, registration.waitlist_position = status, position
                registration.status_changed_at = now
                registration.save(update_fields=["status", "waitlist_position", "status_changed_at"])
                if previous != status:
                    _status_changed(registration, previous, now=now)
        pool.confirmed, pool.waitlisted = taken, queued
        pool.save(update_fields=["confirmed", "waitlisted"])


def withdraw_consent(consent: ConsentRecord, *, now: datetime) -> ConsentRecord:
    """Withdrawn consents are recorded, never deleted; staff at the door see the withdrawal."""
    if consent.withdrawn_at is not None:
        return consent
    with transaction.atomic():
        ConsentRecord.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(withdrawn_at=now)
        consent.withdrawn_at = now
        registration = consent.registration
        record_audit(
            "consent.withdrawn", actor=None, label=registration.name, now=now, event=registration.event,
            target=registration, data={"kind": consent.kind, "version": consent.terms_version},
        )  # fmt: skip
    return consent


def _status_changed(registration: Registration, previous: str, *, now: datetime, previous_seat_type: str = "") -> None:
    """Tell the layers above (Zoom registrants), inside the transaction of the change."""
    registration_status_changed.send(
        sender=Registration,
        registration=registration,
        previous_status=previous,
        previous_seat_type=previous_seat_type or registration.seat_type,
        now=now,
    )


def _locked_pool(event: Event, seat_type: str) -> SeatPool:
    return _locked_pools(event, {seat_type})[seat_type]


_POOL_COLUMNS = ("id", "seat_type", "capacity", "reserved", "confirmed", "waitlisted", "pending")


def _locked_pools(event: Event, seat_types: set[str]) -> dict[str, SeatPool]:
    """THE capacity lock: the seat pools of these seat types, locked in the order of their
    names (so that two batches never wait for each other crosswise). Callers must be inside a
    transaction. One plain statement: it runs for every batch of registrations."""
    connection = connections[router.db_for_write(SeatPool)]
    names = sorted(seat_types)
    seat_type_is_one_of, seat_type_params = one_of(connection, "seat_type", names)
    sql = (
        # Only names from the models go into the text of these statements; values are parameters.
        f"SELECT {', '.join(_POOL_COLUMNS)} FROM {SeatPool._meta.db_table} "  # noqa: S608
        f"WHERE event_id = %s AND {seat_type_is_one_of} ORDER BY seat_type"
    )
    if settings.SEAT_POOL_LOCKING and connection.features.has_select_for_update:
        # How long we wait for the lock is PostgreSQL's lock_timeout, set for every connection
        # in config/settings.py (one round trip less than SET LOCAL in each transaction).
        sql += " FOR UPDATE"
    try:
        rows = run_statement(SeatPool, sql, [event.pk, *seat_type_params])
    except OperationalError as error:
        raise Busy("busy", _("Too many registrations at this moment. Please try again in a few seconds.")) from error
    pools = {}
    for row in rows:
        pool = SeatPool(event=event, **dict(zip(_POOL_COLUMNS, row, strict=True)))
        pool._state.adding, pool._state.db = False, connection.alias
        pools[pool.seat_type] = pool
    if len(pools) < len(names):
        raise DomainError(
            "seat_type_not_offered", _("This event offers no seats of this kind."), status=422, field="seat"
        )
    return pools


def _save_counters(pools: list[SeatPool]) -> None:
    """Write the counters of the locked pools with one statement."""
    table = SeatPool._meta.db_table
    run_statement(
        SeatPool,
        # A common table expression: SQLite takes no column names on a VALUES subquery.
        f"WITH counted (id, confirmed, waitlisted, pending) AS (VALUES {placeholder_rows(len(pools), 4)}) "  # noqa: S608
        f"UPDATE {table} SET confirmed = counted.confirmed, waitlisted = counted.waitlisted, "
        f"pending = counted.pending FROM counted WHERE {table}.id = counted.id",
        [value for pool in pools for value in (pool.pk, pool.confirmed, pool.waitlisted, pool.pending)],
    )


def _registered(event: Event, addresses) -> list[Registration]:
    """The active registrations of these (normalised) addresses. The condition of the unique
    index `one_active_registration_per_person` stands in the text, not in parameters, so that
    PostgreSQL can use that index for a prepared statement too."""
    connection = connections[router.db_for_read(Registration)]
    address_is_one_of, addresses = one_of(connection, "email_normalized", addresses)
    return select_rows(
        Registration,
        f"event_id = %s AND status <> '{Status.CANCELLED}' AND email_normalized <> '' AND {address_is_one_of}",
        [event.pk, *addresses],
    )


def _active_registration_of(event: Event, data: RegistrationData) -> Registration | None:
    address, name = _person(data)
    if not address:
        return None
    return Registration.objects.active().filter(event=event, email_normalized=address, name_normalized=name).first()


def _place(registration: Registration, pool: SeatPool, event: Event) -> None:
    """Decide the status of a new registration under the pool lock."""
    if event.allocation == Allocation.AT_DEADLINE:
        registration.status = Status.PENDING
        pool.pending += registration.seats
    else:
        _seat_or_queue(registration, pool, now=registration.entered_at)


def _seat_or_queue(registration: Registration, pool: SeatPool, *, now: datetime) -> None:
    """Seat the whole party if its seats are free and nobody waits; otherwise it joins the end of
    the waiting list. Positions count people: a party of three at position 1 holds places 1 to 3,
    the next one waits at 4."""
    registration.status_changed_at = now
    if pool.available >= registration.seats and pool.waitlisted == 0:
        registration.status = Status.CONFIRMED
        registration.waitlist_position = None
        pool.confirmed += registration.seats
        return
    registration.status = Status.WAITLISTED
    registration.waitlist_position = pool.waitlisted + 1
    pool.waitlisted += registration.seats


def _merge_into_waiting_lists(pools: dict[str, SeatPool], newcomers: dict[str, list[Registration]]) -> None:
    """Newcomers (in line order) were put at the end of their waiting list. One who reached
    the city before people already waiting (a phone call typed in late, a request that waited
    for the lock) goes before the first of them instead; everyone behind moves down by its seats.

    Sets the positions of the newcomers and writes those of the people already waiting who moved."""
    moved = []
    for seat_type, first_later in _first_waiting_after(pools, newcomers).items():
        moved += _make_room(pools[seat_type], newcomers[seat_type], first_later)
    if moved:
        table = Registration._meta.db_table
        run_statement(
            Registration,
            f"WITH moved (id, position) AS (VALUES {placeholder_rows(len(moved), 2)}) "  # noqa: S608
            f"UPDATE {table} SET waitlist_position = moved.position FROM moved WHERE {table}.id = moved.id",
            [value for person in moved for value in (person.pk, person.waitlist_position)],
        )


def _first_waiting_after(pools: dict[str, SeatPool], newcomers: dict[str, list[Registration]]) -> dict[str, int]:
    """Per seat type, the first waiting position of someone who joined the line after the
    earliest newcomer, where there is one. In a rush there is none (the newcomers simply join
    the end), and one look in the index on (event, seat type, status, queued_at) per seat
    type, all in one statement, says so however long the waiting lists are."""
    asked = [
        seat
        for seat, pool in pools.items()
        if newcomers[seat] and pool.waitlisted > sum(newcomer.seats for newcomer in newcomers[seat])
    ]
    if not asked:  # nobody was waiting before the newcomers
        return {}
    connection = connections[router.db_for_write(Registration)]
    after = " OR ".join(["(seat_type = %s AND queued_at > %s)"] * len(asked))
    found = run_statement(
        Registration,
        f"SELECT seat_type, MIN(waitlist_position) FROM {Registration._meta.db_table} "  # noqa: S608
        f"WHERE event_id = %s AND status = %s AND ({after}) GROUP BY seat_type",
        [
            next(iter(pools.values())).event_id,
            Status.WAITLISTED,
            *(
                value
                for seat in asked
                for value in (seat, connection.ops.adapt_datetimefield_value(newcomers[seat][0].queued_at))
            ),
        ],
    )
    return dict(found)


def _make_room(pool: SeatPool, newcomers: list[Registration], first_later: int) -> list[Registration]:
    """Put the newcomers in their places among those waiting from position `first_later` on;
    returns the people already waiting who moved (with their new positions)."""
    behind = select_rows(
        Registration,
        "event_id = %s AND seat_type = %s AND status = %s AND waitlist_position >= %s ORDER BY waitlist_position",
        [pool.event_id, pool.seat_type, Status.WAITLISTED, first_later],
    )
    if not behind:
        return []
    line = list(behind)
    for newcomer in newcomers:
        place = next((i for i, person in enumerate(line) if person.queued_at > newcomer.queued_at), len(line))
        line.insert(place, newcomer)
    position, waiting_before = behind[0].waitlist_position, {id(person) for person in behind}
    moved = []
    for person in line:
        if person.waitlist_position != position:
            person.waitlist_position = position
            if id(person) in waiting_before:
                moved.append(person)
        position += person.seats
    return moved


def _shift_positions(pool: SeatPool, *, from_position: int, by: int) -> None:
    """Move everyone at or after `from_position` on the waiting list by `by` places."""
    rows = Registration.objects.filter(
        event=pool.event_id, seat_type=pool.seat_type, status=Status.WAITLISTED, waitlist_position__gte=from_position
    )
    rows.update(waitlist_position=F("waitlist_position") + by)


def _leave_queue(registration: Registration, pool: SeatPool) -> None:
    """Give back the seats (or places in line) of the whole party; those behind move up."""
    seats = registration.seats
    if registration.status in (Status.CONFIRMED, Status.OFFERED):  # an offered seat is held
        pool.confirmed -= seats
    elif registration.status == Status.PENDING:
        pool.pending -= seats
    elif registration.status == Status.WAITLISTED:
        position = registration.waitlist_position
        registration.waitlist_position = None
        pool.waitlisted -= seats
        _shift_positions(pool, from_position=position + seats, by=-seats)


def _fill_free_seats(pool: SeatPool, event: Event, *, now: datetime) -> None:
    """Give free seats to those waiting, in order. Who is next and whether the seat is confirmed
    or offered for a limited time is `promotion`'s rule; either way the seat is held from now. A
    party that does not fit as a whole keeps waiting, and nobody behind it overtakes it."""
    while pool.available > 0 and pool.waitlisted > 0:
        first = promotion.next_in_line(event, pool.seat_type, now=now)
        if first is None or first.seats > pool.available:
            break
        position = first.waitlist_position
        promotion.move_up(first, event, now=now)
        pool.confirmed += first.seats
        pool.waitlisted -= first.seats
        _shift_positions(pool, from_position=position + first.seats, by=-first.seats)


def _consents(registration: Registration, terms, submission: Submission, *, now: datetime) -> list[ConsentRecord]:
    """The consent records of a new registration: the terms, appearing in the broadcast, and a
    feedback request after the event; written with the registrations' other rows, no statement more."""
    if terms is None:
        return []
    language = registration.language
    texts = {ConsentKind.TERMS: terms.text_de if language == "de" else (terms.text_en or terms.text_de)}
    if broadcast_consent_needed(registration.event, registration.seat_type) and submission.data.broadcast_consent:
        texts[ConsentKind.BROADCAST] = (
            terms.broadcast_text_de if language == "de" else (terms.broadcast_text_en or terms.broadcast_text_de)
        )
    if submission.data.feedback_consent:
        texts[ConsentKind.FEEDBACK] = feedback_consent_text(language)
    recorded_by = submission.actor if submission.channel in STAFF_CHANNELS else None
    return [
        ConsentRecord(
            registration=registration,
            kind=kind,
            terms=terms,
            terms_version=terms.version,
            text=text,
            channel=submission.channel,
            given_at=now,
            recorded_by=recorded_by,
        )
        for kind, text in texts.items()
    ]


@functools.lru_cache(maxsize=4)
def feedback_consent_text(language: str) -> str:
    """The words of the feedback consent, as the person read them, for the consent record."""
    with translation.override(language):
        return str(FEEDBACK_CONSENT_LABEL)
