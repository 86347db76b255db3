"""A past hybrid event with registrations over several days, check-ins and Zoom stays; the
organiser of this event, of another one, and anonymous."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from registrations.models import Registration
from registrations.services import cancel
from tests.factories import make_user
from tests.reports.report_helpers import checked_in, past_event, sign_up, stay


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def organiser(db):
    return make_user("orga", email="orga@stadt.example")


@pytest.fixture
def outsider(db):
    return make_user("nachbar", email="nachbar@stadt.example")


@dataclass
class Held:
    event: object
    anna: Registration  # on site, came (checked in), agreed to feedback
    bernd: Registration  # on site, did not come, agreed
    clara: Registration  # online by phone, came (two stays: 30 + 45 minutes), agreed
    dieter: Registration  # online by e-mail, came (one stay, 60 minutes), did not agree
    emil: Registration  # on site, cancelled, which moved frieda up
    frieda: Registration  # on site, moved up from the waiting list, did not come
    gustav: Registration  # on site, still on the waiting list


@pytest.fixture
def held(organiser, now):
    event = past_event(organiser, slug="digitalisierung", now=now)
    anna = checked_in(sign_up(event, "Anna Ahrens", day=0))
    bernd = sign_up(event, "Bernd Bauer", day=0)
    clara = sign_up(event, "Clara Conrad", day=2, seat="online", channel="phone")
    dieter = sign_up(event, "Dieter Dahl", day=2, seat="online", channel="email", feedback=False)
    emil = sign_up(event, "Emil Ernst", day=1)
    frieda = sign_up(event, "Frieda Fink", day=3)
    cancel(emil, actor=None, now=event.registration_opens_at + timedelta(days=4))
    gustav = sign_up(event, "Gustav Gans", day=5)
    stay(clara, start_minute=0, minutes=30, key="clara-1")
    stay(clara, start_minute=40, minutes=45, key="clara-2")
    stay(dieter, start_minute=5, minutes=60)
    for person in (anna, bernd, clara, dieter, emil, frieda, gustav):
        person.refresh_from_db()
    return Held(event, anna, bernd, clara, dieter, emil, frieda, gustav)
