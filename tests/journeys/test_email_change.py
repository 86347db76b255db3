"""A citizen changes the e-mail address of a registration from the personal page: a mistyped
address is refused at the field, the new one gets a link, opening it and confirming moves the
registration to it with the seat kept, and the old address is told. In German and in English."""

import pytest
from playwright.sync_api import expect

from tests.factories import EventFactory
from tests.journeys.citizen import errors, register, submit_form

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {
        "change": "E-Mail-Adresse ändern",
        "invalid": "gültige E-Mail-Adresse",
        "sent": "Wir haben einen Link an die neue Adresse gesendet.",
        "subject": "Bitte bestätigen Sie Ihre E-Mail-Adresse",
        "confirm": "Diese E-Mail-Adresse bestätigen",
        "confirmed": "Danke: Ihre E-Mail-Adresse ist bestätigt.",
        "seat": "Sie haben einen Platz vor Ort.",
        "told": "Die E-Mail-Adresse Ihrer Anmeldung wurde geändert",
    },
    "en": {
        "change": "Change your e-mail address",
        "invalid": "valid email address",
        "sent": "We have sent a link to the new address.",
        "subject": "Please confirm your e-mail address",
        "confirm": "Confirm this e-mail address",
        "confirmed": "Thank you: your e-mail address is confirmed.",
        "seat": "You have a seat on site.",
        "told": "The e-mail address of your registration has changed",
    },
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_citizen_moves_the_registration_to_a_new_address(browse, mailbox, language):
    text = TEXTS[language]
    EventFactory(format="onsite")(title_en="Citizen dialogue", slug="dialog")
    citizen = browse(language)
    citizen.open("/veranstaltungen/dialog/")
    register(citizen, mailbox, name="Erika Muster", email="erika@example.org")
    expect(citizen.page.get_by_text(text["seat"])).to_be_visible()

    citizen.page.get_by_role("link", name=text["change"], exact=True).click()
    citizen.step("change the e-mail address")
    citizen.page.locator("input[name=email]").fill("erika(at)neu.example")
    submit_form(citizen, status=422)
    assert text["invalid"] in errors(citizen)
    expect(citizen.page.locator("input[name=email]")).to_have_value("erika(at)neu.example")
    citizen.step("mistyped address refused")

    citizen.page.locator("input[name=email]").fill("erika@neu.example")
    submit_form(citizen)
    expect(citizen.page.get_by_text(text["sent"])).to_be_visible()
    citizen.step("link sent to the new address")

    mail = mailbox.wait_for("erika@neu.example", subject=text["subject"])
    assert not [link for link in mail.links() if "/anmeldung/" in link]
    citizen.open(mail.link("/adresse-bestaetigen/"))
    citizen.step("confirm the new address")
    citizen.submit(text["confirm"])
    expect(citizen.page.get_by_text(text["confirmed"])).to_be_visible()
    expect(citizen.page.get_by_text(text["seat"])).to_be_visible()
    citizen.step("new address confirmed, seat kept")
    mailbox.wait_for("erika@example.org", subject=text["told"])
