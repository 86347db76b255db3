"""THE seat rule: who gets a seat, who waits where, and what the seat pools count.

A pure rule over plain data: no database, no clock, no mail. Every door that changes seats
(registrations/seating.py explains the doors' common steps) has the same shape:

1. lock and read: the seat pools of the event (`Pool`, read under their row lock) and the waiting
   lines concerned (`Party` per registration waiting, in order of position);
2. decide: one function of this module, given the change (`register`, `cancel`, `resize`,
   `switch`, `allocate`, `release_reserved`, `fill_free_seats`, `reseat`, `accept_offer`),
   returns `Moves`: status and position per registration, counters per pool, who moved up;
3. write: `seating.write()` applies the moves and sends the status signal;
4. tell: audit lines and mails, by the door.

The rule in a few sentences (docs/allocation.md says it at length):

- a party (a person and their companions) sits as a whole when its seats are free and nobody is
  waiting; otherwise it joins the end of the waiting list. Positions count people: a party of three
  at position 1 holds places 1 to 3, the next one waits at 4 (the list is gapless in that sense);
- a newcomer who reached the city before people already waiting goes before the first of them;
- seats that become free go to the waiting, in order (at the door, from an hour before the start,
  people waiting at the door first); a party that does not fit keeps waiting and nobody behind it
  overtakes it. While an event reconfirms, a seat is offered (and held) rather than given to
  those who can answer a link;
- never more seats taken than capacity minus reserved, except where capacity shrank under people
  already seated (a move to a smaller room: `reseat`).
"""

from dataclasses import dataclass, field, replace
from datetime import datetime

CONFIRMED, OFFERED, WAITLISTED, PENDING, CANCELLED = "confirmed", "offered", "waitlisted", "pending", "cancelled"
ONSITE = "onsite"
HOLDING_A_SEAT = (CONFIRMED, OFFERED)  # an offered seat is held: it counts as confirmed


@dataclass
class Pool:
    """The counters of one seat type's pool, as read under its lock (in people, not registrations)."""

    seat_type: str
    capacity: int
    reserved: int = 0
    confirmed: int = 0
    waitlisted: int = 0
    pending: int = 0
    pk: int | None = None

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.reserved - self.confirmed)

    def seats_at_once(self, seats: int) -> bool:
        """A party of `seats` people sits now: its seats are free and nobody is waiting."""
        return self.free >= seats and self.waitlisted == 0


@dataclass
class Party:
    """One registration as the rule sees it: a person and their companions (`seats` people)."""

    key: object  # the registration's primary key, or any other key for a newcomer not yet written
    seat_type: str
    seats: int
    status: str = ""  # "" for a newcomer
    position: int | None = None  # on the waiting list: the first of the party's places
    queued_at: datetime | None = None  # when it joined the line of its seat type
    at_door: bool = False  # a walk-in waiting at the door
    answers_mail: bool = True  # has an address and can take an offer by its link
    offer_expires_at: datetime | None = None


@dataclass(frozen=True)
class Terms:
    """What the event and the moment say about seating."""

    at_deadline: bool = False  # newcomers wait as pending until organisers allocate
    door_open: bool = False  # people waiting at the door go first for on-site seats
    offer_until: datetime | None = None  # while an event reconfirms: seats are offered until then


@dataclass
class Moves:
    """What a change does: the pools' new counters and every party whose status or position moved."""

    pools: dict[str, Pool]
    pools_before: dict[str, Pool]
    parties: dict[object, Party]  # as they are now, every party the rule was given or placed
    before: dict[object, tuple[str, int | None]]  # (status, position) as read (newcomers: as placed)
    placed: dict[object, Party] = field(default_factory=dict)  # newcomers, where they came in
    moved_up: list = field(default_factory=list)  # keys seated or offered from the waiting list, in order
    restamped: set = field(default_factory=set)  # keys whose seat was decided anew (status_changed_at)
    offer_until: datetime | None = None

    def changed(self) -> list[Party]:
        return [p for key, p in self.parties.items() if (p.status, p.position) != self.before.get(key, ("", None))]

    def status_changed(self) -> list[Party]:
        return [p for key, p in self.parties.items() if p.status != self.before.get(key, ("", None))[0]]


