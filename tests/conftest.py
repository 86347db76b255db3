"""Fixtures and hooks for the whole suite.

Tests run the way production does: DEBUG off, a secret key from the environment (a test default
here) and the database that DATABASE_URL names (SQLite by default, PostgreSQL in CI).
"""

import os
import shutil
import tempfile
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import django
import pytest

# The settings module is named here, after the defaults it needs, and not in pyproject.toml:
# pytest-django loads a settings module named in the ini file before any conftest is imported,
# and without SECRET_KEY the settings refuse to load with DEBUG off.
os.environ.setdefault("SECRET_KEY", "only-for-tests-" + "s" * 40)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Playwright's sync API runs an event loop in the test thread, and the live_server fixtures use
# the ORM from that thread; Django refuses that in an async context unless allowed.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
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


# Set up here, at import, because the conftests of the app folders import models, and pytest
# imports them before its own configure hooks run when a test folder is named on the command line.
django.setup()

from tests.journeys import post_coverage  # noqa: E402 (needs the settings)

deselected_key = pytest.StashKey[list]()


def pytest_configure(config):
    # One folder per run for the POSTs the journeys' browsers send; the xdist workers, started
    # after this, inherit it (tests/journeys/post_coverage.py).
    if not hasattr(config, "workerinput"):
        os.environ[post_coverage.POSTS_DIR] = tempfile.mkdtemp(prefix="journey-posts-")
    config.stash[deselected_key] = []


def pytest_unconfigure(config):
    if not hasattr(config, "workerinput"):
        shutil.rmtree(os.environ.pop(post_coverage.POSTS_DIR, ""), ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: DATABASE_URL=postgres://…")
    for item in items:
        if item.get_closest_marker("postgres") or item.get_closest_marker("journey"):
            item.add_marker(skip)


def pytest_deselected(items):
    if items:
        items[0].config.stash[deselected_key].extend(items)


def pytest_collection_finish(session):
    post_coverage.mark_whole_folder_collected(session.items, session.config.stash[deselected_key])


def pytest_sessionfinish(session, exitstatus):
    """A run in which no test passed proves nothing (a -k that matches nothing, every test
    skipped because a service is missing), so it fails instead of looking green."""
    config = session.config
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or config.option.collectonly or hasattr(config, "workerinput"):
        return
    check_post_coverage(session, reporter)
    if exitstatus == pytest.ExitCode.OK and not reporter.stats.get("passed"):
        reporter.write_line("No test passed: a run that tests nothing counts as a failure.", red=True)
        session.exitstatus = pytest.ExitCode.NO_TESTS_COLLECTED


def check_post_coverage(session, reporter):
    from django.db import connection

    folder = Path(os.environ[post_coverage.POSTS_DIR])
    missing = post_coverage.missing_routes(folder) if connection.vendor == "postgresql" else None
    if missing is None:
        return
    total = len(post_coverage.post_routes())
    enforced = post_coverage.enforced()
    reporter.write_line(post_coverage.report(missing, total), red=bool(missing) and enforced, yellow=not enforced)
    if missing and enforced and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif missing and not enforced:
        reporter.write_line("Not enforced (JOURNEY_POST_COVERAGE=report).", yellow=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright's own browser download cannot work here; the tests drive Debian's chromium.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session", autouse=True)
def static_files_from_source_folders():
    """Production serves the hashed files that `collectstatic` writes; tests read the source
    folders, so that no test depends on that build step. Session-wide, because the live
    server builds its middleware once."""
    from django.test import override_settings

    from_source_folders = override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        WHITENOISE_USE_FINDERS=True,
        # Nothing is collected, and WhiteNoise warns about a STATIC_ROOT that does not exist.
        STATIC_ROOT=None,
    )
    with from_source_folders:
        yield


@pytest.fixture(autouse=True)
def german_unless_a_test_says_otherwise():
    """A request through the test client leaves its language active in the thread; without this,
    a /en/ request of one test would make the next test reverse URLs and render mails in English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_rate_limit_counts():
    """Rate-limit counts live in the cache; without this, the requests of earlier tests from the
    same test client address would count against later ones."""
    from django.core.cache import cache

    cache.clear()


@dataclass(frozen=True)
class Organiser:
    user: object
    token: str

    @property
    def auth_headers(self) -> dict[str, str]:
        from tests.factories import bearer

        return bearer(self.token)


@pytest.fixture
def now():
    """The test's one "now", passed to the services as `now=`."""
    from django.utils import timezone

    return timezone.now()


@pytest.fixture
def make_organiser(db):
    from tests.factories import issue_token, make_user

    def make(username: str) -> Organiser:
        user = make_user(username)
        return Organiser(user, issue_token(user))

    return make


@pytest.fixture
def organiser(make_organiser) -> Organiser:
    return make_organiser("organiser")


@pytest.fixture
def other_organiser(make_organiser) -> Organiser:
    return make_organiser("other-organiser")


class ApiClient:
    """JSON calls to the API, anonymous or with an organiser's token."""

    def __init__(self, client):
        self.client = client

    def get(self, path: str, *, organiser: Organiser | None = None, **query):
        return self.client.get(f"/api{path}", query, headers=self.headers(organiser))

    def post(self, path: str, body: dict, *, organiser: Organiser | None = None):
        return self.client.post(f"/api{path}", body, content_type="application/json", headers=self.headers(organiser))

    def patch(self, path: str, body: dict, *, organiser: Organiser | None = None):
        return self.client.patch(f"/api{path}", body, content_type="application/json", headers=self.headers(organiser))

    @staticmethod
    def headers(organiser: Organiser | None) -> dict[str, str]:
        return organiser.auth_headers if organiser else {}


@pytest.fixture
def api_client(client) -> ApiClient:
    return ApiClient(client)


@pytest.fixture
def make_event(db):
    """Published events in the coming weeks, valid unless a test says otherwise; see
    tests/factories.py for every option."""
    from tests.factories import EventFactory

    return EventFactory()


@pytest.fixture
def demo_events(db) -> dict:
    """The three dialogues of the press releases, as `load_demo` creates them, by slug."""
    from django.core.management import call_command

    from events.models import Event

    call_command("load_demo", allow_production=True, stdout=StringIO())
    return {event.slug: event for event in Event.objects.all()}
