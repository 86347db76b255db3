"""A citizen registers for the last seat on site (after a first try with bad input), is asked to
check the mail, opens the personal page from the confirmation mail and cancels there; the next
person on the waiting list moves up and is told by mail. In German and in English."""

import pytest
from playwright.sync_api import expect

from tests.factories import EventFactory, agreement
from tests.journeys.citizen import errors, register, submit_form

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {
        "check": "Bitte prüfen Sie Ihre Eingaben",
        "required": "Dieses Feld ist zwingend erforderlich.",
        "bad_email": "Bitte gültige E-Mail-Adresse eingeben.",
        "seat": "Sie haben einen Platz vor Ort.",
        "waiting": "Sie stehen an 1. Stelle der Warteliste",
        "cancel_link": "Meine Anmeldung stornieren",
        "cancelled": "Diese Anmeldung ist storniert.",
    },
    "en": {
        "check": "Please check your input",
        "required": "This field is required.",
        "bad_email": "Enter a valid email address.",
        "seat": "You have a seat on site.",
        "waiting": "You are number 1 on the waiting list",
        "cancel_link": "Cancel my registration",
        "cancelled": "This registration is cancelled.",
    },
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_citizen_cancels_from_the_mail_and_the_next_on_the_waiting_list_moves_up(browse, mailbox, language):
    text = TEXTS[language]
    EventFactory(format="onsite", onsite=1, terms=agreement())(title_en="Citizen dialogue", slug="dialog")
    erika = browse(language, who="erika")
    erika.open("/veranstaltungen/dialog/")
    erika.step("event page")

    submit_form(erika, status=422)
    expect(erika.page.get_by_text(text["check"])).to_be_visible()
    assert text["required"] in errors(erika)
    erika.step("empty form refused")
    register(erika, name="Erika Muster", email="erika@example", status=422)
    assert text["bad_email"] in errors(erika)
    expect(erika.page.locator("input[name=name]")).to_have_value("Erika Muster")
    erika.step("bad address refused, name kept")

    register(erika, mailbox, name="Erika Muster", email="erika@example.org")
    expect(erika.page.get_by_text(text["seat"])).to_be_visible()
    erika.step("personal page from the mail")

    max_ = browse(language, who="max")
    max_.open("/veranstaltungen/dialog/")
    register(max_, mailbox, name="Max Warte", email="max@example.org")
    expect(max_.page.get_by_text(text["waiting"])).to_be_visible()
    max_.step("on the waiting list")

    erika.page.get_by_role("link", name=text["cancel_link"]).click()
    erika.step("cancel page")
    erika.page.locator("input[name=confirm]").check()
    submit_form(erika)
    expect(erika.page.get_by_text(text["cancelled"]).first).to_be_visible()
    erika.step("cancelled")

    moved_up = mailbox.wait_for("max@example.org", count=2)
    max_.open(moved_up.link("/anmeldung/"))
    expect(max_.page.get_by_text(text["seat"])).to_be_visible()
    max_.step("moved up")
