"""Organisers switch seat types and handle parties: API, staff pages, phone form, check-in, export."""

import csv
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils.translation import gettext

from events.models import AuditEntry
from registrations.checkin import services as checkin
from registrations.checkin.views import counts
from registrations.models import Registration
from tests.factories import bearer, register

pytestmark = pytest.mark.django_db


def api_post(client, path, payload, user=None):
    headers = bearer(user) if user else {}
    return client.post(path, payload, content_type="application/json", headers=headers)


# The API


def test_an_organiser_switches_a_registration_through_the_api(client, make_event, person, now, organiser):
    event = make_event(onsite=5, online=5, organiser=organiser)
    event.team.add(organiser)
    registration = register(event, person(name="Eva"), now)
    answer = api_post(client, f"/api/registrations/{registration.pk}/switch", {"seat": "online"}, organiser)
    assert answer.status_code == 200
    assert (answer.json()["seat"], answer.json()["status"]) == ("online", "confirmed")
    entry = AuditEntry.objects.get(action="registration.seat_switched")
    assert entry.actor == organiser


def test_the_api_refuses_a_switch_to_a_full_type_with_a_code_and_changes_nothing(
    client, make_event, person, now, organiser
):
    event = make_event(onsite=5, online=1)
    event.team.add(organiser)
    register(event, person(name="Online", seat="online"), now)
    registration = register(event, person(name="Eva"), now)
    answer = api_post(client, f"/api/registrations/{registration.pk}/switch", {"seat": "online"}, organiser)
    assert answer.status_code == 409
    assert answer.json()["code"] == "seat_type_full" and answer.json()["detail"]
    registration.refresh_from_db()
    assert registration.seat_type == "onsite"
    waiting = api_post(
        client, f"/api/registrations/{registration.pk}/switch", {"seat": "online", "join_waiting_list": True}, organiser
    )
    assert (waiting.json()["status"], waiting.json()["waitlist_position"]) == ("waitlisted", 1)


@pytest.mark.parametrize("actor", ["other_organiser", None])
def test_the_api_switch_and_edit_refuse_another_team_and_anonymous(
    client, make_event, person, now, organiser, other_organiser, actor
):
    event = make_event(onsite=5, online=5)
    event.team.add(organiser)
    registration = register(event, person(name="Eva"), now)
    user = other_organiser if actor else None
    switch = api_post(client, f"/api/registrations/{registration.pk}/switch", {"seat": "online"}, user)
    headers = bearer(user) if user else {}
    edit = client.patch(
        f"/api/registrations/{registration.pk}", {"name": "X"}, content_type="application/json", headers=headers
    )
    refused = 404 if actor else 401  # another team's registration does not exist for them
    assert (switch.status_code, edit.status_code) == (refused, refused)
    assert switch.json()["code"] and edit.json()["code"]
    registration.refresh_from_db()
    assert (registration.seat_type, registration.name) == ("onsite", "Eva")


def test_an_organiser_edits_details_through_the_api(client, make_event, person, now, organiser):
    event = make_event(onsite=5, online=5)
    event.team.add(organiser)
    registration = register(event, person(name="Eva"), now)
    answer = client.patch(
        f"/api/registrations/{registration.pk}",
        {"needs": "Induktionsschleife"},
        content_type="application/json",
        headers=bearer(organiser),
    )
    assert answer.status_code == 200
    registration.refresh_from_db()
    assert (registration.name, registration.needs) == ("Eva", "Induktionsschleife")


def test_citizens_register_a_party_through_the_api(client, make_event):
    event = make_event(format="onsite", onsite=5, max_companions=2)
    payload = {"name": "Eva", "email": "eva@example.org", "seat": "onsite", "accept_terms": True, "companions": 2}
    answer = api_post(client, f"/api/events/{event.slug}/registrations", payload)
    assert answer.status_code == 202
    assert Registration.objects.get().companions == 2
    assert event.seat_pools.get().confirmed == 3


@pytest.mark.parametrize("companions", [-1, 3])
def test_the_api_refuses_companions_out_of_bounds_with_a_code(client, make_event, companions):
    event = make_event(format="onsite", onsite=5, max_companions=2)
    payload = {
        "name": "Eva",
        "email": "eva@example.org",
        "seat": "onsite",
        "accept_terms": True,
        "companions": companions,
    }
    answer = api_post(client, f"/api/events/{event.slug}/registrations", payload)
    assert answer.status_code == 422
    assert answer.json()["code"] == "too_many_companions"
    assert not Registration.objects.exists()


# Staff pages


def test_the_staff_page_switches_a_registration_and_refuses_a_full_type_with_the_form(
    client, make_event, person, now, organiser
):
    event = make_event(onsite=5, online=1)
    event.team.add(organiser)
    client.force_login(organiser)
    register(event, person(name="Online", seat="online"), now)
    registration = register(event, person(name="Eva"), now)
    detail = reverse("staff:registration", args=[event.slug, registration.pk])
    switch = reverse("staff:switch", args=[event.slug, registration.pk])
    assert switch in client.get(detail).text
    refused = client.post(switch, {})
    assert refused.status_code == 409
    assert 'href="#id_switch-join_waiting_list"' in refused.text
    registration.refresh_from_db()
    assert registration.seat_type == "onsite"
    assert client.post(switch, {"switch-join_waiting_list": "on"}).status_code == 302
    registration.refresh_from_db()
    assert (registration.seat_type, registration.status) == ("online", "waitlisted")


