"""Two events with the same title and day, created at the same moment, with real concurrent
threads on PostgreSQL, each with its own database connection: both are saved, under two slugs.

A short pause is added after the slug is chosen (between choosing and saving) in every test
alike, so that the control test without the retry reliably shows the race."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from events import services
from events.models import Event
from events.services import SeatPlan
from tests.events import concurrency

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TITLE = "Bürgerdialog Innenstadt"


@pytest.fixture
def widened_race_window(monkeypatch):
    original = services.unique_slug

    def slow_choice(title, starts_at):
        slug = original(title, starts_at)
        time.sleep(0.3)
        return slug

    monkeypatch.setattr(services, "unique_slug", slow_choice)


def at_once(*saves) -> list[str]:
    return concurrency.at_once(saves, lambda event: event.slug)


def creating(title: str = TITLE, *, slug: str | None = None, day: int = 20):
    now = timezone.now()
    starts_at = (now + timedelta(days=day)).replace(hour=18, minute=0, second=0, microsecond=0)
    fields = {
        "title_de": title,
        "format": "online",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "registration_opens_at": now - timedelta(days=1),
        "registration_closes_at": starts_at - timedelta(days=1),
    }
    return lambda: services.create_event(
        fields, seats={"online": SeatPlan(50)}, venue=None, slug=slug, actor=None, now=timezone.now()
    )


def day_slug(day: int = 20) -> str:
    return f"burgerdialog-innenstadt-{timezone.now() + timedelta(days=day):%Y-%m-%d}"


def test_two_events_with_one_title_and_day_created_at_once_both_get_a_slug(widened_race_window):
    assert connection.vendor == "postgresql"

    outcomes = at_once(creating(), creating())

    assert outcomes == [day_slug(), f"{day_slug()}-2"]
    assert Event.objects.count() == 2
    assert all(event.seat_pools.count() == 1 and event.consent_terms.count() == 1 for event in Event.objects.all())


def test_three_at_once_take_the_next_suffixes_in_turn(widened_race_window):
    outcomes = at_once(creating(), creating(), creating())

    assert outcomes == [day_slug(), f"{day_slug()}-2", f"{day_slug()}-3"]


def test_different_days_created_at_once_keep_their_plain_slugs(widened_race_window):
    outcomes = at_once(creating(day=20), creating(day=21))

    assert outcomes == [day_slug(20), day_slug(21)]


def test_a_slug_asked_for_twice_at_once_is_refused_once_not_renamed():
    outcomes = at_once(creating(slug="sommerdialog"), creating("Anderer Titel", slug="sommerdialog"))

    assert outcomes == ["slug_taken", "sommerdialog"]
    assert Event.objects.count() == 1
    assert Event.objects.get().slug == "sommerdialog"


def test_without_the_retry_one_of_two_creations_fails(widened_race_window, monkeypatch):
    """Control: shows that the tests above can see the race at all."""

    def save_once(event, *, slug):
        event.slug = slug or services.unique_slug(event.title_de, event.starts_at)
        event.save()

    monkeypatch.setattr(services, "save_new_event", save_once)

    outcomes = at_once(creating(), creating())

    assert outcomes == ["IntegrityError", day_slug()]
    assert Event.objects.count() == 1
