"""Times near year 1 or 9999: refused with a code where an organiser enters them, and one such
row in the database (written around the services) never breaks a page or feed for everyone."""

from datetime import UTC, datetime

import icalendar
import pytest
from django.test import Client

from events.models import Event
from events.services import event_problems
from tests.events.test_events_api import assert_error, new_event_body

pytestmark = pytest.mark.django_db

YEAR_ONE = {
    "starts_at": "0001-01-02T10:00:00+00:00",
    "ends_at": "0001-01-02T12:00:00+00:00",
    "registration_opens_at": "0001-01-01T00:00:00+00:00",
    "registration_closes_at": "0001-01-01T12:00:00+00:00",
    "reconfirm_days_before": 7,
}
YEAR_9999 = {
    "starts_at": "9999-12-31T20:00:00+00:00",
    "ends_at": "9999-12-31T23:30:00+00:00",
    "registration_closes_at": "9999-12-30T00:00:00+00:00",
}


@pytest.mark.parametrize("times", [YEAR_ONE, YEAR_9999], ids=["year 1", "year 9999"])
def test_an_event_near_the_edge_of_the_calendar_is_refused_with_a_code(api_client, organiser, times):
    response = api_client.post("/events", new_event_body(**times), organiser=organiser)
    assert_error(response, 422, "date_out_of_range")
    assert {error["field"] for error in response.json()["errors"]} >= {"starts_at", "ends_at"}
    assert "zwischen dem 1. Januar 2000 und dem 31. Dezember 2999" in response.json()["detail"]
    assert not Event.objects.exists()


def test_moving_an_event_to_year_9999_is_refused_and_changes_nothing(api_client, organiser, make_event):
    event = make_event(format="onsite", team=[organiser.user])
    response = api_client.patch(f"/events/{event.slug}", YEAR_9999, organiser=organiser)
    assert_error(response, 422, "date_out_of_range")
    event.refresh_from_db()
    assert event.starts_at.year < 3000


def test_the_rule_behind_the_admin_form_refuses_such_a_date_too(make_event):
    event = make_event(format="onsite")
    event.ends_at = datetime(9999, 12, 31, 23, 30, tzinfo=UTC)
    problems = event_problems(event, {}, now=datetime.now(UTC))
    assert [error.code for error in problems["ends_at"]] == ["date_out_of_range"]


@pytest.fixture
def row_at_the_end_of_time(make_event):
    """A published event ending 9999-12-31T23:30Z, written straight into the table."""
    event = make_event(format="onsite", slug="ende-der-zeit", reconfirm_days_before=7)
    Event.objects.filter(pk=event.pk).update(
        starts_at=datetime(9999, 12, 31, 20, tzinfo=UTC), ends_at=datetime(9999, 12, 31, 23, 30, tzinfo=UTC)
    )
    return Event.objects.get(pk=event.pk)


def test_such_a_row_does_not_break_its_page_its_calendar_or_anyone_elses_feed(make_event, row_at_the_end_of_time):
    other = make_event(format="online", slug="ein-normaler-abend")
    client = Client(raise_request_exception=True)
    assert client.get(f"/veranstaltungen/{row_at_the_end_of_time.slug}/").status_code == 200
    assert client.get(f"/veranstaltungen/{row_at_the_end_of_time.slug}/kalender.ics").status_code == 200
    assert client.get("/").status_code == 200
    feed = client.get("/veranstaltungen.ics")
    assert feed.status_code == 200
    summaries = [str(vevent["SUMMARY"]) for vevent in icalendar.Calendar.from_ical(feed.content).walk("VEVENT")]
    assert summaries == [other.title]
    assert client.get("/api/events").status_code == 200


def test_the_times_computed_from_such_a_row_stay_dates(row_at_the_end_of_time):
    event = row_at_the_end_of_time
    assert event.retention_ends_at() == datetime.max.replace(tzinfo=UTC)
    assert event.reconfirm_deadline() < event.starts_at
    event.starts_at, event.reminder_hours_before = datetime(1, 1, 1, tzinfo=UTC), 24
    assert event.reconfirm_asked_at() == datetime.min.replace(tzinfo=UTC)
    assert event.reminder_due_at() == datetime.min.replace(tzinfo=UTC)
