"""A database that goes away mid-request answers 503 with Retry-After, never a 500."""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client


@pytest.fixture(params=[OperationalError, InterfaceError])
def database_gone_in(request, monkeypatch):
    def install(target: str):
        def fail(*args, **kwargs):
            raise request.param("server closed the connection unexpectedly")

        monkeypatch.setattr(target, fail)

    return install


@pytest.mark.django_db
def test_an_api_call_answers_busy_with_retry_after(client, database_gone_in):
    database_gone_in("events.api.Event.objects.public")
    response = client.get("/api/events")
    assert response.status_code == 503
    assert response.json()["code"] == "busy"
    assert response["Retry-After"] == "2"


@pytest.mark.django_db
def test_a_page_answers_a_503_page_that_needs_no_database(client, database_gone_in):
    database_gone_in("events.views.Event.objects.public")
    response = client.get("/en/")
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert b"briefly unavailable" in response.content


@pytest.mark.django_db
def test_the_outage_answer_of_the_api_is_shaped_like_its_other_busy_answers(client, monkeypatch):
    """An OperationalError in an operation is answered by the API's own handler; an
    InterfaceError passes it and is answered by the outage middleware. Both look the same."""
    answers = []
    for error in (OperationalError, InterfaceError):

        def fail(*args, error=error, **kwargs):
            raise error("server closed the connection unexpectedly")

        monkeypatch.setattr("events.api.Event.objects.public", fail)
        answers.append(client.get("/api/events"))

    by_handler, by_middleware = answers
    assert by_middleware.status_code == by_handler.status_code == 503
    assert by_middleware["Content-Type"] == by_handler["Content-Type"] == "application/json; charset=utf-8"
    assert by_middleware.json() == by_handler.json()
    assert set(by_middleware.json()) == {"code", "detail"}


@pytest.mark.django_db
def test_a_database_error_outside_any_view_still_answers_the_api_in_json(database_gone_in):
    """Raised in a middleware, the error reaches handler500, not the outage middleware."""
    database_gone_in("config.api.ApiErrorMiddleware.__call__")
    client = Client(raise_request_exception=False)

    response = client.get("/api/events")

    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert response.json()["code"] == "busy"
