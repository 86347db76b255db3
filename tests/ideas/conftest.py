"""Fixtures of the ideas tests. They do not rely on a root conftest: run the tests with
`DEBUG=true` or `SECRET_KEY=…` in the environment, like the settings require."""

import os
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from ideas import services
from tests.ideas.ideas_factories import make_event, make_user

# Playwright's sync API runs an event loop in the test thread; Django must still allow the ORM there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a browser downloaded by Playwright."""
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def test_settings(settings):
    # Without DEBUG the settings ask for collectstatic's manifest; tests serve from the sources.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SITE_URL = "http://testserver"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def organiser(db):
    return make_user("organiserin")


@pytest.fixture
def other_organiser(db):
    return make_user("anderes-team")


@pytest.fixture
def event(organiser):
    return make_event(team=[organiser])


@pytest.fixture
def other_event(other_organiser):
    return make_event(team=[other_organiser])


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


def pytest_collection_modifyitems(config, items):
    # Without collectstatic, whitenoise warns about the missing STATIC_ROOT on every new handler.
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.filterwarnings("ignore:No directory at:UserWarning"))
