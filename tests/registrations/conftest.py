from datetime import timedelta

import pytest

from registrations import group_commit, seating
from tests import factories
from tests.factories import DIEZE, EventFactory, agreement, issue_token, make_user


@pytest.fixture
def make_event(db, now):
    """A hybrid event open for registration until five days from now, built through the real service."""
    events = EventFactory(
        format="hybrid",
        onsite=60,
        keyword_prefix="Dialog",
        venue=DIEZE,
        now=now,
        starts_in=timedelta(days=10),
        closes_after=timedelta(days=5),
    )

    def make(*, broadcast=False, organiser=None, **options):
        return events(terms=agreement(broadcast=broadcast), actor=organiser, **options)

    return make


@pytest.fixture
def person(request):
    numbers = iter(range(1, 1_000_000))
    # Registrants write in English where a test reads the English texts (mail_fixtures).
    language = "en" if "in_english" in request.fixturenames else "de"

    def make(seat="onsite", **overrides):
        return factories.registration_data(next(numbers), seat, **{"language": language, **overrides})

    return make


@pytest.fixture
def make_organiser(db):
    def make(username):
        user = make_user(username, password="x-secret-pass-1")
        issue_token(user)
        return user

    return make


@pytest.fixture
def organiser(make_organiser):
    return make_organiser("anna")


@pytest.fixture
def other_organiser(make_organiser):
    return make_organiser("bernd")


@pytest.fixture
def bearer():
    return factories.bearer


# Test-only switches live here, not in the settings (as pretix keeps its skip-locking in testutils):
# nobody can turn them off in production by mistake.


@pytest.fixture
def without_seat_lock(monkeypatch):
    """The control of a race test: the seat pools are read without their row lock."""
    monkeypatch.setattr(seating, "LOCKING", False)


@pytest.fixture
def without_group_commit(monkeypatch):
    """Every request registers in its own transaction (commits in any order: the hardest case)."""
    monkeypatch.setattr(group_commit, "ENABLED", False)
