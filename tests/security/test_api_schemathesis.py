"""schemathesis against /api/openapi.json, in-process through Django's WSGI handler: every
operation, anonymous and with an organiser token, gives no 5xx and no answer that breaks the
schema it documents. Path parameters point at real objects for the organiser, so that generated
bodies reach the services; anonymous calls keep the generated ones."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import bearer
from tests.security.world import build_world

# schemathesis's WSGI client sends `Host: localhost`.
with override_settings(ALLOWED_HOSTS=["localhost"]):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture
def world(db, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    # As Django's test client does: a request must not close the connection that holds the
    # test's transaction (on PostgreSQL it would, the transaction not being autocommit).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield build_world()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def real_path_parameters(world, case) -> dict:
    working_group_path = case.path.startswith(("/api/working-groups/", "/api/backlog-items/"))
    real = {
        "slug": world.working_group.slug if working_group_path else world.event.slug,
        "registration_id": world.registration.pk,
        "group_id": world.group.pk,
        "idea_id": world.idea.pk,
        "item_id": world.item.pk,
    }
    return {name: real[name] for name in (case.path_parameters or {}) if name in real}


@schema.parametrize()
@EXAMPLES
def test_anonymous_callers_never_get_a_server_error_or_an_undocumented_answer(world, case):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@EXAMPLES
def test_organisers_never_get_a_server_error_or_an_undocumented_answer(world, case):
    case.path_parameters = {**(case.path_parameters or {}), **real_path_parameters(world, case)}
    case.call_and_validate(checks=CHECKS, headers=bearer(world.organiser_token))
