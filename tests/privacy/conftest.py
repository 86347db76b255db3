"""The privacy tests build events and registrations with the registrations tests' fixtures."""

from tests.registrations.conftest import (  # noqa: F401  (fixtures)
    bearer,
    make_event,
    make_organiser,
    organiser,
    other_organiser,
    person,
)
