"""`manage.py load_demo`: the three dialogues of the press releases and a hybrid workshop in the
coming weeks, two past events with registrations and check-ins, and the ideas chain."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from events.demo import PAST_HYBRID_SLUG, PAST_ONSITE_SLUG, UPCOMING_HYBRID_SLUG
from events.models import AuditEntry, ConsentTerms, Event, SeatPool, Venue
from ideas.models import BacklogItem, BreakoutGroup, Dot, Idea, Moderator, PlenumVoting, Voter, WorkingGroup
from registrations.models import OutboxMail, Registration

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
        for model in (
            Event,
            SeatPool,
            ConsentTerms,
            Venue,
            AuditEntry,
            get_user_model(),
            Registration,
            OutboxMail,
            BreakoutGroup,
            Moderator,
            Idea,
            PlenumVoting,
            Voter,
            Dot,
            WorkingGroup,
            BacklogItem,
        )
    }


@pytest.mark.django_db
@time_machine.travel(PRESS_RELEASE_DAY, tick=False)
def test_creates_the_three_dialogues_of_the_press_releases():
    output = load_demo(allow_production=True)

    kickoff = Event.objects.get(slug="auftakt-digitalisierungsstrategie")
    zoom = Event.objects.get(slug="zoom-dialog-digitalisierung")
    trikala = Event.objects.get(slug="digitalisierung-trikala-castrop-rauxel")
    assert Event.objects.count() == 6
    assert all(event.status == "published" for event in Event.objects.all())

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
    assert set(organiser.organised_events.all()) == set(Event.objects.all())
    assert "organisator / stadtdialog-demo" in output
    assert "http://127.0.0.1:8000/organisation/anmelden/" in output


@pytest.mark.django_db
def test_demo_dates_lie_in_the_coming_weeks_and_the_past_events_in_the_default_report_period():
    load_demo(allow_production=True)

    today = datetime.now(BERLIN).date()
    past = Event.objects.filter(slug__in=[PAST_HYBRID_SLUG, PAST_ONSITE_SLUG])
    for event in past:
        days_ago = (today - event.ends_at.astimezone(BERLIN).date()).days
        assert 7 <= days_ago <= 80, event.slug  # the period report shows the last three months
    for event in Event.objects.exclude(pk__in=past):
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
def test_a_hybrid_event_ahead_has_seats_of_both_types_and_first_registrations():
    load_demo(allow_production=True)

    workshop = Event.objects.get(slug=UPCOMING_HYBRID_SLUG)
    assert workshop.format == "hybrid"
    assert {pool.seat_type for pool in workshop.seat_pools.all()} == {"onsite", "online"}
    registered = Registration.objects.filter(event=workshop)
    assert {registration.seat_type for registration in registered} == {"onsite", "online"}
    assert registered.filter(companions__gt=0).exists()


@pytest.mark.django_db
def test_the_past_events_have_registrations_by_several_channels_and_check_ins():
    load_demo(allow_production=True)

    for slug in (PAST_HYBRID_SLUG, PAST_ONSITE_SLUG):
        registered = Registration.objects.filter(event__slug=slug)
        assert registered.count() >= 10, slug
        assert {"web", "phone"} <= set(registered.values_list("channel", flat=True)), slug
        came = registered.filter(checked_in_at__isnull=False)
        assert 0 < came.count() < registered.count(), slug
        event = Event.objects.get(slug=slug)
        assert all(event.starts_at <= r.checked_in_at <= event.ends_at for r in came)


@pytest.mark.django_db
def test_the_ideas_chain_runs_from_breakout_groups_through_the_plenum_into_a_backlog():
    load_demo(allow_production=True)

    workshop = Event.objects.get(slug=PAST_HYBRID_SLUG)
    groups = BreakoutGroup.objects.filter(event=workshop)
    assert groups.count() >= 3 and {group.kind for group in groups} == {"room", "table"}
    assert all(group.ideas.exists() and group.moderators.exists() for group in groups)
    for_plenum = Idea.objects.filter(event=workshop, for_plenum=True)
    assert for_plenum.exists() and Idea.objects.filter(event=workshop, for_plenum=False).exists()
    voting = PlenumVoting.objects.get(event=workshop)
    assert voting.dots_per_voter > 0 and not voting.is_open
    assert set(Dot.objects.values_list("idea__event", flat=True)) == {workshop.pk}
    assert Dot.objects.count() == voting.dots_per_voter * Voter.objects.filter(event=workshop).count() > 0
    working_group = WorkingGroup.objects.get()
    statuses = set(BacklogItem.objects.filter(working_group=working_group).values_list("status", flat=True))
    assert {"new", "in_discussion", "in_progress", "done"} <= statuses
    assert all(item.ideas.exists() for item in working_group.items.all())


@pytest.mark.django_db
def test_the_period_report_shows_the_past_events_by_default(client):
    load_demo(allow_production=True)
    client.force_login(get_user_model().objects.get(username="organisator"))

    page = client.get("/organisation/berichte/")

    assert page.status_code == 200
    for slug in (PAST_HYBRID_SLUG, PAST_ONSITE_SLUG):
        assert Event.objects.get(slug=slug).title in page.text


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

    assert Event.objects.count() == 6
