"""Switches of seat type and parties racing for the last seats, with real threads on PostgreSQL.

Each thread has its own connection. A short pause between reading the seat pools and deciding
(in both the locked and the control runs) makes the race of the control test show reliably."""

import random
import threading
import time

import pytest
from django.db import DatabaseError, connection, connections
from django.utils import timezone

from core.errors import Busy, DomainError
from registrations import changes, seating, services
from registrations.models import Registration
from registrations.submissions import RegistrationData

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def widened_race_window(monkeypatch):
    original = seating.lock

    def slow_read(event, seat_types):
        pools = original(event, seat_types)
        time.sleep(0.003)
        return pools

    monkeypatch.setattr(seating, "lock", slow_read)


def all_at_once(jobs) -> list:
    """Run each job in its own thread and connection, all released together; retry on Busy.
    Returns what each job returned, or the code of its refusal."""
    start = threading.Barrier(len(jobs))
    outcomes, lock = [], threading.Lock()

    def run(job):
        start.wait()
        try:
            while True:
                try:
                    outcome = job()
                    break
                except Busy:
                    time.sleep(0.05)
                except DomainError as refusal:
                    outcome = refusal.code
                    break
                except DatabaseError as error:  # only without the lock (deadlocks of the control run)
                    outcome = type(error).__name__
                    break
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def data(number, seat, companions=0):
    return RegistrationData(
        name=f"Citizen {number}",
        email=f"c{number}@example.org",
        seat_type=seat,
        accept_terms=True,
        broadcast_consent=True,
        companions=companions,
    )


def register_now(event, registration_data):
    now = timezone.now()
    return services.register(event, registration_data, channel="web", received_at=now, now=now)


def assert_consistent(event, seat, capacity):
    """Seats counted by rows and by the pool agree, nobody is overbooked, and the waiting list
    runs from 1 without gaps, each party holding as many places as it has people."""
    rows = Registration.objects.filter(event=event, seat_type=seat)
    seated = sum(r.seats for r in rows.filter(status="confirmed"))
    waiting = list(rows.filter(status="waitlisted").order_by("waitlist_position"))
    expected_position = 1
    for person in waiting:
        assert person.waitlist_position == expected_position, [(w.name, w.waitlist_position) for w in waiting]
        expected_position += person.seats
    pool = event.seat_pools.get(seat_type=seat)
    assert seated <= capacity
    assert (pool.confirmed, pool.waitlisted) == (seated, expected_position - 1)
    return seated, waiting


def test_switches_and_new_registrations_racing_for_online_seats_never_overbook(make_event, widened_race_window):
    assert connection.vendor == "postgresql"
    event = make_event(format="hybrid", onsite=40, online=10, broadcast=True)
    movers = [register_now(event, data(number, "onsite")) for number in range(30)]
    jobs = [
        lambda r=r, wait=number % 2 == 0: changes.switch_seat_type(
            r, "online", actor=None, now=timezone.now(), join_waiting_list=wait
        )
        for number, r in enumerate(movers)
    ] + [lambda n=n: register_now(event, data(100 + n, "online")) for n in range(10)]
    outcomes = all_at_once(jobs)
    refused = [o for o in outcomes if isinstance(o, str)]
    assert set(refused) <= {"seat_type_full"}
    seated, waiting = assert_consistent(event, "online", 10)
    assert seated == 10
    assert_consistent(event, "onsite", 40)
    # Those who did not confirm kept their on-site seat; nobody is in two places at once.
    assert Registration.objects.filter(event=event, seat_type="onsite").count() == len(refused)
    assert len(waiting) + seated == 40 - len(refused)


def test_parties_racing_for_the_last_seats_take_them_whole_and_never_overbook(make_event, widened_race_window):
    event = make_event(format="onsite", onsite=30, max_companions=3)
    sizes = random.Random(16).choices(range(4), k=40)
    outcomes = all_at_once([lambda n=n, k=k: register_now(event, data(n, "onsite", k)) for n, k in enumerate(sizes)])
    assert all(isinstance(o, Registration) for o in outcomes)
    seated, waiting = assert_consistent(event, "onsite", 30)
    # Strict order: seats stay free only while the party at the head of the line does not fit them.
    if waiting:
        assert 30 - seated < waiting[0].seats


def test_without_the_lock_the_same_switches_overbook(
    make_event, widened_race_window, without_seat_lock, without_group_commit
):
    """Control: shows that the switch test above can see the race at all."""
    event = make_event(format="hybrid", onsite=40, online=10)
    movers = [register_now(event, data(number, "onsite")) for number in range(30)]
    all_at_once([lambda r=r: changes.switch_seat_type(r, "online", actor=None, now=timezone.now()) for r in movers])
    seated_online = Registration.objects.filter(event=event, seat_type="online", status="confirmed").count()
    assert seated_online > 10
