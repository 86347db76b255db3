"""THE seat rule: who gets a seat, who waits where, and what the seat pools count. Decide, then write.

Read top to bottom:

1. The lock: `locked_pools()` takes a row lock on the SeatPool of each seat type concerned (in the
   order of their names) and reads its counters. Every change that touches seats does this first,
   inside its transaction, and writes the counters back last (`save_counters()` or `pool.save()`).
2. Placing: `place()` decides a new registration (pending at an `at_deadline` event, otherwise
   `seat_or_queue()`: the whole party sits if its seats are free and nobody waits, else it joins
   the end of the waiting list). Decided in memory, on the locked pool.
3. The waiting-list merge: `merge_into_waiting_lists()` puts newcomers who reached the city before
   people already waiting ahead of them; `seat_newcomers_at_the_head()` seats such a newcomer when
   it fits the free seats.
4. Leaving the queue: `leave_queue()` gives back a party's seats or places (`shift_positions()`
   moves those behind up).
5. Filling free seats: `fill_free_seats()` hands free seats to the waiting, in order; who is next and
   whether the seat is offered or confirmed is `promotion`'s rule. `reseat_in_original_order()`
   seats a whole event again after a move.
6. The counters: `save_counters()` writes the counters of all locked pools with one statement;
   `status_changed()` tells the layers above, inside the transaction.

The callers decide when: `services.register_many()` (one batch, grouped by `group_commit`),
`services.cancel()`/`allocate()`/`release_reserved()`, `changes`, `reconfirmation` and the walk-ins
at the door. See docs/allocation.md.
"""

from datetime import datetime

from django.conf import settings
from django.db import OperationalError, connections, router
from django.db.models import F
from django.utils.translation import gettext as _

from core.errors import Busy, DomainError
from core.rows import one_of, placeholder_rows, run_statement, select_rows
from events.models import Allocation, Event, SeatPool
from registrations import promotion
from registrations.models import Registration, Status
from registrations.signals import registration_status_changed

_POOL_COLUMNS = ("id", "seat_type", "capacity", "reserved", "confirmed", "waitlisted", "pending")


def locked_pools(event: Event, seat_types: set[str]) -> dict[str, SeatPool]:
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


def locked_pool(event: Event, seat_type: str) -> SeatPool:
    return locked_pools(event, {seat_type})[seat_type]


def place(registration: Registration, pool: SeatPool, event: Event) -> None:
    """Decide the status of a new registration under the pool lock."""
    if event.allocation == Allocation.AT_DEADLINE:
        registration.status = Status.PENDING
        pool.pending += registration.seats
    else:
        seat_or_queue(registration, pool, now=registration.entered_at)


def seat_or_queue(registration: Registration, pool: SeatPool, *, now: datetime) -> None:
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


def merge_into_waiting_lists(pools: dict[str, SeatPool], newcomers: dict[str, list[Registration]]) -> None:
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


def seat_newcomers_at_the_head(
    event: Event, pools: dict[str, SeatPool], newcomers: dict[str, list[Registration]], *, now: datetime
) -> None:
    """Only with parties: a newcomer who reached the city before a waiting party that does not
    fit the free seats goes before it in line (`merge_into_waiting_lists`), and may fit them
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
        fill_free_seats(pool, event, now=now)
    batch = {person.pk: person for waiting in newcomers.values() for person in waiting}
    for pk, status, position in Registration.objects.filter(pk__in=batch).values_list(
        "pk", "status", "waitlist_position"
    ):
        batch[pk].status, batch[pk].waitlist_position = status, position


def leave_queue(registration: Registration, pool: SeatPool) -> None:
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
        shift_positions(pool, from_position=position + seats, by=-seats)


def shift_positions(pool: SeatPool, *, from_position: int, by: int) -> None:
    """Move everyone at or after `from_position` on the waiting list by `by` places."""
    rows = Registration.objects.filter(
        event=pool.event_id, seat_type=pool.seat_type, status=Status.WAITLISTED, waitlist_position__gte=from_position
    )
    rows.update(waitlist_position=F("waitlist_position") + by)


def fill_free_seats(pool: SeatPool, event: Event, *, now: datetime) -> None:
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
        shift_positions(pool, from_position=position + first.seats, by=-first.seats)


def reseat_in_original_order(event: Event, *, now: datetime) -> None:
    """After a move (perhaps to a smaller room): confirmed people keep their seats in line order
    while seats allow, the rest go to the head of the waiting list, which keeps its order. With
    more seats than before, the first waiting move up. A party that does not fit as a whole
    waits, and nobody behind it overtakes it."""
    for seat_type in sorted(event.seat_types):
        pool = locked_pool(event, seat_type)
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
                    status_changed(registration, previous, now=now)
        pool.confirmed, pool.waitlisted = taken, queued
        pool.save(update_fields=["confirmed", "waitlisted"])


def save_counters(pools: list[SeatPool]) -> None:
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


def status_changed(registration: Registration, previous: str, *, now: datetime, previous_seat_type: str = "") -> None:
    """Tell the layers above (Zoom registrants), inside the transaction of the change."""
    registration_status_changed.send(
        sender=Registration,
        registration=registration,
        previous_status=previous,
        previous_seat_type=previous_seat_type or registration.seat_type,
        now=now,
    )
