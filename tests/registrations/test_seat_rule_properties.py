"""THE seat rule (registrations/seats.py) on plain data, without a database: random histories of
registrations (with late phone calls), cancellations, parties resized, switches of seat type,
released reserved seats and new capacity, checked after every step:

- never more seats taken than capacity minus reserved, and the counters count the parties;
- gapless waiting positions (each = the previous + the previous party's seats), the line in
  order of receipt, and its head never fits the free seats (nobody overtakes, no seat idles);
- a party is never split: it is counted whole under one status;
- within a batch, an earlier receipt never waits while a later one of its seat type sits."""

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registrations import seats

START = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
SEAT_TYPES = ("online", "onsite")


@dataclass
class World:
    pools: dict[str, seats.Pool]
    parties: dict[int, seats.Party] = field(default_factory=dict)
    minute: int = 100  # late phone calls reach back up to 60 minutes
    next_key: int = 1

    def lines(self) -> dict[str, list[seats.Party]]:
        return {
            seat_type: sorted(
                (p for p in self.parties.values() if p.seat_type == seat_type and p.status == seats.WAITLISTED),
                key=lambda p: p.position,
            )
            for seat_type in self.pools
        }

    def take(self, moves: seats.Moves) -> None:
        self.pools |= {seat_type: replace(pool) for seat_type, pool in moves.pools.items()}
        for key, party in moves.parties.items():
            self.parties[key] = replace(party)

    def active(self) -> list[seats.Party]:
        return [p for p in self.parties.values() if p.status != seats.CANCELLED]

    def now(self) -> datetime:
        self.minute += 1
        return START + timedelta(minutes=self.minute)


def tail_as_the_door_reads_it(world: World, newcomers: list[seats.Party]) -> dict[str, list[seats.Party]]:
    """What `seating.waiting_after` reads: of each line, from the first who joined after the
    earliest newcomer of its seat type on."""
    lines = world.lines()
    tails = {}
    for seat_type, line in lines.items():
        mine = [n.queued_at for n in newcomers if n.seat_type == seat_type]
        later = [p.position for p in line if mine and p.queued_at > min(mine)]
        tails[seat_type] = [p for p in line if later and p.position >= min(later)]
    return tails


def check(world: World) -> None:
    lines = world.lines()
    for seat_type, pool in world.pools.items():
        mine = [p for p in world.parties.values() if p.seat_type == seat_type]
        assert pool.confirmed == sum(p.seats for p in mine if p.status in seats.HOLDING_A_SEAT)
        assert pool.waitlisted == sum(p.seats for p in mine if p.status == seats.WAITLISTED)
        assert pool.pending == sum(p.seats for p in mine if p.status == seats.PENDING)
        assert pool.confirmed <= pool.capacity - pool.reserved, "more seats taken than capacity minus reserved"
        line = lines[seat_type]
        expected = 1
        for party in line:
            assert party.position == expected, "waiting positions have a gap"
            expected += party.seats
        assert [p.queued_at for p in line] == sorted(p.queued_at for p in line), "the line lost the order of receipt"
        if line:
            assert line[0].seats > pool.free, "a seat stays free although the first waiting party fits it"
    for party in world.parties.values():
        assert party.seats >= 1
        assert (party.position is not None) == (party.status == seats.WAITLISTED)


party_sizes = st.integers(min_value=1, max_value=4)


@st.composite
def newcomers(draw, world: World) -> list[seats.Party]:
    batch = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        late = draw(st.sampled_from([0, 0, 0, 5, 30, 60]))  # most arrive now, some were typed in late
        batch.append(
            seats.Party(
                key=world.next_key,
                seat_type=draw(st.sampled_from(SEAT_TYPES)),
                seats=draw(party_sizes),
                queued_at=world.now() - timedelta(minutes=late),
            )
        )
        world.next_key += 1
    return batch


