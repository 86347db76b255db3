"""The broadcast consent is asked, never required (docs/privacy.md): the form says it is optional
and where people sit who say no; the terms the form refers to ("shown above") stand above it."""

import pytest

from registrations.models import Registration

pytestmark = pytest.mark.django_db


def test_the_consent_is_marked_optional_and_tells_where_people_sit_who_say_no(client, make_event):
    event = make_event(format="onsite", broadcast=True)
    html = client.get(event.get_absolute_url()).text
    label = html[
        html.index('for="id_broadcast_consent"') : html.index("</label>", html.index('for="id_broadcast_consent"'))
    ]
    assert "(optional)" in label and "erforderlich" not in label
    assert "die Kamera nicht zeigt" in html


def test_an_on_site_registration_without_the_consent_gets_a_seat(client, make_event):
    event = make_event(format="onsite", onsite=5, broadcast=True)
    posted = {"name": "Jonas", "email": "j@example.org", "seat_type": "onsite", "language": "de", "accept_terms": "on"}
    assert client.post(f"/veranstaltungen/{event.slug}/anmelden/", posted).status_code == 302
    assert Registration.objects.get().status == "confirmed"


@pytest.mark.parametrize("query", ["", "?einfach=1"])
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_terms_stand_above_the_form_that_accepts_them(client, make_event, query, prefix):
    event = make_event(format="onsite", broadcast=True)
    html = client.get(prefix + event.get_absolute_url() + query).text
    assert html.index('id="terms-heading"') < html.index('name="accept_terms"')
