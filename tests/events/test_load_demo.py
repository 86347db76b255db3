"""`manage.py load_demo`: the three dialogues of the press releases, moved into the coming weeks."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from events.models import AuditEntry, ConsentTerms, Event, SeatPool, Venue

BERLIN = ZoneInfo("Europe/Berlin")
PRESS_RELEASE_DAY = datetime(2020, 8, 3, 9, 0, tzinfo=BERLIN)


def load_demo(**options) -> str:
    out = StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


def snapshot() -> dict:
    """Everything load_demo writes, as plain data."""
    return {
        model.__name__: sorted(map(str, (model_to_dict(row) for row in model.objects.all())))
        for model in (Event, SeatPool, ConsentTerms, Venue, AuditEntry, get_user_model())
    }


@pytest.mark.django_db
@time_machine.travel(PRESS_RELEASE_DAY, tick=False)
def test_creates_the_three_dialogues_of_the_press_releases():
    output = load_demo(allow_production=True)

    kickoff = Event.objects.get(slug="auftakt-digitalisierungsstrategie")
    zoom = Event.objects.get(slug="zoom-dialog-digitalisierung")
    trikala = Event.objects.get(slug="digitalisierung-trikala-castrop-rauxel")
    assert Event.objects.count() == 3
    assert all(event.status == "published" for event in (kickoff, zoom, trikala))

    assert kickoff.format == "onsite"
    assert kickoff.venue.name == "DIEZE"
    assert kickoff.livestream_url.startswith("https://www.facebook.com/")
    assert kickoff.seat_pool("onsite").capacity == 30
    assert kickoff.current_terms().broadcast_consent_required
    assert kickoff.starts_at == datetime(2020, 8, 17, 18, 0, tzinfo=BERLIN)
    assert kickoff.keyword == "Digitalisierung 17.08."

    assert zoom.format == "online"
    assert zoom.seat_pool("online").capacity == 75
    assert zoom.starts_at.astimezone(BERLIN).date() == date(2020, 8, 28)

    assert trikala.format == "online"
    assert trikala.interpretation_languages == ["de", "el"]
    assert trikala.allocation == "at_deadline"

    organiser = get_user_model().objects.get(username="organisator")
    assert organiser.is_staff and not organiser.is_superuser
    assert organiser.check_password("stadtdialog-demo")
    assert set(organiser.organised_events.all()) == {kickoff, zoom, trikala}
    assert "organisator / stadtdialog-demo" in output


@pytest.mark.django_db
def test_demo_dates_lie_in_the_coming_weeks():
    load_demo(allow_production=True)

    today = datetime.now(BERLIN).date()
    for event in Event.objects.all():
        days_ahead = (event.starts_at.astimezone(BERLIN).date() - today).days
        assert 7 <= days_ahead <= 42, event.slug
        assert event.registration_opens_at < datetime.now(BERLIN) < event.registration_closes_at


@pytest.mark.django_db
def test_running_it_twice_changes_nothing():
    load_demo(allow_production=True)
    first = snapshot()

    load_demo(allow_production=True)

    assert snapshot() == first


@pytest.mark.django_db
def test_refuses_to_run_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        load_demo()

    assert not Event.objects.exists()
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_runs_with_debug(settings):
    settings.DEBUG = True

    load_demo()

    assert Event.objects.count() == 3
