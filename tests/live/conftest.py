"""The live tests' fixtures: an organiser and a running event of theirs (helpers to import are in
live_factories.py)."""

import pytest

from tests.factories import make_user, running_event


@pytest.fixture
def organiser():
    return make_user("orga-live")


@pytest.fixture
def event(organiser):
    return running_event(team=[organiser])
