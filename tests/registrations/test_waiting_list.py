from datetime import timedelta

import pytest

from core.errors import DomainError
from events import services as event_services
from events.services import SeatPlan
from registrations import services
from registrations.models import Registration
from tests.factories import register

pytestmark = pytest.mark.django_db


def positions(event, seat="onsite"):
    waiting = Registration.objects.filter(event=event, seat_type=seat, status="waitlisted")
    return list(waiting.order_by("waitlist_position").values_list("name", "waitlist_position"))


def test_cancelling_a_seat_promotes_the_first_waiting_and_closes_the_gap(make_event, person, now):
    event = make_event(format="onsite", onsite=1)
    seated = register(event, person(name="A"), now)
    first, _, _ = (register(event, person(name=n), now) for n in "BCD")
    services.cancel(seated, actor=None, now=now)
    first.refresh_from_db()
    assert first.status == "confirmed"
    assert positions(event) == [("C", 1), ("D", 2)]
    pool = event.seat_pools.get()
    assert (pool.confirmed, pool.waitlisted) == (1, 2)


def test_leaving_the_waiting_list_closes_the_gap(make_event, person, now):
    event = make_event(format="onsite", onsite=1)
    register(event, person(name="A"), now)
    _, second, _ = (register(event, person(name=n), now) for n in "BCD")
    services.cancel(second, actor=None, now=now)
    assert positions(event) == [("B", 1), ("D", 2)]


def test_promotion_stays_within_the_seat_type(make_event, person, now):
    event = make_event(format="hybrid", onsite=1, online=1)
    onsite = register(event, person(name="on"), now)
    register(event, person(name="online", seat="online"), now)
    waiting_online = register(event, person(name="online2", seat="online"), now)
    services.cancel(onsite, actor=None, now=now)
    waiting_online.refresh_from_db()
    assert waiting_online.status == "waitlisted"
    assert event.seat_pools.get(seat_type="onsite").available == 1


def test_cancelling_twice_is_refused(make_event, person, now):
    event = make_event(format="onsite")
    registration = register(event, person(), now)
    services.cancel(registration, actor=None, now=now)
    with pytest.raises(DomainError) as again:
        services.cancel(registration, actor=None, now=now)
    assert again.value.code == "already_cancelled"


def test_releasing_reserved_seats_promotes_waiting_people(make_event, person, now, organiser):
    event = make_event(format="onsite", onsite=3, reserved=2)
    register(event, person(name="A"), now)
    b, c = register(event, person(name="B"), now), register(event, person(name="C"), now)
    services.release_reserved(event, "onsite", 1, actor=organiser, now=now)
    b.refresh_from_db()
    c.refresh_from_db()
    assert (b.status, c.status, c.waitlist_position) == ("confirmed", "waitlisted", 1)
    with pytest.raises(DomainError) as too_many:
        services.release_reserved(event, "onsite", 5, actor=organiser, now=now)
    assert too_many.value.code == "invalid_release"
    assert event.seat_pools.get().reserved == 1


def test_more_capacity_promotes_waiting_people(make_event, person, now, organiser):
    event = make_event(format="onsite", onsite=1, organiser=organiser)
    register(event, person(name="A"), now)
    waiting = register(event, person(name="B"), now)
    event_services.update_event(event, {}, seats={"onsite": SeatPlan(2)}, actor=organiser, now=now)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_capacity_cannot_drop_below_the_confirmed_seats(make_event, person, now, organiser):
    event = make_event(format="onsite", onsite=3, organiser=organiser)
    register(event, person(), now)
    register(event, person(), now)
    with pytest.raises(DomainError) as refusal:
        event_services.update_event(event, {}, seats={"onsite": SeatPlan(1)}, actor=organiser, now=now)
    assert refusal.value.code == "capacity_below_confirmed"
    assert event.seat_pools.get().capacity == 3


def test_a_late_entered_phone_call_keeps_its_place_on_the_waiting_list(make_event, person, now, organiser):
    event = make_event(format="onsite", onsite=1)
    register(event, person(name="A"), now - timedelta(hours=3), received_at=now - timedelta(hours=3))
    register(event, person(name="web later"), now - timedelta(minutes=30), received_at=now - timedelta(minutes=30))
    register(
        event,
        person(name="call earlier", email="", phone="02305 9"),
        now,
        channel="phone",
        received_at=now - timedelta(hours=1),
        actor=organiser,
    )
    assert positions(event) == [("call earlier", 1), ("web later", 2)]


class TestAllocationAtTheDeadline:
    def make(self, make_event, now, seats=2):
        return make_event(
            format="onsite",
            onsite=seats,
            allocation="at_deadline",
            opens=now - timedelta(days=3),
            closes=now - timedelta(minutes=1),
        )

    def test_registrations_wait_as_pending_until_allocation(self, make_event, person, now):
        event = make_event(format="onsite", allocation="at_deadline")
        registration = register(event, person(), now)
        assert registration.status == "pending"
        assert event.seat_pools.get().pending == 1

    def test_seats_go_by_time_of_receipt_across_channels(self, make_event, person, now, organiser):
        event = self.make(make_event, now)
        day = now - timedelta(days=2)
        register(event, person(name="web 10:05"), day, received_at=day + timedelta(minutes=5))
        register(event, person(name="mail 10:07"), day, channel="email", received_at=day + timedelta(minutes=7))
        register(event, person(name="web 10:03"), day, received_at=day + timedelta(minutes=3))
        # The call came in first but was typed in last, after the deadline.
        register(
            event,
            person(name="call 10:01", email="", phone="02305 8"),
            now,
            channel="phone",
            received_at=day + timedelta(minutes=1),
            actor=organiser,
        )
        outcome = services.allocate(event, actor=organiser, now=now)
        assert outcome == {"onsite": {"confirmed": 2, "waitlisted": 2}}
        confirmed = set(event.registrations.filter(status="confirmed").values_list("name", flat=True))
        assert confirmed == {"call 10:01", "web 10:03"}
        assert positions(event) == [("web 10:05", 1), ("mail 10:07", 2)]

    def test_allocating_twice_changes_nothing(self, make_event, person, now, organiser):
        event = self.make(make_event, now, seats=1)
        for minutes in (1, 2, 3):
            register(event, person(), now - timedelta(days=1), received_at=now - timedelta(days=1, minutes=minutes))
        services.allocate(event, actor=organiser, now=now)
        before = list(event.registrations.values_list("pk", "status", "waitlist_position"))
        assert services.allocate(event, actor=organiser, now=now) == {"onsite": {"confirmed": 0, "waitlisted": 0}}
        assert list(event.registrations.values_list("pk", "status", "waitlist_position")) == before

    def test_allocation_waits_for_the_deadline(self, make_event, person, now, organiser):
        event = make_event(format="onsite", allocation="at_deadline")
        register(event, person(), now)
        with pytest.raises(DomainError) as early:
            services.allocate(event, actor=organiser, now=now)
        assert early.value.code == "deadline_not_reached"
        assert event.registrations.get().status == "pending"

    def test_first_come_events_cannot_be_allocated(self, make_event, now, organiser):
        with pytest.raises(DomainError) as refusal:
            services.allocate(make_event(), actor=organiser, now=now)
        assert refusal.value.code == "not_at_deadline"
