"""A citizen who mistypes an address, or sends a form after the browser lost its cookies, gets the
site's own page in their language (findings D11)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {
        "not_found": "Seite nicht gefunden",
        "csrf": "Das Formular konnte nicht gesendet werden",
        "send": "Link senden",
    },
    "en": {"not_found": "Page not found", "csrf": "The form could not be sent", "send": "Send me the link"},
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_mistyped_address_shows_the_sites_page_in_the_citizens_language(browse, language):
    citizen = browse(language)

    citizen.open("/veranstaltungen/gibt-es-nicht/", status=404)

    expect(citizen.page.get_by_role("heading", level=1)).to_have_text(TEXTS[language]["not_found"])
    citizen.step("not found")
    citizen.page.get_by_role("link", name="Stadtdialog").click()
    citizen.step("back home")


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_form_sent_after_the_cookies_were_lost_says_what_to_do(browse, language):
    citizen = browse(language)
    citizen.open("/datenauskunft/")
    citizen.step("data request form")
    citizen.page.locator("input[name=email]").fill("erika@example.org")

    citizen.context.clear_cookies()
    citizen.submit(TEXTS[language]["send"], status=403)

    expect(citizen.page.get_by_role("heading", level=1)).to_have_text(TEXTS[language]["csrf"])
    citizen.step("form refused")
