"""The privacy tests build events and registrations with the registrations tests' fixtures."""

import django
import pytest

# Run alone (`pytest tests/privacy`), this conftest is read before the root conftest's
# pytest_configure sets Django up; the fixtures imported below need the models.
django.setup()

from tests.registrations.conftest import (  # noqa: E402, F401  (fixtures)
    bearer,
    make_event,
    make_organiser,
    now,
    organiser,
    other_organiser,
    person,
)


@pytest.fixture(autouse=True)
def german(settings):
    settings.LANGUAGE_CODE = "de"
