"""The registration form in plain language: a link (and a button that keeps what was typed)
switch its labels, hints and the consent explanation to simple words, in German and English;
the fields and their rules stay the same."""

import pytest

from registrations.models import Registration
from tests.registrations.test_registration_pages import form

pytestmark = pytest.mark.django_db


def register_path(event) -> str:
    return f"/veranstaltungen/{event.slug}/anmelden/"


def test_the_event_page_links_the_plain_form_and_shows_it_with_simple_words(client, make_event):
    event = make_event(format="hybrid", broadcast=True)

    usual = client.get(event.get_absolute_url()).text
    plain = client.get(event.get_absolute_url() + "?einfach=1").text

    assert f'href="{event.get_absolute_url()}?einfach=1#anmelden"' in usual
    assert "Ihr Vor- und Nachname" not in usual
    assert "Ihr Vor- und Nachname" in plain and "Zum Beispiel: Anna Schmidt" in plain
    assert "Ich komme in den Raum" in plain
    assert "Wozu sagen Sie Ja?" in plain and "löscht Ihre Daten" in plain
    assert 'name="plain" value="True"' in plain
    assert f'href="{event.get_absolute_url()}#anmelden"' in plain


def test_the_plain_form_in_english(client, make_event):
    event = make_event(format="hybrid", broadcast=True)
    plain = client.get("/en" + event.get_absolute_url() + "?einfach=1").text
    assert "Your first name and last name" in plain and "What do you agree to?" in plain
    assert "I take part on the internet, in a video meeting" in plain


def test_a_plain_form_with_a_mistake_comes_back_plain_with_the_entries(client, make_event):
    event = make_event(format="onsite", broadcast=True)

    response = client.post(register_path(event), form(email="kaputt", plain="True"))

    assert response.status_code == 422
    assert 'id="id_email_error"' in response.text
    assert "Ihre E-Mail-Adresse" in response.text and 'value="Jonas Beispiel"' in response.text
    assert Registration.objects.count() == 0


def test_a_plain_form_registers_like_the_usual_one(client, make_event):
    event = make_event(format="onsite", broadcast=True)
    response = client.post(register_path(event), form(plain="True"))
    assert response.status_code == 302
    assert Registration.objects.get().name == "Jonas Beispiel"


@pytest.mark.parametrize(
    ("switch", "shows", "hides"),
    [("plain", "Ihr Vor- und Nachname", "Ihr Name"), ("usual", "Ihr Name", "Ihr Vor- und Nachname")],
)
def test_switching_keeps_the_entries_and_saves_nothing(client, make_event, switch, shows, hides):
    event = make_event(format="onsite", broadcast=True)

    response = client.post(register_path(event), form(email="halb@", switch_texts=switch))

    assert response.status_code == 200
    page = response.text
    assert f">{shows}" in page and f">{hides}<" not in page
    assert 'value="Jonas Beispiel"' in page and 'value="halb@"' in page
    assert "Bitte prüfen Sie Ihre Angaben" not in page and "_error" not in page
    assert f'name="plain" value="{switch == "plain"}"' in page
    assert Registration.objects.count() == 0
