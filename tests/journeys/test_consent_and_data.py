"""A citizen withdraws the consent to appear in the broadcast from the link in the mail, then asks
which data the city holds (after a first try with a bad address), opens the data page from the
mail and has everything erased (after a first try without ticking the box). In German and in
English."""

import pytest
from playwright.sync_api import expect

from tests.factories import EventFactory, agreement
from tests.journeys.citizen import errors, register, submit_form

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {
        "withdraw": "Meine Einwilligung zur Übertragung widerrufen",
        "withdrawn": "widerrufen am",
        "your_data": "Ihre Daten",
        "bad_email": "Bitte gültige E-Mail-Adresse eingeben.",
        "erase_link": "Meine Daten löschen",
        "required": "Dieses Feld ist zwingend erforderlich.",
    },
    "en": {
        "withdraw": "Withdraw my consent to appear in the broadcast",
        "withdrawn": "withdrawn on",
        "your_data": "Your data",
        "bad_email": "Enter a valid email address.",
        "erase_link": "Erase my data",
        "required": "This field is required.",
    },
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_citizen_withdraws_a_consent_then_sees_and_erases_their_data(browse, mailbox, language):
    text = TEXTS[language]
    EventFactory(format="onsite", terms=agreement(broadcast=True))(title_en="Citizen dialogue", slug="dialog")
    citizen = browse(language)
    citizen.open("/veranstaltungen/dialog/")
    register(citizen, mailbox, name="Erika Muster", email="erika@example.org", broadcast=True)
    citizen.step("personal page from the mail")

    citizen.open(mailbox.wait_for("erika@example.org").link("/einwilligung/"))
    citizen.step("consents from the mail")
    citizen.submit(text["withdraw"])
    expect(citizen.page.get_by_text(text["withdrawn"])).to_be_visible()
    citizen.step("broadcast consent withdrawn")

    citizen.page.get_by_role("link", name=text["your_data"]).click()
    citizen.step("data request")
    citizen.page.locator("input[name=email]").fill("erika@example")
    submit_form(citizen, status=422)
    assert text["bad_email"] in errors(citizen)
    expect(citizen.page.locator("input[name=email]")).to_have_value("erika@example")
    citizen.step("bad address refused, kept")
    citizen.page.locator("input[name=email]").fill("erika@example.org")
    submit_form(citizen)
    citizen.step("link requested")

    data_link = mailbox.wait_for("erika@example.org", link="/daten/").link("/daten/")
    citizen.open(data_link)
    expect(citizen.page.get_by_text("Erika Muster").first).to_be_visible()
    citizen.step("data page from the mail")
    citizen.page.get_by_role("link", name=text["erase_link"]).click()
    citizen.step("erase page")
    submit_form(citizen, status=422)
    assert text["required"] in errors(citizen)
    citizen.step("erasure needs the tick")
    citizen.page.locator("input[name=confirm]").check()
    submit_form(citizen)
    citizen.step("erased")