def register(world: World, batch: list[seats.Party]) -> None:
    moves = seats.register(world.pools, world.lines(), batch, seats.Terms())
    from_the_tail = seats.register(world.pools, tail_as_the_door_reads_it(world, batch), batch, seats.Terms())
    for key, party in from_the_tail.parties.items():
        assert (party.status, party.position) == (moves.parties[key].status, moves.parties[key].position)
    assert from_the_tail.pools == moves.pools, "the door's partial read decides otherwise than the whole line"
    world.take(moves)
    for earlier in batch:
        for later in batch:
            if earlier.seat_type == later.seat_type and earlier.queued_at < later.queued_at:
                placed_earlier, placed_later = moves.placed[earlier.key], moves.placed[later.key]
                assert not (placed_earlier.status == seats.WAITLISTED and placed_later.status == seats.CONFIRMED)


def one_step(world: World, data) -> None:
    step = data.draw(st.sampled_from(["register", "register", "cancel", "resize", "switch", "release", "grow"]))
    active = world.active()
    if step == "register" or (not active and step in ("cancel", "resize", "switch")):
        register(world, data.draw(newcomers(world)))
    elif step == "cancel":
        party = data.draw(st.sampled_from(active))
        world.take(seats.cancel(world.pools, world.lines(), party, seats.Terms()))
        assert world.parties[party.key].status == seats.CANCELLED
    elif step == "resize":
        party = data.draw(st.sampled_from(active))
        others = {key: p.seats for key, p in world.parties.items() if key != party.key}
        wanted = data.draw(party_sizes.filter(lambda n: n != party.seats))
        try:
            moves = seats.resize(
                world.pools,
                world.lines(),
                party,
                wanted,
                queued_at=world.now(),
                may_wait=data.draw(st.booleans()),
                terms=seats.Terms(),
            )
        except seats.DoesNotFit:
            return
        world.take(moves)
        assert world.parties[party.key].seats == wanted
        assert {key: p.seats for key, p in world.parties.items() if key != party.key} == others
    elif step == "switch":
        party = data.draw(st.sampled_from(active))
        other = next(seat_type for seat_type in SEAT_TYPES if seat_type != party.seat_type)
        try:
            moves = seats.switch(
                world.pools,
                world.lines(),
                party,
                other,
                queued_at=world.now(),
                may_wait=data.draw(st.booleans()),
                terms=seats.Terms(),
            )
        except seats.DoesNotFit:
            return
        world.take(moves)
        assert world.parties[party.key].seat_type == other
    elif step == "release":
        seat_type = data.draw(st.sampled_from(SEAT_TYPES))
        if world.pools[seat_type].reserved:
            count = data.draw(st.integers(min_value=1, max_value=world.pools[seat_type].reserved))
            world.take(seats.release_reserved(world.pools, world.lines(), seat_type, count, seats.Terms()))
    else:
        seat_type = data.draw(st.sampled_from(SEAT_TYPES))
        world.pools[seat_type].capacity += data.draw(st.integers(min_value=1, max_value=3))
        world.take(seats.fill_free_seats(world.pools, world.lines(), seats.Terms()))


def a_world(data) -> World:
    pools = {}
    for seat_type in SEAT_TYPES:
        capacity = data.draw(st.integers(min_value=0, max_value=8))
        pools[seat_type] = seats.Pool(seat_type, capacity, reserved=data.draw(st.integers(0, capacity)))
    return World(pools)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_every_history_keeps_capacity_gapless_lines_whole_parties_and_order_of_receipt(data):
    world = a_world(data)
    for _ in range(data.draw(st.integers(min_value=1, max_value=25))):
        one_step(world, data)
        check(world)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_allocation_at_the_deadline_seats_in_line_order_and_keeps_the_rules(data):
    world = a_world(data)
    batch = data.draw(newcomers(world))
    world.take(seats.register(world.pools, world.lines(), batch, seats.Terms(at_deadline=True)))
    assert all(world.parties[p.key].status == seats.PENDING for p in batch)
    for seat_type in SEAT_TYPES:
        pending = sorted(
            (p for p in world.parties.values() if p.seat_type == seat_type and p.status == seats.PENDING),
            key=lambda p: (p.queued_at, p.key),
        )
        world.take(seats.allocate({seat_type: world.pools[seat_type]}, world.lines(), pending, seats.Terms()))
        seated = [world.parties[p.key].status == seats.CONFIRMED for p in pending]
        assert seated == sorted(seated, reverse=True), "a later receipt sat while an earlier one waits"
    check(world)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_after_a_move_to_a_smaller_room_the_seated_keep_their_order_and_the_rules_hold(data):
    world = a_world(data)
    for _ in range(data.draw(st.integers(min_value=1, max_value=10))):
        one_step(world, data)
    for pool in world.pools.values():
        pool.capacity = data.draw(st.integers(min_value=pool.reserved, max_value=pool.capacity + 3))
    seated = sorted(
        (p for p in world.parties.values() if p.status in seats.HOLDING_A_SEAT), key=lambda p: (p.queued_at, p.key)
    )
    world.take(seats.reseat(world.pools, seated, world.lines(), seats.Terms()))
    for seat_type, pool in world.pools.items():
        assert pool.confirmed <= pool.capacity - pool.reserved
        line = world.lines()[seat_type]
        assert [p.position for p in line] == [1 + sum(q.seats for q in line[:i]) for i in range(len(line))]


