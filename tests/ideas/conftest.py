"""Fixtures of the ideas tests. Chromium, the async switch and static files come from the root
conftest."""

import pytest
from django.test import Client

from ideas import services
from tests.factories import make_user, running_event
from tests.ideas.ideas_factories import add_idea


@pytest.fixture(autouse=True)
def test_settings(settings):
    settings.SITE_URL = "http://testserver"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def organiser(db):
    return make_user("organiserin")


@pytest.fixture
def other_organiser(db):
    return make_user("anderes-team")


@pytest.fixture
def event(organiser):
    return running_event(team=[organiser])


@pytest.fixture
def other_event(other_organiser):
    return running_event(team=[other_organiser])


@pytest.fixture
def group_and_access(event, organiser, now):
    return services.create_group(
        event, services.GroupData("Tisch 1", "Digitale Verwaltung"), moderator_name="Moni", actor=organiser, now=now
    )


@pytest.fixture
def group(group_and_access):
    return group_and_access[0]


@pytest.fixture
def moderator(group_and_access):
    return group_and_access[1].moderator


@pytest.fixture
def moderator_token(group_and_access):
    return group_and_access[1].api_token


@pytest.fixture
def other_group_and_access(event, organiser, now):
    return services.create_group(event, services.GroupData("Tisch 2", "Schulen"), actor=organiser, now=now)


@pytest.fixture
def api():
    return Client()


@pytest.fixture
def organiser_client(organiser):
    client = Client()
    client.force_login(organiser)
    return client


@pytest.fixture
def lead(db):
    return make_user("leitung", staff=False)


@pytest.fixture
def working_group(organiser, lead, now):
    return services.create_working_group(
        "Digitale Verwaltung", "Online-Serviceportal und Bürgerbüro", leads=[lead], actor=organiser, now=now
    )


@pytest.fixture
def plenum_idea(group, moderator):
    """An idea on the plenum wall, for the dot voting."""
    return add_idea(group, "Mehr Bänke am Markt", actor=moderator, for_plenum=True)
