"""Language slips found by a newcomer (findings/newcomer.md D13–D16, dates): texts of the other
language, American dates on English pages, stored codes instead of words, and "Platz" meaning a
seat and a waiting-list place on the same page."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from core.templatetags.site import berlin
from events.models import Venue
from events.services import SeatPlan, VenueData, update_event
from registrations.links import manage_path
from tests.factories import register
from tests.journeys.languages import wrong_language_strings
from tests.registrations.staff_helpers import enter

pytest_plugins = ["tests.registrations.staff_fixtures"]

OUR_APPS = {"events", "registrations", "ideas", "streaming", "reports"}
# Words that are the same in both languages.
SAME_IN_BOTH = {"online", "Zoom", "Livestream"}


def in_both(text) -> tuple[str, str]:
    with translation.override("en"):
        english = str(text)
    with translation.override("de"):
        german = str(text)
    return english, german


def in_language(language: str, address, *args) -> str:
    with translation.override(language):
        return address(*args)


def model_texts():
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        yield f"{model.__name__}", model._meta.verbose_name
        yield f"{model.__name__} (plural)", model._meta.verbose_name_plural
        for field in model._meta.get_fields():
            if not field.concrete or field.auto_created:
                continue
            yield f"{model.__name__}.{field.name}", field.verbose_name
            for value, label in field.flatchoices or []:
                yield f"{model.__name__}.{field.name}={value}", label


def test_every_model_field_and_choice_has_a_german_name_for_the_admin():
    untranslated = [
        (where, english)
        for where, text in model_texts()
        for english, german in [in_both(text)]
        if english == german and english not in SAME_IN_BOTH
    ]
    assert untranslated == []


def test_the_admin_says_select_an_option_in_german():
    from django.db.models.fields import BLANK_CHOICE_LABEL

    english, german = in_both(BLANK_CHOICE_LABEL)
    assert english == "- Select an option -" and german == "– Bitte auswählen –"


def test_english_dates_are_written_the_british_way_and_german_ones_unchanged():
    moment = datetime(2026, 12, 21, 17, 0, tzinfo=UTC)  # 18:00 in Berlin
    with translation.override("en"):
        assert berlin(moment) == "21 December 2026, 18:00"
        assert berlin(moment, "SHORT_DATETIME_FORMAT") == "21 Dec 2026, 18:00"
        assert date_format(moment.date()) == "21 December 2026"
        assert berlin(moment, "TIME_FORMAT") == "18:00"
    with translation.override("de"):
        assert berlin(moment) == "21. Dezember 2026 18:00"
        assert berlin(moment, "SHORT_DATETIME_FORMAT") == "21.12.2026 18:00"


@pytest.mark.django_db
def test_the_venue_notes_on_accessibility_show_in_the_page_language(make_event, organiser, now):
    event = make_event(format="onsite", organiser=organiser)
    venue = VenueData(
        "Ratssaal",
        "Europaplatz 1",
        "Eingang mit Rampe",
        step_free=True,
        hearing_loop=False,
        accessible_toilet=False,
        accessibility_notes_en="Entrance with a ramp",
    )
    update_event(event, {}, venue=venue, actor=organiser, now=now)
    german = Client().get(in_language("de", event.get_absolute_url)).text
    english = Client().get(in_language("en", event.get_absolute_url)).text
    assert "Eingang mit Rampe" in german and "Entrance with a ramp" not in german
    assert "Entrance with a ramp" in english and "Eingang mit Rampe" not in english
    Venue.objects.filter(name="Ratssaal").update(accessibility_notes_en="")
    cache.clear()  # the public page is cached; the venue changed behind the service's back
    assert "Eingang mit Rampe" in Client().get(in_language("en", event.get_absolute_url)).text


@pytest.mark.django_db
def test_a_waiting_person_reads_seat_type_and_waiting_place_in_words_that_differ(make_event, person, now, organiser):
    event = make_event(format="onsite", onsite=0, organiser=organiser)
    waiting = register(event, person(), now)
    german = Client().get(in_language("de", manage_path, waiting)).text
    assert "Platz: Platz vor Ort" not in re.sub(r"<[^>]+>\s*", "", german).replace("\n", "")
    assert "Gewünschte Platzart" in german and "an 1. Stelle der Warteliste" in german
    assert wrong_language_strings("de", re.sub(r"<[^>]+>", " ", german)) == []
    english = Client().get(in_language("en", manage_path, waiting)).text
    assert "Type of seat asked for" in english and "number 1 on the waiting list" in english


@pytest.mark.django_db
def test_the_personal_page_in_english_writes_dates_the_british_way(make_event, person, now, organiser):
    event = make_event(format="onsite", organiser=organiser)
    registration = register(event, person(language="en"), now)
    with translation.override("en"):
        page = Client().get(manage_path(registration)).text
        assert berlin(event.starts_at) in page
    assert not re.search(r"\b(a\.m|p\.m)\.", page)
    assert not re.search(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\. \d", page)


@pytest.fixture
def changed_event(staff_event, staff_organiser, staff_now):
    registration = enter(staff_event, "Erika Web", seat="onsite", at=staff_now - timedelta(minutes=50))
    update_event(
        staff_event,
        {
            "starts_at": staff_event.starts_at + timedelta(days=1),
            "ends_at": staff_event.ends_at + timedelta(days=1),
            "format": "onsite",
            "status": "published",
        },
        seats={"onsite": SeatPlan(capacity=5, reserved=1)},
        actor=staff_organiser,
        now=staff_now,
    )
    update_event(staff_event, {"online_passcode": "geheim-1"}, actor=staff_organiser, now=staff_now)
    return registration


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_history_names_what_changed_at_an_event_in_words(
    staff_client, staff_event, changed_event, staff_now, language
):
    prefix = "/en" if language == "en" else ""
    page = staff_client.get(prefix + reverse("staff:registration", args=[staff_event.slug, changed_event.pk])).text
    history = page.split('id="history-heading"', 1)[1]
    for raw in ("starts_at", "seats.", "+00:00", "onsite", "online_passcode", "(changed)", "geheim-1"):
        assert raw not in history, raw
    expected = {
        "de": ["Beginn:", "Format: vor Ort", "Platz vor Ort: 5 Plätze, davon 1 reserviert", "Kenncode: geändert"],
        "en": ["starts at:", "format: on site", "on-site seat: 5 seats, 1 reserved", "passcode: changed (not shown)"],
    }[language]
    for words in expected:
        assert words.lower() in history.lower(), words
    if language == "de":
        assert wrong_language_strings("de", re.sub(r"<[^>]+>", " ", history)) == []


@pytest.mark.django_db
def test_the_admin_time_zone_note_is_german(admin_client):
    with translation.override("de"):
        script = admin_client.get(reverse("admin:jsi18n")).text
    assert "Hinweis: Bitte Zeiten in der Zeitzone %(timezone)s eingeben." in script
