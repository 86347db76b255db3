"""The steps every door that changes seats shares, around THE seat rule (registrations/seats.py):

    lock and read  →  decide (seats.*)  →  write  →  tell

- `lock()` takes THE capacity lock: a row lock on the SeatPool of each seat type concerned, in
  the order of their names, and reads their counters as plain `seats.Pool`s. Every door does this
  first, inside its transaction.
- `waiting_lines()` (or, for newcomers, `waiting_after()`) reads the waiting lines the change can
  touch, once, under that lock; `party()` turns a registration the door holds into a `seats.Party`;
  `terms()` says what the event and the moment mean for seating.
- `write()` is the one writer: it applies the rule's `seats.Moves` (status, position, the pools'
  counters) and sends the status signal for every status that changed.
- `tell_moved_up()` records and mails who moved up from the waiting list (`promotion`).

The doors: `services.register_many`/`cancel`/`release_reserved`/`allocate`/`fill_free_seats`,
`changes.switch_seat_type`/`change_details` (a party resized), `reconfirmation.release`/
`accept_offer`, `event_changes.on_event_moved` (reseat), `checkin.walk_ins`/`checkin.checkout`.
See docs/allocation.md.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime

from django.db import OperationalError, connections, router
from django.utils.translation import gettext as _

from core.errors import Busy, DomainError
from core.rows import one_of, placeholder_rows, run_statement, select_rows
from events.models import Allocation, Event, SeatPool
from registrations import promotion, seats
from registrations.models import Channel, Registration, Status
from registrations.signals import registration_status_changed

# Only the control tests of the races turn this off (tests/registrations/conftest.py,
# `without_seat_lock`), to show the overbooking that the row lock prevents. Never an operator's switch.
LOCKING = True

_POOL_COLUMNS = ("id", "seat_type", "capacity", "reserved", "confirmed", "waitlisted", "pending")
_COUNTERS = ("reserved", "confirmed", "waitlisted", "pending")


def lock(event: Event, seat_types: Iterable[str]) -> dict[str, seats.Pool]:
    """THE capacity lock: the seat pools of these seat types, locked in the order of their names
    (so that two doors never wait for each other crosswise). Callers must be inside a transaction.
    One plain statement: it runs for every batch of registrations."""
    connection = connections[router.db_for_write(SeatPool)]
    names = sorted(seat_types)
    seat_type_is_one_of, seat_type_params = one_of(connection, "seat_type", names)
    sql = (
        # Only names from the models go into the text of these statements; values are parameters.
        f"SELECT {', '.join(_POOL_COLUMNS)} FROM {SeatPool._meta.db_table} "  # noqa: S608
        f"WHERE event_id = %s AND {seat_type_is_one_of} ORDER BY seat_type"
    )
    if LOCKING and connection.features.has_select_for_update:
        # How long we wait for the lock is PostgreSQL's lock_timeout, set for every connection
        # in config/settings.py (one round trip less than SET LOCAL in each transaction).
        sql += " FOR UPDATE"
    try:
        rows = run_statement(SeatPool, sql, [event.pk, *seat_type_params])
    except OperationalError as error:
        raise Busy("busy", _("Too many registrations at this moment. Please try again in a few seconds.")) from error
    pools = {}
    for pk, seat_type, *counters in rows:
        pools[seat_type] = seats.Pool(seat_type, *counters, pk=pk)
    if len(pools) < len(names):
        raise DomainError(
            "seat_type_not_offered", _("This event offers no seats of this kind."), status=422, field="seat"
        )
    return pools


def terms(event: Event, *, now: datetime) -> seats.Terms:
    return seats.Terms(
        at_deadline=event.allocation == Allocation.AT_DEADLINE,
        door_open=promotion.door_is_open(event, now=now),
        offer_until=promotion.offer_expiry(event, now=now),
    )


def party(registration: Registration) -> seats.Party:
    return seats.Party(
        key=registration.pk,
        seat_type=registration.seat_type,
        seats=registration.seats,
        status=registration.status,
        position=registration.waitlist_position,
        queued_at=registration.queued_at,
        at_door=registration.channel == Channel.DOOR,
        answers_mail=bool(registration.email),
        offer_expires_at=registration.offer_expires_at,
    )


def waiting_lines(event: Event, pools: Mapping[str, seats.Pool]) -> dict[str, list[seats.Party]]:
    """Everyone waiting for these pools, in order of position. Read under the pool lock, which
    every change of a waiting registration takes: no row lock needed."""
    wanted = [seat_type for seat_type, pool in pools.items() if pool.waitlisted > 0]
    lines = {seat_type: [] for seat_type in pools}
    if not wanted:
        return lines
    rows = Registration.objects.filter(event=event, seat_type__in=wanted, status=Status.WAITLISTED)
    for registration in rows.order_by("waitlist_position").only(
        "pk",
        "seat_type",
        "companions",
        "status",
        "waitlist_position",
        "queued_at",
        "channel",
        "email",
        "offer_expires_at",
    ):
        lines[registration.seat_type].append(party(registration))
    return lines


def waiting_after(
    event: Event, pools: Mapping[str, seats.Pool], newcomers: list[seats.Party]
) -> dict[str, list[seats.Party]]:
    """For newcomers: of each line, everyone from the first who joined it after the earliest
    newcomer on, in one statement for all seat types (in a rush nobody: the newcomers simply join
    the end, and one look in the index on (event, seat type, status, queued_at) says so however
    long the lines are)."""
    earliest = {}
    for newcomer in sorted(newcomers, key=lambda newcomer: newcomer.queued_at):
        if pools[newcomer.seat_type].waitlisted > 0:
            earliest.setdefault(newcomer.seat_type, newcomer.queued_at)
    lines = {seat_type: [] for seat_type in pools}
    if not earliest:
        return lines
    connection = connections[router.db_for_read(Registration)]
    table = Registration._meta.db_table
    tail = (
        f"(seat_type = %s AND waitlist_position >= (SELECT MIN(waitlist_position) FROM {table} "  # noqa: S608
        "WHERE event_id = %s AND status = %s AND seat_type = %s AND queued_at > %s))"
    )
    params = [event.pk, Status.WAITLISTED]
    for seat_type, queued_at in earliest.items():
        params += [
            seat_type,
            event.pk,
            Status.WAITLISTED,
            seat_type,
            connection.ops.adapt_datetimefield_value(queued_at),
        ]
    found = select_rows(
        Registration,
        f"event_id = %s AND status = %s AND ({' OR '.join([tail] * len(earliest))}) ORDER BY waitlist_position",
        params,
    )
    for registration in found:
        lines[registration.seat_type].append(party(registration))
    return lines


_HELD_FIELDS = ["status", "waitlist_position", "status_changed_at", "offer_expires_at", "seat_type", "queued_at"]


def apply(moves: seats.Moves, registration: Registration, key, *, now: datetime) -> str:
    """The registration takes what the rule decided for `key`; returns its previous status."""
    decided = moves.parties[key]
    previous = registration.status
    registration.status, registration.waitlist_position = decided.status, decided.position
    registration.seat_type, registration.queued_at = decided.seat_type, decided.queued_at
    registration.companions = decided.seats - 1
    if key in moves.restamped:
        registration.status_changed_at = now
    if decided.status == Status.OFFERED and decided.offer_expires_at is not None:
        registration.offer_expires_at = decided.offer_expires_at
    return previous


def write(
    event: Event,
    moves: seats.Moves,
    *,
    now: datetime,
    held: Mapping[object, Registration] | None = None,
    also: Iterable[str] = (),
    new: Iterable[Registration] = (),
) -> dict[object, tuple[Registration, str, str]]:
    """THE writer: apply the moves, then send the status signal (first for the `new` registrations
    a door just inserted, as they came in). `held`: the registrations the door holds, by key; they
    take the new values, and those already in the database are saved where they changed (with the
    fields `also` besides, always). Every other moved registration is written by its key. Returns,
    by key, (registration, previous status, previous seat type) of every registration whose status
    or seat type changed."""
    held = held or {}
    positions, statuses, told = [], [], {}
    for key, decided in moves.parties.items():
        if key in held:
            registration = held[key]
            read = _seat_fields(registration)
            previous = apply(moves, registration, key, now=now)
            if registration.pk is not None and (also or _seat_fields(registration) != read):
                registration.save(update_fields=[*_HELD_FIELDS, "companions", *also])
            if previous != registration.status or read[2] != registration.seat_type:
                told[key] = (registration, previous, read[2])
            continue
        before_status, before_position = moves.before[key]
        if decided.status != before_status:
            statuses.append(decided)
        elif decided.position != before_position:
            positions.append(decided)
    _write_positions(positions)
    for decided in statuses:
        values = {"status": decided.status, "waitlist_position": decided.position}
        if decided.key in moves.restamped:
            values["status_changed_at"] = now
        if decided.status == Status.OFFERED:
            values["offer_expires_at"] = decided.offer_expires_at
        Registration.objects.filter(pk=decided.key, status=moves.before[decided.key][0]).update(**values)
    if statuses:
        loaded = Registration.objects.in_bulk([decided.key for decided in statuses])
        for decided in statuses:
            registration = loaded[decided.key]
            registration.event = event
            told[decided.key] = (registration, moves.before[decided.key][0], registration.seat_type)
    _write_counters(moves)
    for registration in new:
        status_changed(registration, "", now=now)
    for registration, previous, previous_seat_type in told.values():
        status_changed(registration, previous, now=now, previous_seat_type=previous_seat_type)
    return told


def _seat_fields(registration: Registration) -> tuple:
    return (
        registration.status,
        registration.waitlist_position,
        registration.seat_type,
        registration.queued_at,
        registration.companions,
        registration.offer_expires_at,
    )


def _write_positions(moved: list[seats.Party]) -> None:
    """New places in line, with one statement per thousand. Like every write here, it changes a
    row only in the state it was read in: under the lock always so; without it (the control
    tests), a lost update rather than a broken row."""
    table = Registration._meta.db_table
    for start in range(0, len(moved), 1000):
        chunk = moved[start : start + 1000]
        run_statement(
            Registration,
            f"WITH moved (id, position) AS (VALUES {placeholder_rows(len(chunk), 2)}) "  # noqa: S608
            f"UPDATE {table} SET waitlist_position = moved.position FROM moved "
            f"WHERE {table}.id = moved.id AND {table}.status = %s",
            [*(value for party in chunk for value in (party.key, party.position)), Status.WAITLISTED],
        )


def _write_counters(moves: seats.Moves) -> None:
    """The counters of the pools that changed, with one statement."""
    pools = [pool for pool in moves.pools.values() if pool != moves.pools_before[pool.seat_type]]
    if not pools:
        return
    table = SeatPool._meta.db_table
    run_statement(
        SeatPool,
        # A common table expression: SQLite takes no column names on a VALUES subquery.
        f"WITH counted (id, {', '.join(_COUNTERS)}) AS (VALUES {placeholder_rows(len(pools), 1 + len(_COUNTERS))}) "  # noqa: S608
        f"UPDATE {table} SET {', '.join(f'{name} = counted.{name}' for name in _COUNTERS)} "
        f"FROM counted WHERE {table}.id = counted.id",
        [value for pool in pools for value in (pool.pk, *(getattr(pool, name) for name in _COUNTERS))],
    )


def status_changed(registration: Registration, previous: str, *, now: datetime, previous_seat_type: str = "") -> None:
    """Tell the layers above (Zoom registrants), inside the transaction of the change."""
    registration_status_changed.send(
        sender=Registration,
        registration=registration,
        previous_status=previous,
        previous_seat_type=previous_seat_type or registration.seat_type,
        now=now,
    )


def tell_moved_up(event: Event, moves: seats.Moves, told: Mapping[object, tuple], *, now: datetime) -> None:
    """Audit lines and mails for those who moved up from the waiting list, in the order they did."""
    for key in moves.moved_up:
        promotion.tell_moved_up(told[key][0], event, now=now)
