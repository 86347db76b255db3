"""The walk-in form on the check-in page: for the event's team, with clear errors and nothing
saved on bad input."""

import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from registrations.checkin.walk_ins import register_walk_in
from registrations.models import Registration
from registrations.submissions import RegistrationData

pytestmark = pytest.mark.django_db

FORM = {"walk_in-name": "Herr Nowak", "walk_in-language": "de", "walk_in-accept_terms": "on"}


@pytest.fixture
def door(make_event, organiser):
    event = make_event(format="onsite", onsite=1, organiser=organiser)
    return event, event.starts_at - timedelta(minutes=10)


def post(client, event, data, when):
    with time_machine.travel(when, tick=False):
        return client.post(reverse("checkin:walk_in", args=[event.slug]), data, follow=True)


def test_door_staff_register_a_walk_in_who_is_checked_in_at_once(client, door, organiser):
    event, when = door
    client.force_login(organiser)
    response = post(client, event, FORM, when)
    assert response.status_code == 200
    registration = Registration.objects.get(event=event)
    assert (registration.name, registration.status, registration.checked_in_at) == ("Herr Nowak", "confirmed", when)
    assert registration.ticket_code[:4] in response.text
    assert "1 von 1 Teilnehmenden vor Ort sind da." in response.text


def test_at_an_event_with_companions_a_walk_in_party_is_registered_from_the_page(client, make_event, organiser):
    event = make_event(format="onsite", onsite=3, organiser=organiser, max_companions=2)
    when = event.starts_at - timedelta(minutes=10)
    client.force_login(organiser)
    with time_machine.travel(when, tick=False):
        page = client.get(reverse("checkin:page", args=[event.slug]))
    assert 'name="walk_in-companions"' in page.text
    response = post(client, event, {**FORM, "walk_in-companions": "1"}, when)
    assert response.status_code == 200
    registration = Registration.objects.get(event=event)
    assert (registration.companions, registration.status) == (1, "confirmed")


def test_a_full_room_puts_the_walk_in_in_the_door_queue_shown_on_the_page(client, door, organiser):
    event, when = door
    register_walk_in(
        event, RegistrationData(seat_type="onsite", name="Erste", accept_terms=True), actor=organiser, now=when
    )
    client.force_login(organiser)
    response = post(client, event, FORM, when)
    queue = response.text.split("<caption", 1)[1].split("</table>", 1)[0]
    assert "Herr Nowak" in queue
    assert Registration.objects.get(name="Herr Nowak").status == "waitlisted"


@pytest.mark.parametrize(
    ("data", "field"),
    [({**FORM, "walk_in-name": ""}, "name"), ({**FORM, "walk_in-email": "kaputt"}, "email")],
)
def test_bad_input_shows_the_form_again_with_linked_errors_and_saves_nothing(client, door, organiser, data, field):
    event, when = door
    client.force_login(organiser)
    response = post(client, event, data, when)
    assert response.status_code == 422
    assert f'href="#id_walk_in-{field}"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert not Registration.objects.filter(event=event).exists()


def test_missing_consent_is_refused_at_its_field(client, door, organiser):
    event, when = door
    client.force_login(organiser)
    data = {key: value for key, value in FORM.items() if key != "walk_in-accept_terms"}
    response = post(client, event, data, when)
    assert response.status_code == 422
    assert 'href="#id_walk_in-accept_terms"' in response.text
    assert not Registration.objects.filter(event=event).exists()


def test_outside_the_door_window_the_page_says_when_and_refuses(client, door, organiser):
    event, _ = door
    client.force_login(organiser)
    too_early = event.starts_at - timedelta(hours=3)
    with time_machine.travel(too_early, tick=False):
        page = client.get(reverse("checkin:page", args=[event.slug]))
    assert 'action="/einlass/' not in page.text.split('id="walk-in"', 1)[1].split("</section>", 1)[0]
    response = post(client, event, FORM, too_early)
    assert response.status_code == 409
    assert not Registration.objects.filter(event=event).exists()


def test_another_team_and_anonymous_cannot_register_walk_ins(client, door, other_organiser):
    event, when = door
    anonymous = post(client, event, FORM, when)
    assert anonymous.redirect_chain and "/organisation/anmelden/" in anonymous.redirect_chain[-1][0]
    client.force_login(other_organiser)
    assert post(client, event, FORM, when).status_code == 404
    assert not Registration.objects.filter(event=event).exists()


def test_the_export_lists_walk_ins_with_their_channel_and_check_in_time(client, door, organiser):
    event, when = door
    register_walk_in(
        event, RegistrationData(seat_type="onsite", name="Herr Nowak", accept_terms=True), actor=organiser, now=when
    )
    client.force_login(organiser)
    with translation.override("en"):
        response = client.get(reverse("staff:export", args=[event.slug]))
    header, row = list(
        csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff")), delimiter=";")
    )
    person = dict(zip(header, row, strict=True))
    assert (person["Name"], person["Channel"], person["Status"]) == ("Herr Nowak", "at the door", "confirmed")
    assert person["Checked in at"] == timezone.localtime(when, ZoneInfo("Europe/Berlin")).strftime("%Y-%m-%d %H:%M:%S")


def test_the_check_in_page_costs_the_same_queries_with_a_longer_door_queue(client, make_event, organiser):
    def page_queries(size):
        event = make_event(format="onsite", onsite=1, organiser=organiser)
        when = event.starts_at - timedelta(minutes=10)
        for number in range(size):
            data = RegistrationData(seat_type="onsite", name=f"Walk-in {number}", accept_terms=True)
            register_walk_in(event, data, actor=organiser, now=when)
        client.force_login(organiser)
        with time_machine.travel(when, tick=False), CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("checkin:page", args=[event.slug])).status_code == 200
        return len(queries)

    assert page_queries(2) == page_queries(7)
