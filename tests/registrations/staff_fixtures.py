"""Fixtures of the organiser-page tests. Test modules load them with
`pytest_plugins = ["tests.registrations.staff_fixtures"]`; the names start with `staff_` so
that they never shadow the fixtures of tests/registrations/conftest.py."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from events.services import SeatPlan
from tests.factories import make_user, scheduled_event
from tests.registrations.staff_helpers import client_of


@pytest.fixture
def staff_english():
    """Pages and messages in English (URLs under /en/), so that tests read the same before and
    after the German translations are filled in."""
    with translation.override("en"):
        yield


@pytest.fixture
def staff_now():
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def staff_organiser(db):
    return make_user("orga", email="orga@stadt.example")


@pytest.fixture
def staff_outsider(db):
    """An organiser, but of another event."""
    return make_user("nachbar", email="nachbar@stadt.example")


@pytest.fixture
def staff_event(staff_organiser, staff_now):
    """Hybrid, first come first served, open now: 3 on-site seats (1 reserved), 2 online."""
    return scheduled_event(
        staff_organiser,
        slug="digitalisierung",
        opens=staff_now - timedelta(hours=6),
        closes=staff_now + timedelta(days=2),
        onsite=SeatPlan(capacity=3, reserved=1),
        online=SeatPlan(capacity=2),
    )


@pytest.fixture
def staff_other_event(staff_outsider, staff_now):
    return scheduled_event(
        staff_outsider,
        slug="nachbarschaft",
        opens=staff_now - timedelta(hours=6),
        closes=staff_now + timedelta(days=2),
        online=SeatPlan(capacity=5),
    )


@pytest.fixture
def staff_deadline_event(staff_organiser, staff_now):
    """Allocated after the deadline, which passed an hour ago: 2 online seats."""
    return scheduled_event(
        staff_organiser,
        slug="stadtteilforum",
        opens=staff_now - timedelta(days=3),
        closes=staff_now - timedelta(hours=1),
        allocation="at_deadline",
        online=SeatPlan(capacity=2),
    )


@pytest.fixture
def staff_client(staff_organiser):
    return client_of(staff_organiser)
