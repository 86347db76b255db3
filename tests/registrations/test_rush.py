"""A rush of citizens for a few dozen seats, with real concurrent clients on PostgreSQL.

Each thread has its own database connection. A short pause is added inside the allocation
(between reading the seat pool and deciding the seat) in both tests alike, so that the
control test without the lock reliably shows the race the lock prevents."""

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from core.errors import Busy
from events.models import SeatPool
from registrations import group_commit as group_commit_module
from registrations import seats, services
from registrations.models import Registration
from registrations.submissions import RegistrationData

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLIENTS = 48
REGISTRATIONS = 300


@pytest.fixture
def widened_race_window(monkeypatch):
    original = seats.register

    def slow_decision(*args, **kwargs):
        time.sleep(0.003)
        return original(*args, **kwargs)

    monkeypatch.setattr(seats, "register", slow_decision)


def rush(event):
    seat_types = ["onsite"] * 180 + ["online"] * 120
    random.Random(7).shuffle(seat_types)
    start = threading.Barrier(CLIENTS)
    work = iter(enumerate(seat_types))
    lock = threading.Lock()
    outcomes = []

    def client():
        start.wait()
        try:
            while True:
                with lock:
                    item = next(work, None)
                if item is None:
                    return
                number, seat = item
                data = RegistrationData(
                    name=f"Citizen {number}",
                    email=f"c{number}@example.org",
                    seat_type=seat,
                    accept_terms=True,
                    broadcast_consent=True,
                )
                while True:
                    try:
                        now = timezone.now()
                        registration = services.register(event, data, channel="web", received_at=now, now=now)
                        break
                    except Busy:
                        time.sleep(0.05)
                with lock:
                    outcomes.append(registration.status)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(CLIENTS) as pool:
        for future in [pool.submit(client) for _ in range(CLIENTS)]:
            future.result()
    return outcomes


@pytest.mark.parametrize("group_commit", [True, False], ids=["grouped", "one-transaction-each"])
def test_last_seats_go_to_exactly_the_capacity_under_a_rush(make_event, widened_race_window, monkeypatch, group_commit):
    assert connection.vendor == "postgresql"
    monkeypatch.setattr(group_commit_module, "ENABLED", group_commit)
    event = make_event(format="hybrid", onsite=60, online=40, broadcast=True)
    outcomes = rush(event)
    assert len(outcomes) == REGISTRATIONS
    for seat, capacity, total in (("onsite", 60, 180), ("online", 40, 120)):
        rows = Registration.objects.filter(event=event, seat_type=seat)
        assert rows.filter(status="confirmed").count() == capacity
        waiting = list(rows.filter(status="waitlisted").order_by("waitlist_position"))
        assert [r.waitlist_position for r in waiting] == list(range(1, total - capacity + 1))
        # The waiting list is in the order the registrations reached the city.
        assert [r.received_at for r in waiting] == sorted(r.received_at for r in waiting)
        pool = event.seat_pools.get(seat_type=seat)
        assert (pool.confirmed, pool.waitlisted) == (capacity, total - capacity)


def test_without_the_lock_the_same_rush_overbooks(
    make_event, widened_race_window, without_seat_lock, without_group_commit
):
    """Control: shows that the test above can see the race at all (with one transaction per
    request: grouped requests of one process never race each other)."""
    event = make_event(format="hybrid", onsite=60, online=40, broadcast=True)
    rush(event)
    confirmed_onsite = Registration.objects.filter(event=event, seat_type="onsite", status="confirmed").count()
    confirmed_online = Registration.objects.filter(event=event, seat_type="online", status="confirmed").count()
    assert confirmed_onsite > 60 or confirmed_online > 40


def test_two_identical_submissions_at_once_make_one_registration(make_event):
    event = make_event(format="onsite", onsite=10)
    start = threading.Barrier(2)
    results = []

    def submit():
        start.wait()
        try:
            now = timezone.now()
            data = RegistrationData(name="Eva", email="eva@example.org", seat_type="onsite", accept_terms=True)
            services.register(event, data, channel="web", received_at=now, now=now)
            results.append("created")
        except services.AlreadyRegistered:
            results.append("already_registered")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["already_registered", "created"]
    assert Registration.objects.filter(event=event).count() == 1


def test_a_registration_gives_up_with_busy_when_the_seat_pool_stays_locked(make_event):
    """Every connection waits at most `lock_timeout` (3 s) for a seat pool; then the caller gets
    Busy (503 with Retry-After in the API) and nothing of the registration is saved."""
    event = make_event(format="onsite", onsite=10)
    holding, release = threading.Event(), threading.Event()

    def hold_the_lock():
        try:
            with transaction.atomic():
                SeatPool.objects.select_for_update().get(event=event, seat_type="onsite")
                holding.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert holding.wait(5)
        now = timezone.now()
        data = RegistrationData(name="Eva", email="eva@example.org", seat_type="onsite", accept_terms=True)
        with pytest.raises(Busy):  # without the timeout it would wait until the holder lets go
            services.register(event, data, channel="web", received_at=now, now=now)
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            assert cursor.fetchone() == ("3s",)
    finally:
        release.set()
        holder.join()
    assert not Registration.objects.filter(event=event).exists()
    assert event.seat_pools.get(seat_type="onsite").confirmed == 0
