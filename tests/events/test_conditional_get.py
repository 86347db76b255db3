"""Conditional GET on the public pages (core/public_pages.py): an anonymous reader who opens a page
again gets 304 while it is the same, the whole page after a change, and an organiser never gets an
ETag. The event page's ETag is taken without the CSRF token and with the reader's CSRF secret, so
that the copy a 304 lets the browser keep still posts."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from events.services import update_event
from registrations.models import Registration
from tests.factories import make_user, register, registration_data

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def again(client, url, response):
    return client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])


def test_the_event_page_answers_304_to_a_reader_who_has_it(make_event):
    event = make_event(format="hybrid")
    url = event.get_absolute_url()
    reader = Client()
    first = reader.get(url)
    assert first.status_code == 200 and first["ETag"].startswith('W/"')
    assert "no-cache" in first["Cache-Control"] and "private" in first["Cache-Control"]

    second = again(reader, url, first)

    assert second.status_code == 304 and second.content == b""
    assert second["ETag"] == first["ETag"]
    assert {"cookie", "accept-language"} <= {part.strip().lower() for part in second["Vary"].split(",")}


def test_the_page_kept_by_a_304_still_posts_its_form(make_event):
    """The token in the kept copy was masked from the reader's secret, which the ETag includes."""
    event = make_event(format="hybrid")
    url = event.get_absolute_url()
    reader = Client(enforce_csrf_checks=True)
    kept = reader.get(url)
    assert again(reader, url, kept).status_code == 304

    response = reader.post(
        f"/veranstaltungen/{event.slug}/anmelden/",
        {
            "csrfmiddlewaretoken": TOKEN.search(kept.content.decode()).group(1),
            "name": "Lotte Wieder",
            "email": "lotte@example.org",
            "seat_type": "onsite",
            "language": "de",
            "accept_terms": "on",
        },
    )

    assert response.status_code == 302
    assert Registration.objects.filter(event=event, email="lotte@example.org").exists()


def test_a_reader_with_another_csrf_secret_gets_the_whole_page(make_event):
    event = make_event()
    url = event.get_absolute_url()
    first = Client().get(url)
    stranger = Client()  # no cookie: its page gets a new secret and a token from it
    response = again(stranger, url, first)
    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    assert TOKEN.search(response.content.decode())


def test_the_event_page_is_sent_again_after_a_change(make_event, now):
    event = make_event(format="onsite", onsite=2)
    url = event.get_absolute_url()
    reader = Client()
    first = reader.get(url)

    register(event, registration_data(1), now)  # a seat fewer shows on the page
    after_registration = again(reader, url, first)
    update_event(event, {"title_de": "Bürgerdialog, neuer Titel"}, actor=None, now=timezone.now())
    after_edit = again(reader, url, after_registration)

    assert after_registration.status_code == 200 and after_registration["ETag"] != first["ETag"]
    assert after_edit.status_code == 200 and "neuer Titel" in after_edit.content.decode()


def test_the_home_page_and_the_past_events_answer_304_to_any_reader_who_has_them(make_event):
    make_event()
    for url in ("/", "/vergangene/", "/en/"):
        first = Client().get(url)
        assert first.status_code == 200 and "private" not in first["Cache-Control"]  # no token on it
        assert again(Client(), url, first).status_code == 304


def test_the_home_page_is_sent_again_when_an_event_is_added(make_event):
    make_event()
    first = Client().get("/")
    added = make_event(title="Neuer Dialog")
    response = again(Client(), "/", first)
    assert response.status_code == 200 and added.title in response.content.decode()


def test_an_organiser_gets_no_etag_and_never_a_304(make_event):
    event = make_event()
    url = event.get_absolute_url()
    anonymous = Client().get(url)
    staff = Client()
    staff.force_login(make_user("orga"))
    for page in (url, "/"):
        response = staff.get(page, HTTP_IF_NONE_MATCH=anonymous["ETag"])
        assert response.status_code == 200
        assert not response.has_header("ETag")


def test_a_post_and_a_missing_page_get_no_etag(make_event):
    event = make_event()
    assert not Client().get("/veranstaltungen/gibt-es-nicht/").has_header("ETag")
    assert not Client().post(event.get_absolute_url()).has_header("ETag")
