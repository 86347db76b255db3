"""Organisers switch reconfirmation on where they edit events: the API and the admin."""

from datetime import timedelta

import pytest

from events.models import Event
from tests.events.test_admin_add import ADD_URL, add_form_data, form_errors

pytestmark = pytest.mark.django_db

SETTINGS = {"reconfirm_days_before": 3, "reconfirm_answer_hours": 36, "offer_valid_hours": 12}


def reconfirm_settings(event: Event) -> dict:
    event.refresh_from_db()
    return {name: getattr(event, name) for name in SETTINGS}


def test_the_organiser_of_the_event_switches_reconfirmation_on_through_the_api(api_client, make_event, organiser):
    event = make_event(format="online", team=[organiser])

    response = api_client.patch(f"/events/{event.slug}", SETTINGS, organiser=organiser)

    assert response.status_code == 200, response.content
    assert reconfirm_settings(event) == SETTINGS
    assert event.reconfirm_deadline() == event.starts_at - timedelta(days=3) + timedelta(hours=36)


def test_another_team_and_anonymous_cannot_switch_it_on(api_client, make_event, organiser, other_organiser):
    event = make_event(format="online", team=[organiser])
    make_event(team=[other_organiser])
    before = reconfirm_settings(event)

    assert api_client.patch(f"/events/{event.slug}", SETTINGS, organiser=other_organiser).status_code == 404
    assert api_client.patch(f"/events/{event.slug}", SETTINGS).status_code == 401
    assert reconfirm_settings(event) == before


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"reconfirm_days_before": 1, "reconfirm_answer_hours": 30}, "reconfirm_after_start"),
        ({"reconfirm_days_before": 0}, "invalid_input"),
        ({"offer_valid_hours": None}, "invalid_input"),
        ({"reconfirm_answer_hours": -2}, "invalid_input"),
    ],
)
def test_settings_that_cannot_work_are_refused_and_nothing_changes(api_client, make_event, organiser, body, code):
    event = make_event(format="online", team=[organiser])
    before = reconfirm_settings(event)

    response = api_client.patch(f"/events/{event.slug}", body, organiser=organiser)

    assert response.status_code == 422, response.content
    assert response.json()["code"] == code
    assert reconfirm_settings(event) == before


def test_the_admin_adds_an_event_that_reconfirms(client, organiser):
    client.force_login(organiser.user)
    data = add_form_data(seats={"online": (60, 0)}, reconfirm_days_before=3, reconfirm_answer_hours=36)

    response = client.post(ADD_URL, data)

    assert response.status_code == 302, response.context and form_errors(response)
    event = Event.objects.get()
    assert reconfirm_settings(event) == {**SETTINGS, "offer_valid_hours": 24}  # left empty: the default


def test_the_admin_refuses_a_deadline_after_the_start_and_saves_nothing(client, organiser):
    client.force_login(organiser.user)
    data = add_form_data(seats={"online": (60, 0)}, reconfirm_days_before=1, reconfirm_answer_hours=30)

    response = client.post(ADD_URL, data)

    assert response.status_code == 200
    assert form_errors(response)["reconfirm_answer_hours"]
    assert not Event.objects.exists()