class DoesNotFit(Exception):
    """The change needs seats that are not free, and the party did not agree to wait."""


class _Seating:
    """The state the rule works on: copies of what was read, changed step by step."""

    def __init__(self, pools: dict[str, Pool], lines: dict[str, list[Party]], terms: Terms):
        self.pools = {seat_type: replace(pool) for seat_type, pool in pools.items()}
        self.pools_before = {seat_type: replace(pool) for seat_type, pool in pools.items()}
        self.lines = {seat_type: [replace(party) for party in lines.get(seat_type, [])] for seat_type in self.pools}
        self.parties = {party.key: party for line in self.lines.values() for party in line}
        self.before = {key: (party.status, party.position) for key, party in self.parties.items()}
        self.terms = terms
        self.moved_up: list = []
        self.restamped: set = set()

    def take(self, party: Party) -> Party:
        """A party the door holds (the one cancelling, switching, a newcomer): from now on ours."""
        if party.key in self.parties:
            return self.parties[party.key]
        party = replace(party)
        self.parties[party.key] = party
        self.before[party.key] = (party.status, party.position)
        return party

    def moves(self, placed: dict | None = None) -> Moves:
        return Moves(
            pools=self.pools,
            pools_before=self.pools_before,
            parties=self.parties,
            before=self.before,
            placed=placed or {},
            moved_up=self.moved_up,
            restamped=self.restamped,
            offer_until=self.terms.offer_until,
        )

    def seat_or_queue(self, party: Party) -> None:
        """The whole party sits if its seats are free and nobody waits; otherwise it joins the end."""
        pool = self.pools[party.seat_type]
        self.restamped.add(party.key)
        if pool.seats_at_once(party.seats):
            party.status, party.position = CONFIRMED, None
            pool.confirmed += party.seats
            return
        party.status, party.position = WAITLISTED, pool.waitlisted + 1
        pool.waitlisted += party.seats
        self.lines[party.seat_type].append(party)

    def leave(self, party: Party) -> None:
        """Give back the seats (or places in line) of the whole party; those behind move up."""
        pool = self.pools[party.seat_type]
        if party.status in HOLDING_A_SEAT:
            pool.confirmed -= party.seats
        elif party.status == PENDING:
            pool.pending -= party.seats
        elif party.status == WAITLISTED:
            self.lines[party.seat_type].remove(party)
            pool.waitlisted -= party.seats
            self.shift(party.seat_type, from_position=party.position + party.seats, by=-party.seats)
            party.position = None

    def shift(self, seat_type: str, *, from_position: int, by: int) -> None:
        for waiting in self.lines[seat_type]:
            if waiting.position >= from_position:
                waiting.position += by

    def next_in_line(self, seat_type: str) -> Party | None:
        line = sorted(self.lines[seat_type], key=lambda party: party.position)
        if seat_type == ONSITE and self.terms.door_open:
            at_the_door = next((party for party in line if party.at_door), None)
            if at_the_door is not None:
                return at_the_door
        return line[0] if line else None

    def fill(self, seat_type: str) -> None:
        """Give free seats to those waiting, in order; a party that does not fit keeps waiting,
        and nobody behind it overtakes it."""
        pool = self.pools[seat_type]
        while pool.free > 0 and pool.waitlisted > 0:
            first = self.next_in_line(seat_type)
            if first is None or first.seats > pool.free:
                break
            position = first.position
            self.lines[seat_type].remove(first)
            offered = self.terms.offer_until is not None and first.answers_mail and not first.at_door
            first.status, first.position = (OFFERED if offered else CONFIRMED), None
            first.offer_expires_at = self.terms.offer_until if offered else None
            self.moved_up.append(first.key)
            self.restamped.add(first.key)
            pool.confirmed += first.seats
            pool.waitlisted -= first.seats
            self.shift(seat_type, from_position=position + first.seats, by=-first.seats)

    def merge(self, seat_type: str, newcomers: list[Party]) -> None:
        """Newcomers (in line order) joined the end of the line. One who reached the city before
        people already waiting goes before the first of them; everyone behind moves down by its seats."""
        if not newcomers:
            return
        new = {party.key for party in newcomers}
        waiting_before = [party for party in self.lines[seat_type] if party.key not in new]
        later = [party.position for party in waiting_before if party.queued_at > newcomers[0].queued_at]
        if not later:
            return
        first_later = min(later)
        behind = sorted((party for party in waiting_before if party.position >= first_later), key=_position)
        line = list(behind)
        for newcomer in newcomers:
            place = next((i for i, party in enumerate(line) if party.queued_at > newcomer.queued_at), len(line))
            line.insert(place, newcomer)
        position = behind[0].position
        for party in line:
            party.position = position
            position += party.seats


