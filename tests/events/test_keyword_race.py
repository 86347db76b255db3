"""Two organisers save events with the same registration keyword at the same moment, with real
concurrent threads on PostgreSQL, each with its own database connection.

A short pause is added after the keyword check (between checking and saving) in every test
alike, so that the control test without the lock reliably shows the race the lock prevents."""

import itertools
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from events import services
from events.models import Event, normalize_keyword
from events.services import SeatPlan
from tests.events import concurrency

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SPELLINGS = ["Digitalisierung 20.08.", "„digitalisierung 20.08“"]
NUMBERS = itertools.count(1)


@pytest.fixture
def widened_race_window(monkeypatch):
    original = services.keyword_owner

    def slow_check(keyword, *, now, exclude=None):
        owner = original(keyword, now=now, exclude=exclude)
        time.sleep(0.3)
        return owner

    monkeypatch.setattr(services, "keyword_owner", slow_check)


def new_event_fields(keyword: str) -> dict:
    now = timezone.now()
    starts_at = now + timedelta(days=20)
    return {
        "title_de": f"Dialog {next(NUMBERS)}",
        "format": "online",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "registration_opens_at": now - timedelta(days=1),
        "registration_closes_at": starts_at - timedelta(days=1),
        "status": "published",
        "keyword": keyword,
    }


def at_once(*saves) -> list[str]:
    return concurrency.at_once(saves, lambda _event: "saved")


def creating(keyword: str):
    return lambda: services.create_event(
        new_event_fields(keyword), seats={"online": SeatPlan(50)}, venue=None, actor=None, now=timezone.now()
    )


def giving(event: Event, keyword: str):
    return lambda: services.update_event(event, {"keyword": keyword}, actor=None, now=timezone.now())


def holders(keyword: str) -> int:
    return Event.objects.filter(keyword_normalized=normalize_keyword(keyword)).count()


def test_two_organisers_creating_events_with_one_keyword_at_once_get_it_exactly_once(widened_race_window):
    assert connection.vendor == "postgresql"

    outcomes = at_once(creating(SPELLINGS[0]), creating(SPELLINGS[1]))

    assert outcomes == ["keyword_taken", "saved"]
    assert holders(SPELLINGS[0]) == 1
    assert Event.objects.count() == 1


def test_two_organisers_giving_their_events_one_keyword_at_once_get_it_exactly_once(make_event, widened_race_window):
    first, second = make_event(keyword="Erstes"), make_event(keyword="Zweites")

    outcomes = at_once(giving(first, SPELLINGS[0]), giving(second, SPELLINGS[1]))

    assert outcomes == ["keyword_taken", "saved"]
    assert holders(SPELLINGS[0]) == 1
    assert holders("Erstes") + holders("Zweites") == 1


def test_a_creation_and_a_change_racing_for_one_keyword_end_with_one_holder(make_event, widened_race_window):
    existing = make_event(keyword="Vorher")

    outcomes = at_once(creating(SPELLINGS[0]), giving(existing, SPELLINGS[1]))

    assert outcomes == ["keyword_taken", "saved"]
    assert holders(SPELLINGS[0]) == 1


def test_different_keywords_saved_at_once_are_both_taken(widened_race_window):
    outcomes = at_once(creating("Klimaschutz"), creating("Digitalisierung"))

    assert outcomes == ["saved", "saved"]


def test_without_the_lock_both_organisers_take_the_same_keyword(widened_race_window, monkeypatch):
    """Control: shows that the tests above can see the race at all."""
    monkeypatch.setattr(services, "lock_keyword", lambda keyword: None)

    outcomes = at_once(creating(SPELLINGS[0]), creating(SPELLINGS[1]))

    assert outcomes == ["saved", "saved"]
    assert holders(SPELLINGS[0]) == 2
