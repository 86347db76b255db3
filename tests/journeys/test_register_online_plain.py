"""A citizen switches the registration form to plain language, keeps what was typed, and
registers for an online seat; the personal page says the access data follows by mail. In German
and in English."""

import pytest
from playwright.sync_api import expect

from tests.factories import EventFactory, agreement
from tests.journeys.citizen import fill_registration, register

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {"online": "Sie haben einen Online-Platz.", "usual": "Das Formular mit den üblichen Texten zeigen"},
    "en": {"online": "You have an online seat.", "usual": "Show the form with its usual texts"},
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_citizen_registers_online_on_the_plain_language_form(browse, mailbox, language):
    text = TEXTS[language]
    EventFactory(format="online", terms=agreement())(title_en="Citizen dialogue", slug="dialog")
    citizen = browse(language)
    citizen.open("/veranstaltungen/dialog/")
    fill_registration(citizen, name="Erika Muster", email="erika@example.org", accept_terms=False)

    citizen.submit(citizen.page.locator("button[name=switch_texts]"))
    expect(citizen.page.locator("input[name=name]")).to_have_value("Erika Muster")
    expect(citizen.page.get_by_role("link", name=text["usual"])).to_be_visible()
    citizen.step("plain language form keeps the entries")

    mail = register(citizen, mailbox, name="Erika Muster", email="erika@example.org")
    expect(citizen.page.get_by_text(text["online"]).first).to_be_visible()
    citizen.step("personal page from the mail: online")
    assert mail.language == language or not mail.language