def _position(party: Party) -> int:
    return party.position


def register(pools: dict[str, Pool], lines: dict[str, list[Party]], newcomers: list[Party], terms: Terms) -> Moves:
    """Newcomers (a batch, a walk-in) take seats in order of receipt (`queued_at`; the order given
    breaks ties). `lines`: of each pool with people waiting, at least everyone from the first who
    joined after the earliest newcomer on (in a rush: nobody). `Moves.placed` says where each
    newcomer came in; one who went before a waiting party that does not fit the free seats, and
    fits them itself, then moves up at once."""
    seating = _Seating(pools, lines, terms)
    newcomers = sorted((seating.take(party) for party in newcomers), key=lambda party: party.queued_at)
    for party in newcomers:
        if terms.at_deadline:
            party.status = PENDING
            seating.pools[party.seat_type].pending += party.seats
            seating.restamped.add(party.key)
        else:
            seating.seat_or_queue(party)
    for seat_type in seating.pools:
        seating.merge(seat_type, [party for party in newcomers if party.seat_type == seat_type and party.position])
    placed = {party.key: replace(party) for party in newcomers}
    seating.before.update({party.key: (party.status, party.position) for party in newcomers})
    for seat_type, pool in seating.pools.items():
        if any(p.seat_type == seat_type and p.position == 1 and p.seats <= pool.free for p in newcomers):
            seating.fill(seat_type)
    return seating.moves(placed)


def cancel(pools: dict[str, Pool], lines: dict[str, list[Party]], party: Party, terms: Terms) -> Moves:
    """The party leaves (cancelled, released, checked out); its seats go on to those waiting."""
    seating = _Seating(pools, lines, terms)
    party = seating.take(party)
    seating.leave(party)
    party.status, party.position = CANCELLED, None
    seating.restamped.add(party.key)
    seating.fill(party.seat_type)
    return seating.moves()


def release_reserved(pools: dict[str, Pool], lines: dict[str, list[Party]], seat_type: str, count: int, terms: Terms):
    """Reserved seats go to the public; those waiting move up."""
    seating = _Seating(pools, lines, terms)
    seating.pools[seat_type].reserved -= count
    seating.fill(seat_type)
    return seating.moves()


def fill_free_seats(pools: dict[str, Pool], lines: dict[str, list[Party]], terms: Terms) -> Moves:
    """After capacity grew or seats were freed elsewhere: the waiting move into free seats."""
    seating = _Seating(pools, lines, terms)
    for seat_type in sorted(seating.pools):
        seating.fill(seat_type)
    return seating.moves()


def allocate(pools: dict[str, Pool], lines: dict[str, list[Party]], pending: list[Party], terms: Terms) -> Moves:
    """At the deadline: the pending take seats strictly in the order given (line order); the rest
    wait, among those already waiting by the time they joined the line."""
    seating = _Seating(pools, lines, terms)
    pending = [seating.take(party) for party in pending]
    for party in pending:
        seating.pools[party.seat_type].pending -= party.seats
        seating.seat_or_queue(party)
    for seat_type in seating.pools:
        seating.merge(seat_type, [party for party in pending if party.seat_type == seat_type and party.position])
    return seating.moves()


