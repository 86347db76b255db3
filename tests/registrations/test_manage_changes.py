"""The personal manage link: switch seat type and edit details instead of cancelling."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing

from registrations import services
from registrations.links import manage_path
from registrations.models import MailKind, OutboxMail, Registration
from tests.factories import register

pytestmark = pytest.mark.django_db


def test_the_manage_page_offers_the_switch_and_the_edit_on_a_hybrid_event(client, make_event, person, now):
    registration = register(make_event(onsite=5, online=5), person(name="Eva"), now)
    page = client.get(manage_path(registration))
    assert page.text.count("/platz-wechseln/") == 1
    assert page.text.count("/aendern/") == 1


def test_an_on_site_only_event_offers_no_switch(client, make_event, person, now):
    registration = register(make_event(format="onsite"), person(name="Eva"), now)
    page = client.get(manage_path(registration))
    assert "platz-wechseln/" not in page.text
    assert client.get(manage_path(registration) + "platz-wechseln/").status_code == 302


def test_a_citizen_switches_to_a_free_online_seat(client, make_event, person, now):
    registration = register(make_event(onsite=5, online=5), person(name="Eva"), now)
    response = client.post(manage_path(registration) + "platz-wechseln/", {})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.seat_type, registration.status) == ("online", "confirmed")
    assert OutboxMail.objects.filter(registration=registration, kind=MailKind.CHANGED).count() == 1
    assert response["Cache-Control"] == "private, no-store"


def test_a_switch_to_a_full_type_shows_the_form_again_with_the_error_and_keeps_the_seat(
    client, make_event, person, now
):
    event = make_event(onsite=5, online=1)
    register(event, person(name="Online", seat="online"), now)
    registration = register(event, person(name="Eva"), now)
    page = client.post(manage_path(registration) + "platz-wechseln/", {})
    assert page.status_code == 409
    assert 'href="#id_join_waiting_list"' in page.text  # the error summary points at the box to tick
    registration.refresh_from_db()
    assert (registration.seat_type, registration.status) == ("onsite", "confirmed")
    confirmed = client.post(manage_path(registration) + "platz-wechseln/", {"join_waiting_list": "on"})
    assert confirmed.status_code == 302
    registration.refresh_from_db()
    assert (registration.seat_type, registration.status, registration.waitlist_position) == ("online", "waitlisted", 1)


def test_switching_on_site_at_a_broadcast_event_asks_for_the_consent(client, make_event, person, now):
    event = make_event(onsite=5, online=5, broadcast=True)
    registration = register(event, person(name="Eva", seat="online", broadcast_consent=False), now)
    form = client.get(manage_path(registration) + "platz-wechseln/")
    assert 'name="broadcast_consent"' in form.text
    assert "die Kamera nicht zeigt" in form.text  # asked, never required (docs/privacy.md)
    assert client.post(manage_path(registration) + "platz-wechseln/", {}).status_code == 302
    registration.refresh_from_db()
    assert registration.seat_type == "onsite"
    assert not registration.consents.filter(kind="broadcast").exists()


def test_a_citizen_edits_name_needs_and_language(client, make_event, person, now):
    registration = register(make_event(), person(name="Eva"), now)
    response = client.post(
        manage_path(registration) + "aendern/", {"name": "Eva Roth", "needs": "Rampe", "language": "en"}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.name, registration.needs, registration.language) == ("Eva Roth", "Rampe", "en")


def test_an_empty_name_shows_the_form_again_and_saves_nothing(client, make_event, person, now):
    registration = register(make_event(), person(name="Eva"), now)
    page = client.post(manage_path(registration) + "aendern/", {"name": "", "needs": "x", "language": "de"})
    assert page.status_code == 422
    assert 'href="#id_name"' in page.text
    registration.refresh_from_db()
    assert (registration.name, registration.needs) == ("Eva", "")


@pytest.mark.parametrize("action", ["aendern/", "platz-wechseln/"])
def test_a_wrong_or_expired_link_changes_nothing(client, make_event, person, now, action):
    registration = register(make_event(onsite=5, online=5), person(name="Eva"), now)
    forged = signing.dumps([str(registration.public_id), registration.manage_link_version], salt="other")
    assert client.post(f"/anmeldung/{forged}/{action}", {"name": "X", "language": "de"}).status_code == 404
    with time_machine.travel(registration.event.ends_at + timedelta(days=91), tick=False):
        expired = client.post(manage_path(registration) + action, {"name": "X", "language": "de"})
    assert expired.status_code == 404
    registration.refresh_from_db()
    assert (registration.name, registration.seat_type) == ("Eva", "onsite")


def test_a_cancelled_registration_offers_no_change(client, make_event, person, now):
    registration = register(make_event(onsite=5, online=5), person(name="Eva"), now)
    services.cancel(registration, actor=None, now=now)
    page = client.get(manage_path(registration))
    assert "platz-wechseln/" not in page.text
    refused = client.post(manage_path(registration) + "platz-wechseln/", {})
    assert refused.status_code == 409
    assert Registration.objects.get().status == "cancelled"


def test_the_web_form_takes_companions_up_to_the_limit(client, make_event):
    event = make_event(format="onsite", onsite=5, max_companions=2)
    values = {"name": "Eva", "email": "eva@example.org", "seat_type": "onsite", "language": "de", "accept_terms": "on"}
    too_many = client.post(f"/veranstaltungen/{event.slug}/anmelden/", {**values, "companions": "3"})
    assert too_many.status_code == 422
    assert not Registration.objects.exists()
    response = client.post(f"/veranstaltungen/{event.slug}/anmelden/", {**values, "companions": "2"})
    assert response.status_code == 302
    assert Registration.objects.get().companions == 2
    assert event.seat_pools.get().confirmed == 3


def test_the_web_form_asks_for_no_companions_where_the_event_allows_none(client, make_event):
    event = make_event(format="onsite", onsite=5)
    assert 'name="companions"' not in client.get(event.get_absolute_url()).text


def test_a_citizen_changes_the_number_of_companions_and_a_full_house_shows_the_form_again(
    client, make_event, person, now
):
    event = make_event(format="onsite", onsite=3, max_companions=2)
    registration = register(event, person(name="Eva", companions=1), now)
    register(event, person(name="Other"), now)
    details = {"name": "Eva", "needs": "", "language": "de"}
    full = client.post(manage_path(registration) + "aendern/", {**details, "companions": "2"})
    assert full.status_code == 409
    assert 'href="#id_join_waiting_list"' in full.text
    fewer = client.post(manage_path(registration) + "aendern/", {**details, "companions": "0"})
    assert fewer.status_code == 302
    registration.refresh_from_db()
    assert registration.companions == 0
    assert event.seat_pools.get().confirmed == 2
