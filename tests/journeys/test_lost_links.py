""" "I can't find my link": a citizen who registered for two events (one in German, one in
English) lost the mails; from the event page they ask for the links, first with a mistyped
address, and get one mail listing both links, each opening its page in the registration's
language. An unknown address gets the same page and no mail. In German and in English."""

import pytest
from playwright.sync_api import expect

from tests.factories import EventFactory
from tests.journeys.citizen import errors, register, submit_form

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {
        "lost": "Schon angemeldet? Ich finde meinen Link nicht",
        "invalid": "gültige E-Mail-Adresse",
        "sent": "Bitte sehen Sie in Ihre E-Mails",
        "subject": "Ihre Links zu Ihren Anmeldungen",
        "manage": "Ihre Anmeldung",
    },
    "en": {
        "lost": "Already registered? I can't find my link",
        "invalid": "valid email address",
        "sent": "Please check your e-mail",
        "subject": "Your links to your registrations",
        "manage": "Your registration",
    },
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_citizen_gets_the_links_of_every_registration_again(browse, mailbox, language):
    text = TEXTS[language]
    EventFactory(format="online")(title_de="Radverkehr", title_en="Cycling", slug="rad")
    EventFactory(format="online")(title_de="Schulwege", title_en="School routes", slug="schule")
    # One registration in each language, made by the same person earlier.
    other_language = "en" if language == "de" else "de"
    for slug, registrant_language in [("rad", language), ("schule", other_language)]:
        earlier = browse(registrant_language, who=f"earlier-{slug}")
        earlier.open(f"/veranstaltungen/{slug}/")
        register(earlier, mailbox, name="Lotte Kranichfeld", email="lotte@example.org")
        earlier.close()

    citizen = browse(language)
    citizen.open("/veranstaltungen/rad/")
    citizen.page.get_by_role("link", name=text["lost"]).click()
    citizen.step("i can't find my link")

    citizen.page.locator("input[name=email]").fill("lotte(at)example.org")
    submit_form(citizen, status=422)
    citizen.step("mistyped address")
    assert text["invalid"] in errors(citizen)
    expect(citizen.page.locator("input[name=email]")).to_have_value("lotte(at)example.org")

    citizen.page.locator("input[name=email]").fill("lotte@example.org")
    submit_form(citizen)
    expect(citizen.page.get_by_role("heading", level=1)).to_have_text(text["sent"])
    citizen.step("links sent")
    mail = mailbox.wait_for("lotte@example.org", subject=text["subject"])
    links = [link for link in mail.links() if "/anmeldung/" in link]
    assert len(links) == 2
    assert ("Radverkehr" if language == "de" else "Cycling") in mail.text()

    assert sorted("/en/anmeldung/" in link for link in links) == [False, True]
    for number, link in enumerate(links):
        reader = browse("en" if "/en/anmeldung/" in link else "de", who=f"link-{number}")
        reader.open(link)
        reader.step("personal page from the links mail")
        reader.close()

    # An address that never registered: the same page, and no mail.
    stranger = browse(language, who="stranger")
    stranger.open("/mein-link/")
    stranger.page.locator("input[name=email]").fill("niemand@example.org")
    submit_form(stranger)
    expect(stranger.page.get_by_role("heading", level=1)).to_have_text(text["sent"])
    stranger.step("unknown address, same answer")
    assert mailbox.sent_to("niemand@example.org") == []
