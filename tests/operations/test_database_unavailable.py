"""A database that goes away mid-request answers 503 with Retry-After, never a 500."""

import pytest
from django.db import InterfaceError, OperationalError


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
