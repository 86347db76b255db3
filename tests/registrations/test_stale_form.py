"""A registration form posted after the event changed (a seat type no longer offered) comes back
with a clear message and the citizen's entries, never a server error."""

import pytest

from registrations.models import Registration

pytestmark = pytest.mark.django_db


def stale_online_post(**overrides):
    values = {
        "name": "Jonas Beispiel",
        "email": "jonas@example.org",
        "seat_type": "online",
        "language": "de",
        "needs": "Rollstuhlplatz",
        "accept_terms": "on",
        "broadcast_consent": "on",
    }
    values.update(overrides)
    return values


def test_online_seat_posted_to_an_onsite_event_comes_back_with_a_message(client, make_event):
    event = make_event(format="onsite", onsite=5, broadcast=True)
    response = client.post(f"/veranstaltungen/{event.slug}/anmelden/", stale_online_post())
    assert response.status_code == 422
    assert "nur noch vor Ort" in response.text
    assert 'value="Jonas Beispiel"' in response.text and "Rollstuhlplatz" in response.text
    assert 'name="seat_type" value="onsite"' in response.text
    assert not Registration.objects.exists()


def test_the_form_sent_again_from_that_page_registers(client, make_event):
    event = make_event(format="onsite", onsite=5, broadcast=True)
    response = client.post(f"/veranstaltungen/{event.slug}/anmelden/", stale_online_post(seat_type="onsite"))
    assert response.status_code == 302
    assert Registration.objects.get().seat_type == "onsite"


def test_the_message_is_in_english_on_the_english_page(client, make_event):
    event = make_event(format="online", online=5)
    response = client.post(f"/en/veranstaltungen/{event.slug}/anmelden/", stale_online_post(seat_type="onsite"))
    assert response.status_code == 422
    assert "only online" in response.text
