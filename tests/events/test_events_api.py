"""The events API: public reading, organisers writing with a Bearer token, errors as {"code", "detail"}."""

from datetime import timedelta

import pytest
from django.utils import timezone
from openapi_spec_validator import validate

from events.models import Event

SEAT_FIGURES = {"capacity", "confirmed", "available", "waitlisted"}


def new_event_body(**changes) -> dict:
    starts_at = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    return {
        "title": "Digitale Sprechstunde",
        "description": "Fragen rund um das Serviceportal.",
        "format": "hybrid",
        "starts_at": starts_at.isoformat(),
        "ends_at": (starts_at + timedelta(hours=2)).isoformat(),
        "venue": {"name": "DIEZE", "address": "Erinstraße 6, 44575 Castrop-Rauxel"},
        "keyword": "Sprechstunde",
        "registration_closes_at": (starts_at - timedelta(days=1)).isoformat(),
        "allocation": "first_come",
        "seats": {"onsite": {"capacity": 30, "reserved": 2}, "online": {"capacity": 100}},
        "livestream_url": "https://www.facebook.com/StadtCastropRauxel",
        "status": "published",
        **changes,
    }


def assert_error(response, status: int, code: str):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["detail"]


# Reading


@pytest.mark.django_db
def test_list_shows_the_demo_events_with_seats_per_seat_type(api_client, demo_events):
    response = api_client.get("/events")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(demo_events)
    by_slug = {event["slug"]: event for event in body["items"]}
    assert set(by_slug) == set(demo_events)
    assert by_slug["auftakt-digitalisierungsstrategie"]["seats"] == {
        "onsite": {"capacity": 30, "confirmed": 0, "available": 26, "waitlisted": 0}
    }
    assert by_slug["zoom-dialog-digitalisierung"]["seats"] == {
        "online": {"capacity": 75, "confirmed": 0, "available": 75, "waitlisted": 0}
    }
    assert by_slug["digitalisierung-trikala-castrop-rauxel"]["interpretation_languages"] == ["de", "el"]


@pytest.mark.django_db
def test_list_is_paginated(api_client, make_event):
    slugs = [make_event().slug for _ in range(5)]

    response = api_client.get("/events", limit=2, offset=2)

    assert response.json()["count"] == 5
    assert [event["slug"] for event in response.json()["items"]] == slugs[2:4]


@pytest.mark.django_db
def test_seat_figures_follow_the_seat_pool(api_client, make_event):
    event = make_event(format="hybrid")
    event.seat_pools.filter(seat_type="onsite").update(capacity=10, reserved=1, confirmed=9, waitlisted=3)

    seats = api_client.get(f"/events/{event.slug}").json()["seats"]

    assert seats["onsite"] == {"capacity": 10, "confirmed": 9, "available": 0, "waitlisted": 3}
    assert set(seats["online"]) == SEAT_FIGURES


@pytest.mark.django_db
def test_event_shows_its_public_fields(api_client, demo_events):
    response = api_client.get("/events/auftakt-digitalisierungsstrategie")

    assert response.status_code == 200
    event = response.json()
    assert event["format"] == "onsite"
    assert event["venue"]["name"] == "DIEZE"
    assert event["livestream_url"] == "https://www.facebook.com/StadtCastropRauxel"
    assert event["terms"]["broadcast_consent_required"] is True
    assert event["calendar_url"].endswith("/veranstaltungen/auftakt-digitalisierungsstrategie/kalender.ics")


@pytest.mark.django_db
def test_drafts_are_hidden_from_the_public_but_shown_to_their_team(api_client, make_event, organiser, other_organiser):
    draft = make_event(status="draft", team=[organiser])

    assert api_client.get("/events").json()["count"] == 0
    assert_error(api_client.get(f"/events/{draft.slug}"), 404, "not_found")
    assert_error(api_client.get(f"/events/{draft.slug}", organiser=other_organiser), 404, "not_found")
    assert api_client.get(f"/events/{draft.slug}", organiser=organiser).json()["status"] == "draft"


@pytest.mark.django_db
def test_unknown_event_is_a_json_404(api_client):
    assert_error(api_client.get("/events/gibt-es-nicht"), 404, "not_found")


@pytest.mark.django_db
def test_wrong_token_is_refused_even_where_none_is_needed(api_client, make_event, client):
    event = make_event()

    response = client.get(f"/api/events/{event.slug}", headers={"Authorization": "Bearer sdt_not-a-token"})

    assert_error(response, 401, "not_authenticated")


# Creating


