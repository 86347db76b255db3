"""`POST /api/events/{slug}/walk-ins` for scanner apps at the door: the same rule as the page."""

from datetime import timedelta

import pytest
import time_machine

from registrations.models import Registration

pytestmark = pytest.mark.django_db

BODY = {"name": "Frau Kaya", "accept_terms": True}


@pytest.fixture
def door(make_event, organiser):
    event = make_event(format="onsite", onsite=1, organiser=organiser)
    return event, event.starts_at - timedelta(minutes=20)


def post(client, event, body, when, headers=None):
    with time_machine.travel(when, tick=False):
        return client.post(
            f"/api/events/{event.slug}/walk-ins", body, content_type="application/json", headers=headers or {}
        )


def test_the_team_registers_walk_ins_a_seat_then_the_door_queue(client, door, organiser, bearer):
    event, when = door
    seated = post(client, event, BODY, when, bearer(organiser))
    assert seated.status_code == 201, seated.content
    assert seated.json()["status"] == "confirmed"
    assert seated.json()["checked_in_at"] is not None
    queued = post(client, event, {**BODY, "name": "Herr Roth"}, when, bearer(organiser)).json()
    assert (queued["status"], queued["door_queue_position"], queued["checked_in_at"]) == ("waitlisted", 1, None)


@pytest.mark.parametrize(
    ("body", "shift", "status", "code"),
    [
        ({**BODY, "name": ""}, timedelta(0), 422, "invalid_input"),
        ({**BODY, "email": "kaputt"}, timedelta(0), 422, "invalid_input"),
        ({"name": "Ohne Zustimmung"}, timedelta(0), 422, "consent_required"),
        (BODY, timedelta(hours=-2), 409, "door_closed"),
    ],
)
def test_bad_input_or_a_closed_door_is_a_clear_error_and_saves_nothing(
    client, door, organiser, bearer, body, shift, status, code
):
    event, when = door
    response = post(client, event, body, when + shift, bearer(organiser))
    assert response.status_code == status, response.content
    assert response.json()["code"] == code and response.json()["detail"]
    assert not Registration.objects.filter(event=event).exists()


def test_another_team_and_anonymous_are_refused(client, door, other_organiser, bearer):
    event, when = door
    assert post(client, event, BODY, when, bearer(other_organiser)).status_code == 404
    assert post(client, event, BODY, when).status_code == 401
    assert not Registration.objects.filter(event=event).exists()


def test_the_registration_list_of_the_api_filters_walk_ins(client, door, organiser, bearer):
    event, when = door
    post(client, event, BODY, when, bearer(organiser))
    listed = client.get(f"/api/events/{event.slug}/registrations", {"channel": "door"}, headers=bearer(organiser))
    assert listed.status_code == 200, listed.content
    assert [item["name"] for item in listed.json()["items"]] == ["Frau Kaya"]
