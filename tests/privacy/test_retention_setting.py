"""Organisers set an event's retention period in the API and in the admin; nobody else can."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def patch(client, event, body, headers=None):
    return client.patch(f"/api/events/{event.slug}", body, content_type="application/json", headers=headers or {})


def test_an_event_keeps_personal_data_90_days_by_default_and_its_organiser_can_change_that(
    client, make_event, organiser, bearer
):
    event = make_event(organiser=organiser)
    assert client.get(f"/api/events/{event.slug}").json()["retention_days"] == 90
    answer = patch(client, event, {"retention_days": 30}, bearer(organiser))
    assert answer.status_code == 200 and answer.json()["retention_days"] == 30
    event.refresh_from_db()
    assert event.retention_days == 30


def test_a_retention_period_out_of_range_is_refused_and_nothing_changes(client, make_event, organiser, bearer):
    event = make_event(organiser=organiser)
    assert patch(client, event, {"retention_days": -1}, bearer(organiser)).status_code == 422
    assert patch(client, event, {"retention_days": 99999}, bearer(organiser)).status_code == 422
    assert patch(client, event, {"retention_days": None}, bearer(organiser)).status_code == 422
    event.refresh_from_db()
    assert event.retention_days == 90


def test_anonymous_and_organisers_of_other_events_cannot_change_it(
    client, make_event, organiser, other_organiser, bearer
):
    event = make_event(organiser=organiser)
    assert patch(client, event, {"retention_days": 1}).status_code == 401
    assert patch(client, event, {"retention_days": 1}, bearer(other_organiser)).status_code == 404
    event.refresh_from_db()
    assert event.retention_days == 90


def test_the_admin_shows_the_retention_period_to_the_events_organisers(client, make_event, organiser):
    event = make_event(organiser=organiser)
    client.force_login(organiser)
    page = client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert page.status_code == 200 and 'name="retention_days"' in page.text
