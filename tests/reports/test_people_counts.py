"""People, not registrations (`registrations.models.people`): a registration with two companions
is three people wherever the numbers are shown: the check-in page, the attendance report and the
registrations-over-time chart against the capacity."""

from datetime import timedelta

import pytest

from registrations.checkin.views import counts
from registrations.models import Registration
from registrations.services import register
from registrations.staff.chart import seat_charts
from registrations.submissions import RegistrationData
from reports.attendance import event_report
from tests.reports.report_helpers import checked_in, past_event

pytestmark = pytest.mark.django_db


def party(event, name: str, companions: int) -> Registration:
    at = event.registration_opens_at + timedelta(hours=1)
    data = RegistrationData(
        name=name,
        seat_type="onsite",
        email=f"{name.lower()}@example.org",
        accept_terms=True,
        broadcast_consent=True,
        companions=companions,
    )
    return register(event, data, channel="web", received_at=at, now=at)


@pytest.fixture
def berta_and_anna(organiser, now):
    """Berta with two companions and Anna alone fill the four seats; only Berta's party came."""
    event = past_event(organiser, slug="personen", now=now, onsite=4)
    event.max_companions = 2
    event.save()
    berta = party(event, "Berta", 2)
    party(event, "Anna", 0)
    checked_in(berta)
    return event


def test_the_check_in_page_counts_people(berta_and_anna):
    figures = counts(berta_and_anna)
    assert (figures["arrived"], figures["expected"]) == (3, 4)


def test_the_report_counts_people_expected_and_came(berta_and_anna, now):
    figures = event_report(berta_and_anna, now=now).total
    assert figures.registrations == 2
    assert (figures.expected, figures.came, figures.no_shows, figures.show_rate) == (4, 3, 1, 75)


def test_the_chart_reaches_the_capacity_when_the_people_fill_the_seats(berta_and_anna):
    [chart] = seat_charts(berta_and_anna, [berta_and_anna.seat_pools.get(seat_type="onsite")])
    assert (chart.total.count, chart.capacity) == (4, 4)
    assert chart.reached
