"""The words and dates a person reads, in German and in English (findings/newcomer.md D13–D16):
a citizen on the waiting list reads the type of seat and the place on the list in words that
differ, the venue's notes in the page's language and dates in the page's style, on a phone and on
a desktop; an organiser finds the registration inbox, gives a cancelled event no new date, and
reads what changed at the event in words."""

import re

import pytest
from playwright.sync_api import expect

from events.models import Event
from events.services import VenueData
from tests.factories import EventFactory, agreement
from tests.journeys.citizen import register
from tests.journeys.staff import log_in, messages, staff_user

pytestmark = pytest.mark.journey

VENUE = VenueData(
    "Ratssaal",
    "Europaplatz 1, 44575 Castrop-Rauxel",
    "Eingang mit Rampe an der Rückseite",
    step_free=True,
    hearing_loop=False,
    accessible_toilet=False,
    accessibility_notes_en="Entrance with a ramp at the back",
)
TEXTS = {
    "de": {
        "notes": "Eingang mit Rampe an der Rückseite",
        "asked_for": "Gewünschte Platzart",
        "waiting": "Sie stehen an 1. Stelle der Warteliste",
        "inbox": "Posteingang der Anmeldungen",
        "new_date": "Neuer Termin",
        "postpone": "Verschieben, Termin noch offen",
        "cancel": "Veranstaltung absagen",
        "cancelled": "Die Veranstaltung ist abgesagt",
        "refused": "Diese Veranstaltung ist abgesagt.",
        "confirm": "input[name=confirm]",
    },
    "en": {
        "notes": "Entrance with a ramp at the back",
        "asked_for": "Type of seat asked for",
        "waiting": "You are number 1 on the waiting list",
        "inbox": "Registration inbox",
        "new_date": "New date",
        "postpone": "Postpone, date still open",
        "cancel": "Cancel the event",
        "cancelled": "The event is cancelled",
        "refused": "This event is cancelled.",
        "confirm": "input[name=confirm]",
    },
}
# A date as the page's language writes it: "21. Dezember 2026" / "21 December 2026", never
# "Dec. 21, 2026" or "12/21/2026".
DATE = {"de": r"\d{1,2}\. [A-ZÄÖÜ][a-zäöü]+ \d{4}", "en": r"\d{1,2} [A-Z][a-z]+ \d{4}"}
AMERICAN = r"[A-Z][a-z]{2}\. \d{1,2}, \d{4}|\d{1,2}/\d{1,2}/\d{4}|[ap]\.m\."


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_waiting_citizen_reads_seat_type_place_notes_and_dates_in_the_page_language(browse, mailbox, language):
    text = TEXTS[language]
    EventFactory(format="onsite", onsite=0, venue=VENUE, terms=agreement())(title_en="Citizen dialogue", slug="voll")
    citizen = browse(language)
    citizen.open("/veranstaltungen/voll/")
    expect(citizen.page.get_by_text(text["notes"])).to_be_visible()
    citizen.step("event page with the venue notes")

    register(citizen, mailbox, name="Dora Warte", email="dora@example.org")
    expect(citizen.page.get_by_text(text["waiting"])).to_be_visible()
    expect(citizen.page.get_by_text(text["asked_for"])).to_be_visible()
    main = citizen.page.locator("main").inner_text()
    assert re.search(DATE[language], main) and not re.search(AMERICAN, main), main
    citizen.step("personal page on the waiting list, desktop")
    status = citizen.page.locator("main [role=status]").first.bounding_box()
    details = citizen.page.locator("main dl").first.bounding_box()
    assert details["y"] - (status["y"] + status["height"]) >= 12, "no room between the status box and the details"

    citizen.page.set_viewport_size({"width": 375, "height": 812})
    assert citizen.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    citizen.step("personal page on the waiting list, phone")


@pytest.mark.parametrize("language", ["de", "en"])
def test_an_organiser_cancels_and_then_finds_no_new_date_to_give(browse, language):
    text = TEXTS[language]
    organiser = staff_user("orga-absage")
    event = EventFactory(format="onsite", venue=VENUE, terms=agreement())(slug="absage", team=[organiser])
    anna = browse(language)
    log_in(anna, organiser)
    anna.page.get_by_role("link", name=text["inbox"]).click()
    anna.page.wait_for_load_state()
    assert anna.page.url.endswith(anna.path("/organisation/posteingang/"))
    anna.step("the registration inbox from the navigation")

    anna.open(f"/postausgang/{event.slug}/")
    expect(anna.page.get_by_role("link", name=text["new_date"], exact=True)).to_be_visible()
    expect(anna.page.get_by_role("link", name=text["postpone"], exact=True)).to_be_visible()
    anna.page.get_by_role("link", name=text["postpone"], exact=True).click()
    anna.page.wait_for_load_state()
    anna.step("postponing says the new date is still open")

    anna.open(f"/postausgang/{event.slug}/absagen/")
    anna.page.locator(text["confirm"]).check()
    anna.submit(anna.page.get_by_role("button", name=text["cancel"]))
    assert text["cancelled"] in messages(anna)
    expect(anna.page.get_by_role("link", name=text["new_date"], exact=True)).to_have_count(0)
    anna.step("cancelled: no new date, postponing or cancelling offered")

    anna.open(f"/postausgang/{event.slug}/verschieben/")
    expect(anna.page.get_by_role("alert")).to_contain_text(text["refused"])
    expect(anna.page.locator("main form[method=post]")).to_have_count(0)
    anna.step("a new date for a cancelled event is refused")
    assert Event.objects.get(pk=event.pk).status == "cancelled"
