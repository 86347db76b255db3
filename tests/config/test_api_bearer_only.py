"""The API knows its callers by their bearer token only: the session cookie of an organiser
logged in to the pages turns no API call into that organiser's, and bodies come as
application/json (a cross-site `<form enctype="text/plain">` can post without a preflight)."""

import json

import pytest

from events.models import Event
from registrations.models import Registration

pytestmark = pytest.mark.django_db

BACKDATED = "2020-01-01T10:00:00+01:00"


def phone_registration(event) -> dict:
    return {
        "name": "Ben Backdated",
        "email": "ben@example.org",
        "seat": "onsite",
        "accept_terms": True,
        "channel": "phone",
        "phone": "0123",
        "received_at": event.registration_opens_at.isoformat(),
    }


def test_an_organisers_session_cookie_without_a_token_is_an_anonymous_call(client, make_event, organiser):
    event = make_event(team=[organiser.user], format="onsite")
    client.force_login(organiser.user)

    response = client.post(
        f"/api/events/{event.slug}/registrations",
        json.dumps(phone_registration(event)),
        content_type="application/json",
        headers={"Origin": "https://evil.stadt.example"},
    )

    assert response.status_code == 403
    assert response.json()["code"] == "organiser_only_fields"
    assert not Registration.objects.exists()


def test_the_same_call_with_the_organisers_token_enters_the_phone_registration(client, make_event, organiser):
    event = make_event(team=[organiser.user], format="onsite")

    response = client.post(
        f"/api/events/{event.slug}/registrations",
        phone_registration(event),
        content_type="application/json",
        headers=organiser.auth_headers,
    )

    assert response.status_code == 201, response.json()
    assert Registration.objects.get().entered_by == organiser.user


def test_a_session_cookie_shows_no_draft_event(client, make_event, organiser):
    draft = make_event(team=[organiser.user], status="draft")
    client.force_login(organiser.user)

    assert client.get(f"/api/events/{draft.slug}").status_code == 404
    assert client.get(f"/api/events/{draft.slug}/questions").status_code == 404
    assert client.get(f"/api/events/{draft.slug}", headers=organiser.auth_headers).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/events"),
        ("patch", "/api/events/{slug}"),
        ("get", "/api/events/{slug}/registrations"),
        ("post", "/api/events/{slug}/allocate"),
        ("post", "/api/events/{slug}/groups"),
        ("put", "/api/events/{slug}/plenum/voting"),
        ("post", "/api/working-groups"),
    ],
)
def test_organiser_operations_refuse_a_session_cookie_without_a_token(client, make_event, organiser, method, path):
    event = make_event(team=[organiser.user])
    client.force_login(organiser.user)

    response = getattr(client, method)(path.format(slug=event.slug), {}, content_type="application/json")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert Event.objects.count() == 1


def test_capture_operations_refuse_a_session_cookie_without_a_token(client, organiser):
    client.force_login(organiser.user)

    response = client.get("/api/groups/1/ideas")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_a_body_in_another_content_type_is_refused_with_415(client, make_event, content_type):
    event = make_event(format="onsite")
    body = json.dumps({"name": "Maria", "email": "maria@example.org", "seat": "onsite", "accept_terms": True})

    response = client.generic("POST", f"/api/events/{event.slug}/registrations", body, content_type=content_type)

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert response.json()["detail"]
    assert not Registration.objects.exists()


def test_json_with_a_charset_is_read(client, make_event):
    event = make_event(format="onsite")
    body = json.dumps({"name": "Maria", "email": "maria@example.org", "seat": "onsite", "accept_terms": True})

    response = client.generic(
        "POST", f"/api/events/{event.slug}/registrations", body, content_type="application/json; charset=utf-8"
    )

    assert response.status_code == 202, response.json()


def test_operations_open_to_everyone_declare_the_bearer_as_optional(client):
    paths = client.get("/api/openapi.json").json()["paths"]

    for method, path in [
        ("get", "/api/events/{slug}"),
        ("post", "/api/events/{slug}/registrations"),
        ("get", "/api/events/{slug}/questions"),
    ]:
        assert paths[path][method]["security"] == [{}, {"OptionalOrganiserBearer": []}]
    assert paths["/api/events"]["post"]["security"] == [{"OrganiserBearer": []}]
    assert paths["/api/groups/{group_id}/ideas"]["post"]["security"] == [{"CaptureBearer": []}]
    assert "security" not in paths["/api/events"]["get"]


def test_operations_with_a_body_document_the_refusals_of_every_body(client):
    document = client.get("/api/openapi.json").json()
    paths = document["paths"]
    assert "ErrorOut" in document["components"]["schemas"]

    responses = paths["/api/events/{slug}/registrations"]["post"]["responses"]
    assert {"413", "415"} <= set(responses)
    assert responses["415"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    assert "415" not in paths["/api/events"]["get"]["responses"]
