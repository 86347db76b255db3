"""Days before the event, everyone with a seat is asked to confirm. From the link in that mail
one citizen confirms and another gives the seat back; the first on the waiting list is offered
the seat by mail and accepts it. In German and in English."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import EventFactory, agreement, register, registration_data
from tests.registrations.reconfirm_helpers import reconfirming, run_reconfirmation

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {
        "coming": "Ja, ich komme",
        "give_back": "Ich kann nicht kommen: Platz zurückgeben",
        "accept": "Platz annehmen",
        "confirmed": "Ihr Platz ist bestätigt. Vielen Dank!",
        "offer": "Ein Platz für Sie",
    },
    "en": {
        "coming": "Yes, I am coming",
        "give_back": "I cannot come: give my seat back",
        "accept": "Accept the seat",
        "confirmed": "Your seat is confirmed. Thank you!",
        "offer": "A seat for you",
    },
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_citizens_reconfirm_give_back_and_the_next_accepts_the_offer(browse, mailbox, app_mails_to_sink, language):
    text = TEXTS[language]
    now = timezone.now()
    event = EventFactory(format="onsite", onsite=2, terms=agreement(), starts_in=timedelta(days=3, hours=-1))(
        title_en="Citizen dialogue", slug="dialog"
    )
    reconfirming(event, now=now, days=3)
    anna, clara, ben = (
        register(event, registration_data(number, language=language), now - timedelta(hours=4 - number))
        for number in (1, 2, 3)
    )
    # The requests went out three days before the start, an hour ago (the outbox sends only what
    # is due by the clock, so the run is now).
    run_reconfirmation(now=timezone.now())

    clara_browser = browse(language, who="clara")
    clara_browser.open(mailbox.wait_for(clara.email, link="/platz-bestaetigen/").link("/platz-bestaetigen/"))
    clara_browser.step("asked to confirm")
    clara_browser.submit(text["coming"])
    expect(clara_browser.page.get_by_text(text["confirmed"])).to_be_visible()
    clara_browser.step("confirmed")

    anna_browser = browse(language, who="anna")
    anna_browser.open(mailbox.wait_for(anna.email, link="/platz-bestaetigen/").link("/platz-bestaetigen/"))
    anna_browser.submit(text["give_back"])
    anna_browser.step("seat given back")

    ben_browser = browse(language, who="ben")
    ben_browser.open(mailbox.wait_for(ben.email, link="/platz-bestaetigen/").link("/platz-bestaetigen/"))
    expect(ben_browser.page.get_by_role("heading", level=1)).to_have_text(text["offer"])
    ben_browser.step("offered a seat")
    ben_browser.submit(text["accept"])
    expect(ben_browser.page.get_by_text(text["confirmed"])).to_be_visible()
    ben_browser.step("offer accepted")
