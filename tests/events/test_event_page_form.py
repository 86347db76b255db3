"""The event page renders its registration form once per event and language and fills in only
the CSRF token (core/fragments.py): what each reader gets must be exactly what a fresh render
would give, with a token of their own that the form's POST accepts; a change to the form (a new
question, the plain texts, the language) shows at once; and the page costs the same number of
queries for 3 registrations as for 300, for 3 events as for 300."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from core.fragments import FragmentCache, form_fingerprint
from events.questions import QuestionData, add_question
from registrations import views
from registrations.forms import RegistrationForm
from registrations.models import Registration
from tests.factories import register, registration_data

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def empty_cache(monkeypatch):
    monkeypatch.setattr(views, "REGISTRATION_FORMS", FragmentCache())


def page(client, event, suffix: str = "", language: str = "de") -> str:
    with translation.override(language):
        url = event.get_absolute_url()
    response = client.get(url + suffix)
    assert response.status_code == 200
    return response.content.decode()


def without_tokens(html: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value="…"', html)


def test_every_reader_gets_the_fresh_form_with_a_token_of_their_own(make_event):
    event = make_event(format="hybrid")
    first_reader, second_reader = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)

    first = page(first_reader, event)  # renders and stores the form
    second = page(second_reader, event)  # from the store
    views.REGISTRATION_FORMS.clear()
    fresh = page(second_reader, event)  # rendered again for the same reader

    assert without_tokens(second) == without_tokens(fresh)
    assert without_tokens(first) == without_tokens(second)
    assert TOKEN.search(first).group(1) != TOKEN.search(second).group(1)
    response = second_reader.post(
        f"/veranstaltungen/{event.slug}/anmelden/",
        {
            "csrfmiddlewaretoken": TOKEN.search(second).group(1),
            "name": "Lotte Zweite",
            "email": "lotte@example.org",
            "seat_type": "onsite",
            "language": "de",
            "accept_terms": "on",
            "broadcast_consent": "on",
        },
    )
    assert response.status_code in (200, 302), response.status_code
    assert Registration.objects.filter(event=event, email="lotte@example.org").exists()


def test_a_new_question_the_language_and_the_plain_texts_show_at_once(make_event, now):
    event = make_event()
    german = page(Client(), event)
    add_question(
        event, QuestionData("text", "Ihr Lieblingsort in der Stadt?", "Your favourite place?"), actor=None, now=now
    )

    assert "Ihr Lieblingsort in der Stadt?" not in german
    assert "Ihr Lieblingsort in der Stadt?" in page(Client(), event)
    english = page(Client(), event, language="en")
    assert "Your favourite place?" in english and "Your name" in english
    assert "Ihr Name" in page(Client(), event)
    plain = page(Client(), event, "?einfach=1")
    assert 'name="plain" value="True"' in plain
    assert 'name="plain" value="True"' not in page(Client(), event)


def test_the_form_fingerprint_follows_what_the_form_shows(make_event, now):
    event = make_event()
    before = form_fingerprint(RegistrationForm(event=event, language="de"))
    assert form_fingerprint(RegistrationForm(event=event, language="de")) == before
    assert form_fingerprint(RegistrationForm(event=event, language="en")) != before
    assert form_fingerprint(RegistrationForm(event=event, language="de", plain=True)) != before
    add_question(event, QuestionData("yes_no", "Parkplatz?"), actor=None, now=now)
    event.refresh_from_db()
    assert form_fingerprint(RegistrationForm(event=event, language="de")) != before


def queries_for(url: str) -> int:
    with translation.override("de"), CaptureQueriesContext(connection) as queries:
        assert Client().get(url).status_code == 200
    return len(queries.captured_queries)


def test_the_event_page_costs_the_same_for_3_and_300_registrations_and_events(make_event):
    event = make_event(format="hybrid", onsite=400, online=400)
    now = timezone.now()
    for number in range(3):
        register(event, registration_data(number), now)
    others = [make_event() for _ in range(2)]
    few = queries_for(event.get_absolute_url())
    views.REGISTRATION_FORMS.clear()
    few_uncached = queries_for(event.get_absolute_url())

    for number in range(3, 300):
        register(
            event, registration_data(number, seat="online" if number % 2 else "onsite"), now + timedelta(seconds=number)
        )
    others += [make_event() for _ in range(298 - len(others))]
    many = queries_for(event.get_absolute_url())
    views.REGISTRATION_FORMS.clear()
    many_uncached = queries_for(event.get_absolute_url())

    assert Registration.objects.filter(event=event).count() == 300
    assert many == few
    assert many_uncached == few_uncached