def test_at_the_door_the_door_queue_goes_first_and_a_waiting_party_that_does_not_fit_is_not_overtaken():
    pools = {"onsite": seats.Pool("onsite", 2, confirmed=2, waitlisted=4)}
    line = [
        seats.Party(key=1, seat_type="onsite", seats=3, status=seats.WAITLISTED, position=1, queued_at=START),
        seats.Party(
            key=2, seat_type="onsite", seats=1, status=seats.WAITLISTED, position=4, queued_at=START, at_door=True
        ),
    ]
    holder = seats.Party(key=3, seat_type="onsite", seats=1, status=seats.CONFIRMED, queued_at=START)
    at_the_door = seats.cancel(pools, {"onsite": line}, holder, seats.Terms(door_open=True))
    assert at_the_door.moved_up == [2]
    assert at_the_door.parties[1].position == 1
    before_the_door_opens = seats.cancel(pools, {"onsite": line}, holder, seats.Terms())
    assert before_the_door_opens.moved_up == []  # the party of three does not fit one seat, and nobody overtakes it


def test_while_an_event_reconfirms_a_seat_is_offered_and_held_and_an_expired_offer_changes_nothing():
    until = START + timedelta(hours=24)
    pools = {"onsite": seats.Pool("onsite", 1, confirmed=1, waitlisted=1)}
    waiting = seats.Party(key=1, seat_type="onsite", seats=1, status=seats.WAITLISTED, position=1, queued_at=START)
    holder = seats.Party(key=2, seat_type="onsite", seats=1, status=seats.CONFIRMED, queued_at=START)
    moves = seats.cancel(pools, {"onsite": [waiting]}, holder, seats.Terms(offer_until=until))
    assert (moves.parties[1].status, moves.parties[1].offer_expires_at) == (seats.OFFERED, until)
    assert moves.pools["onsite"].confirmed == 1  # held while offered
    offered = moves.parties[1]
    assert (
        seats.accept_offer(moves.pools, offered, now=until - timedelta(seconds=1)).parties[1].status == seats.CONFIRMED
    )
    assert seats.accept_offer(moves.pools, offered, now=until).parties[1].status == seats.OFFERED


@pytest.mark.parametrize("may_wait", [False, True])
def test_a_party_that_grows_beyond_the_free_seats_waits_whole_or_changes_nothing(may_wait):
    pools = {"onsite": seats.Pool("onsite", 3, confirmed=2)}
    party = seats.Party(key=1, seat_type="onsite", seats=2, status=seats.CONFIRMED, queued_at=START)
    if not may_wait:
        with pytest.raises(seats.DoesNotFit):
            seats.resize(pools, {}, party, 4, queued_at=START, may_wait=False, terms=seats.Terms())
        return
    moves = seats.resize(pools, {}, party, 4, queued_at=START, may_wait=True, terms=seats.Terms())
    assert (moves.parties[1].status, moves.parties[1].position, moves.parties[1].seats) == (seats.WAITLISTED, 1, 4)
    assert (moves.pools["onsite"].confirmed, moves.pools["onsite"].waitlisted) == (0, 4)
