"""A citizen registers for a seat on site, opens the confirmation mail, follows its link to the
personal page and cancels; in German and in English."""

import pytest
from playwright.sync_api import expect

from tests.factories import EventFactory, agreement

TEXTS = {
    "de": {
        "register": "Anmelden",
        "cancel_link": "Meine Anmeldung stornieren",
        "confirm": "Ja, meine Anmeldung stornieren und meinen Platz freigeben.",
        "cancel": "Anmeldung stornieren",
        "cancelled": "Diese Anmeldung ist storniert.",
    },
    "en": {
        "register": "Register",
        "cancel_link": "Cancel my registration",
        "confirm": "Yes, cancel my registration and give my seat to someone else.",
        "cancel": "Cancel registration",
        "cancelled": "This registration is cancelled.",
    },
}


@pytest.mark.journey
@pytest.mark.parametrize("language", ["de", "en"])
def test_citizen_registers_on_site_and_cancels_from_the_link_in_the_mail(browse, mailbox, language):
    text = TEXTS[language]
    event = EventFactory(format="onsite", terms=agreement())(title_en="Citizen dialogue", slug="dialog")
    citizen = browse(language)

    citizen.open("/veranstaltungen/dialog/")
    citizen.step("event page")
    page = citizen.page
    page.get_by_label("Ihr Name" if language == "de" else "Your name").fill("Erika Muster")
    page.get_by_label("E-Mail-Adresse" if language == "de" else "E-mail address").fill("erika@example.org")
    page.locator("input[name=accept_terms]").check()
    citizen.submit(text["register"])
    citizen.step("registered")

    mail = mailbox.wait_for("erika@example.org")
    citizen.open(mail.link("/anmeldung/"))
    citizen.step("personal page from the mail")

    page.get_by_role("link", name=text["cancel_link"]).click()
    citizen.step("cancel page")
    page.get_by_label(text["confirm"]).check()
    citizen.submit(text["cancel"])
    expect(page.get_by_text(text["cancelled"])).to_be_visible()
    citizen.step("cancelled")
    event.refresh_from_db()