def switch(
    pools: dict[str, Pool],
    lines: dict[str, list[Party]],
    party: Party,
    seat_type: str,
    *,
    queued_at: datetime,
    may_wait: bool,
    terms: Terms,
) -> Moves:
    """The party moves to another seat type: it takes free seats there, or joins the end of that
    line if it agreed to wait (else DoesNotFit); then its old seats go on to those waiting."""
    seating = _Seating(pools, lines, terms)
    party = seating.take(party)
    old, new = seating.pools[party.seat_type], seating.pools[seat_type]
    if party.status == PENDING:
        old.pending -= party.seats
        new.pending += party.seats
        party.seat_type, party.queued_at = seat_type, queued_at
        return seating.moves()
    if not new.seats_at_once(party.seats) and not may_wait:
        raise DoesNotFit
    seating.leave(party)
    party.seat_type, party.queued_at = seat_type, queued_at
    seating.seat_or_queue(party)
    seating.fill(old.seat_type)
    return seating.moves()


def resize(
    pools: dict[str, Pool],
    lines: dict[str, list[Party]],
    party: Party,
    seats: int,
    *,
    queued_at: datetime,
    may_wait: bool,
    terms: Terms,
) -> Moves:
    """The party grows or shrinks to `seats` people. Fewer give their seats (or places) back at
    once and keep their place; more take free seats where nobody waits, or (if the party agreed)
    the whole party joins the end of the line; else DoesNotFit."""
    seating = _Seating(pools, lines, terms)
    party = seating.take(party)
    pool, extra = seating.pools[party.seat_type], seats - party.seats
    if extra < 0:
        if party.status in HOLDING_A_SEAT:
            pool.confirmed += extra
        elif party.status == PENDING:
            pool.pending += extra
        elif party.status == WAITLISTED:
            pool.waitlisted += extra
            seating.shift(party.seat_type, from_position=party.position + party.seats, by=extra)
        party.seats = seats
    elif party.status == CONFIRMED and pool.seats_at_once(extra):
        pool.confirmed += extra
        party.seats = seats
    elif not may_wait:
        raise DoesNotFit
    else:
        status = party.status
        seating.leave(party)
        party.seats, party.queued_at = seats, queued_at
        if status == PENDING:
            pool.pending += seats
            seating.restamped.add(party.key)
        else:
            seating.seat_or_queue(party)
    seating.fill(party.seat_type)
    return seating.moves()


def reseat(pools: dict[str, Pool], seated: list[Party], lines: dict[str, list[Party]], terms: Terms) -> Moves:
    """After a move (perhaps to a smaller room), per seat type: those holding a seat keep it in
    line order (`seated` as given) while seats allow, the rest go to the head of the waiting list,
    which keeps its order; with more seats the first waiting move up. An open offer keeps its held
    seat until it is answered or expires. A party that does not fit waits, and nobody behind it
    overtakes it."""
    seating = _Seating(pools, lines, terms)
    seated = [seating.take(party) for party in seated]
    for seat_type, pool in seating.pools.items():
        waiting = sorted(seating.lines[seat_type], key=_position)
        free, taken, queued = max(0, pool.capacity - pool.reserved), 0, 0
        for party in [party for party in seated if party.seat_type == seat_type] + waiting:
            if not queued and taken + party.seats <= free:
                status, position = CONFIRMED, None
                taken += party.seats
            else:
                status, position = WAITLISTED, queued + 1
                queued += party.seats
            if status == CONFIRMED and party.status == OFFERED:
                continue  # an open offer keeps its held seat until it is answered or expires
            if (party.status, party.position) != (status, position):
                if party.status != status:
                    seating.restamped.add(party.key)
                party.status, party.position = status, position
        seating.lines[seat_type] = [
            party for party in seating.parties.values() if party.seat_type == seat_type and party.status == WAITLISTED
        ]
        pool.confirmed, pool.waitlisted = taken, queued
    return seating.moves()


def accept_offer(pools: dict[str, Pool], party: Party, *, now: datetime) -> Moves:
    """An open offer becomes a confirmed seat (held since the offer: the counters stay); an
    expired or answered one changes nothing."""
    seating = _Seating(pools, {}, Terms())
    party = seating.take(party)
    if party.status == OFFERED and party.offer_expires_at is not None and now < party.offer_expires_at:
        party.status = CONFIRMED
        seating.restamped.add(party.key)
    return seating.moves()
