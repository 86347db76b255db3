"""The limit per address holds when one address registers many names at once, across seat types,
from real concurrent clients on PostgreSQL; with the pool lock off, the same rush passes it."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.utils import timezone

from core.errors import Busy, DomainError
from registrations import per_address, services
from registrations.models import Registration
from registrations.submissions import RegistrationData

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLIENTS = 12
LIMIT = 3


@pytest.fixture
def widened_race_window(monkeypatch):
    """A pause between counting the address's registrations and writing, in both tests alike."""
    original = per_address.over_the_limit

    def slow_count(event, submissions):
        refused = original(event, submissions)
        time.sleep(0.05)
        return refused

    monkeypatch.setattr(per_address, "over_the_limit", slow_count)


def one_address_registers_many_names(event) -> list[str]:
    start = threading.Barrier(CLIENTS)
    outcomes = []

    def client(number):
        start.wait()
        data = RegistrationData(
            name=f"Person {number}",
            email="viele@example.org",
            seat_type="onsite" if number % 2 else "online",
            accept_terms=True,
        )
        try:
            while True:
                try:
                    now = timezone.now()
                    services.register(event, data, channel="web", received_at=now, now=now)
                    outcomes.append("registered")
                    return
                except Busy:
                    time.sleep(0.05)
                except DomainError as refusal:
                    outcomes.append(refusal.code)
                    return
        finally:
            connections.close_all()

    with ThreadPoolExecutor(CLIENTS) as pool:
        for future in [pool.submit(client, number) for number in range(CLIENTS)]:
            future.result()
    return outcomes


def test_one_address_gets_exactly_the_limit_under_a_rush(make_event, widened_race_window, without_group_commit):
    event = make_event(format="hybrid", onsite=20, online=20, max_registrations_per_address=LIMIT)
    outcomes = one_address_registers_many_names(event)
    assert outcomes.count("registered") == LIMIT
    assert outcomes.count("address_limit_reached") == CLIENTS - LIMIT
    assert Registration.objects.filter(event=event).count() == LIMIT


def test_without_the_lock_the_same_rush_passes_the_limit(
    make_event, widened_race_window, without_group_commit, without_seat_lock
):
    """Control: shows that the test above can see the race at all."""
    event = make_event(format="hybrid", onsite=20, online=20, max_registrations_per_address=LIMIT)
    one_address_registers_many_names(event)
    assert Registration.objects.filter(event=event).count() > LIMIT