@pytest.mark.django_db
def test_organiser_creates_an_event_and_joins_its_team(api_client, organiser):
    response = api_client.post("/events", new_event_body(), organiser=organiser)

    assert response.status_code == 201, response.content
    created = response.json()
    event = Event.objects.get(slug=created["slug"])
    assert list(event.team.all()) == [organiser.user]
    assert created == api_client.get(f"/events/{event.slug}").json()
    assert created["seats"] == {
        "onsite": {"capacity": 30, "confirmed": 0, "available": 28, "waitlisted": 0},
        "online": {"capacity": 100, "confirmed": 0, "available": 100, "waitlisted": 0},
    }
    assert created["venue"]["address"] == "Erinstraße 6, 44575 Castrop-Rauxel"
    assert created["terms"]["broadcast_consent_required"] is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"title": ""}, 422, "invalid_input"),
        ({"format": "underwater"}, 422, "invalid_input"),
        ({"starts_at": "next Tuesday"}, 422, "invalid_input"),
        ({"seats": {"onsite": {"capacity": -1}, "online": {"capacity": 10}}}, 422, "invalid_input"),
        ({"livestream_url": "javascript:alert(1)"}, 422, "invalid_input"),
        ({"unknown_field": 1}, 422, "invalid_input"),
        ({"ends_at": (timezone.now() + timedelta(days=1)).isoformat()}, 422, "ends_before_start"),
        ({"venue": None}, 422, "venue_required"),
        (
            {"seats": {"onsite": {"capacity": 5, "reserved": 6}, "online": {"capacity": 10}}},
            422,
            "reserved_exceeds_capacity",
        ),
    ],
)
def test_bad_new_event_is_refused_with_a_code_and_nothing_is_saved(api_client, organiser, changes, status, code):
    assert_error(api_client.post("/events", new_event_body(**changes), organiser=organiser), status, code)
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_body_that_is_not_json_is_refused(api_client, organiser, client):
    response = client.post("/api/events", "{'title':", content_type="application/json", headers=organiser.auth_headers)

    assert response.status_code == 400
    assert set(response.json()) >= {"code", "detail"}
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_keyword_collision_names_the_other_event(api_client, organiser, make_event):
    make_event(title_de="Zoom-Dialog", keyword="Sprechstunde")

    response = api_client.post("/events", new_event_body(keyword="„sprechstunde“"), organiser=organiser)

    assert_error(response, 422, "keyword_taken")
    assert "Zoom-Dialog" in response.json()["detail"]


@pytest.mark.django_db
def test_anonymous_cannot_create_an_event(api_client):
    assert_error(api_client.post("/events", new_event_body()), 401, "not_authenticated")
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_user_who_is_not_an_organiser_cannot_create_an_event(api_client, organiser):
    organiser.user.is_staff = False
    organiser.user.save()

    assert_error(api_client.post("/events", new_event_body(), organiser=organiser), 403, "not_an_organiser")
    assert not Event.objects.exists()


# Changing


@pytest.mark.django_db
def test_organiser_of_the_event_changes_it(api_client, make_event, organiser):
    event = make_event(format="online", team=[organiser])

    response = api_client.patch(
        f"/events/{event.slug}",
        {"title": "Neuer Titel", "seats": {"online": {"capacity": 75, "reserved": 5}}},
        organiser=organiser,
    )

    assert response.status_code == 200, response.content
    assert response.json()["title_de"] == "Neuer Titel"
    assert response.json()["seats"]["online"] == {"capacity": 75, "confirmed": 0, "available": 70, "waitlisted": 0}
    event.refresh_from_db()
    assert event.title_de == "Neuer Titel"


@pytest.mark.django_db
def test_organiser_of_another_event_cannot_change_it(api_client, make_event, organiser, other_organiser):
    event = make_event(team=[organiser], title_de="Vorher")
    make_event(team=[other_organiser])

    response = api_client.patch(f"/events/{event.slug}", {"title": "Übernommen"}, organiser=other_organiser)

    assert_error(response, 404, "not_found")
    event.refresh_from_db()
    assert event.title_de == "Vorher"


@pytest.mark.django_db
def test_anonymous_cannot_change_an_event(api_client, make_event):
    event = make_event(title_de="Vorher")

    assert_error(api_client.patch(f"/events/{event.slug}", {"title": "Übernommen"}), 401, "not_authenticated")
    event.refresh_from_db()
    assert event.title_de == "Vorher"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"title": None}, "invalid_input"),
        ({"starts_at": None}, "invalid_input"),
        ({"status": "archived"}, "invalid_input"),
        ({"seats": {"onsite": {"capacity": 10}}}, "seat_type_not_offered"),
        ({"registration_closes_at": "2099-01-01T00:00:00+01:00"}, "registration_closes_after_start"),
    ],
)
def test_bad_change_is_refused_and_nothing_is_changed(api_client, make_event, organiser, body, code):
    event = make_event(format="online", team=[organiser], title_de="Vorher")
    before = api_client.get(f"/events/{event.slug}").json()

    assert_error(api_client.patch(f"/events/{event.slug}", body, organiser=organiser), 422, code)
    assert api_client.get(f"/events/{event.slug}").json() == before


@pytest.mark.django_db
def test_changing_an_unknown_event_is_a_json_404(api_client, organiser):
    assert_error(api_client.patch("/events/gibt-es-nicht", {"title": "x"}, organiser=organiser), 404, "not_found")


# The schema


def test_openapi_schema_is_valid_openapi(client):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert {"/api/events", "/api/events/{slug}"} <= set(schema["paths"])