@pytest.mark.parametrize("actor", ["other_organiser", None])
def test_the_staff_switch_refuses_another_team_and_anonymous(
    client, make_event, person, now, organiser, other_organiser, actor
):
    event = make_event(onsite=5, online=5)
    event.team.add(organiser)
    registration = register(event, person(name="Eva"), now)
    if actor:
        client.force_login(other_organiser)
    response = client.post(reverse("staff:switch", args=[event.slug, registration.pk]), {})
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("staff:login"))
    registration.refresh_from_db()
    assert registration.seat_type == "onsite"


def test_the_phone_form_takes_companions_and_refuses_too_many(client, make_event, now, organiser):
    event = make_event(format="onsite", onsite=5, max_companions=1)
    event.team.add(organiser)
    client.force_login(organiser)
    url = reverse("staff:phone", args=[event.slug])
    form = {
        "received_at": now.astimezone().strftime("%Y-%m-%dT%H:%M"),
        "seat_type": "onsite",
        "name": "Eva",
        "phone": "02305 1",
        "language": "de",
        "accept_terms": "on",
    }
    assert 'name="companions"' in client.get(url).text
    refused = client.post(url, {**form, "companions": "2"})
    assert refused.status_code == 422
    assert 'id="id_companions_error"' in refused.text
    assert not Registration.objects.exists()
    assert client.post(url, {**form, "companions": "1"}).status_code == 302
    assert Registration.objects.get().seats == 2


def test_the_registration_list_and_the_export_show_the_party(client, make_event, person, now, organiser):
    event = make_event(format="onsite", onsite=5, max_companions=3)
    event.team.add(organiser)
    client.force_login(organiser)
    register(event, person(name="Familie Roth", companions=3, language="en"), now)
    listing = client.get(reverse("staff:registrations", args=[event.slug]))
    assert "+ 3" in listing.text
    export = client.get(reverse("staff:export", args=[event.slug]))
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")), delimiter=";"))
    companions = rows[0].index(gettext("Companions"))
    assert rows[1][companions : companions + 2] == ["3", "4"]


# Check-in


def check_in_by_api(client, event, ticket_code, organiser):
    return client.post(
        f"/api/events/{event.slug}/check-in",
        {"ticket": ticket_code},
        content_type="application/json",
        headers=bearer(organiser),
    ).json()


def test_one_code_admits_the_party_and_the_counts_count_people(client, make_event, person, now, organiser):
    event = make_event(format="onsite", onsite=10, max_companions=3)
    event.team.add(organiser)
    party = register(event, person(name="Familie Roth", companions=3), now)
    register(event, person(name="Single"), now)
    result = checkin.check_in(event, party.ticket_code, actor=organiser, now=event.starts_at)
    assert result.admitted
    client.force_login(organiser)
    with time_machine.travel(event.starts_at, tick=False):
        page = client.post(reverse("checkin:page", args=[event.slug]), {"ticket": party.ticket_code})
        assert "already_checked_in" in page.text  # the second scan of the same code admits nobody more
        assert counts(event) == {"expected": 5, "arrived": 4, "left": 0, "walk_ins": 0, "door_queue": 0}
        assert "4 von 5" in page.text
        assert check_in_by_api(client, event, party.ticket_code, organiser)["code"] == "already_checked_in"


def test_the_check_in_answer_shows_how_many_people_the_code_admits(client, make_event, person, now, organiser):
    event = make_event(format="onsite", onsite=10, max_companions=3)
    event.team.add(organiser)
    party = register(event, person(name="Familie Roth", companions=2), now)
    client.force_login(organiser)
    fresh = register(event, person(name="Zweite Familie", companions=1), now)
    with time_machine.travel(event.starts_at, tick=False):
        page = client.post(reverse("checkin:page", args=[event.slug]), {"ticket": party.ticket_code})
        assert "checkin-result__party" in page.text
        assert "3 Personen" in page.text
        assert check_in_by_api(client, event, fresh.ticket_code, organiser)["companions"] == 1


def test_an_organiser_changes_the_companions_through_the_api(client, make_event, person, now, organiser):
    event = make_event(format="onsite", onsite=3, max_companions=2)
    event.team.add(organiser)
    registration = register(event, person(name="Eva"), now)
    headers = bearer(organiser)
    path = f"/api/registrations/{registration.pk}"
    grown = client.patch(path, {"companions": 2}, content_type="application/json", headers=headers)
    assert (grown.status_code, grown.json()["companions"]) == (200, 2)
    register(event, person(name="Other"), now)
    refused = client.patch(path, {"companions": 3}, content_type="application/json", headers=headers)
    assert (refused.status_code, refused.json()["code"]) == (422, "too_many_companions")
    assert event.seat_pools.get().confirmed == 3
