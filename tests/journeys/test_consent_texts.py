"""The team changes an event's consent texts in the editor: empty German terms are refused at
their field with the rest kept; the change is version 2, which the public page and form show;
the person registered before keeps version 1, the next one agrees to version 2, and the page
says who holds which. In German and in English."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from registrations.models import Registration
from tests.factories import EventFactory, agreement, register, registration_data
from tests.journeys.citizen import register as register_in_browser
from tests.journeys.staff import log_in, messages, staff_user

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {
        "section": "Einwilligungstexte",
        "save": "Als neue Version speichern",
        "saved": "Version 2 der Einwilligungstexte ist gespeichert.",
        "v1": "Version 1: 1 Anmeldung",
        "v2_none": "Version 2: 0 Anmeldungen",
        "v2": "Version 2: 1 Anmeldung",
        "terms": "Ich bin einverstanden, dass die Stadt meinen Namen für diese Veranstaltung speichert.",
    },
    "en": {
        "section": "Consent texts",
        "save": "Save as a new version",
        "saved": "Version 2 of the consent texts is saved.",
        "v1": "Version 1: 1 registration",
        "v2_none": "Version 2: 0 registrations",
        "v2": "Version 2: 1 registration",
        "terms": "I agree that the city stores my name for this event.",
    },
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_team_changes_the_consent_texts_and_sees_who_agreed_to_which_version(browse, mailbox, language):
    text = TEXTS[language]
    now = timezone.now()
    event = EventFactory(format="onsite", onsite=10, terms=agreement(broadcast=True), now=now)(
        title_en="Citizen dialogue", slug="dialog"
    )
    erika = register(event, registration_data(1, name="Erika Muster", email="erika@example.org"), now)
    organiser = staff_user("orga")
    event.team.add(organiser)

    anna = browse(language)
    log_in(anna, organiser, next_path=f"/organisation/veranstaltungen/{event.slug}/bearbeiten/")
    with anna.page.expect_navigation():
        anna.page.locator(".editor-nav").get_by_role("link", name=text["section"], exact=True).click()
    anna.step("consent texts, version 1")

    anna.page.locator("main [name=text_de]").fill("")
    anna.page.locator("main [name=text_en]").fill(TEXTS["en"]["terms"])
    anna.submit(text["save"], status=422)
    expect(anna.page.locator("#id_text_de_error")).to_be_visible()
    expect(anna.page.locator("main [name=text_en]")).to_have_value(TEXTS["en"]["terms"])
    anna.step("German terms missing, the English kept")

    anna.page.locator("main [name=text_de]").fill(TEXTS["de"]["terms"])
    anna.submit(text["save"])
    assert text["saved"] in messages(anna)
    expect(anna.page.get_by_text(text["v1"])).to_be_visible()
    expect(anna.page.get_by_text(text["v2_none"])).to_be_visible()
    anna.step("version 2 saved, version 1 kept with its registration")

    citizen = browse(language, who="citizen")
    citizen.open(f"/veranstaltungen/{event.slug}/")
    expect(citizen.page.get_by_text(text["terms"])).to_be_visible()
    citizen.step("the public page shows version 2")
    register_in_browser(citizen, mailbox, name="Otto Neu", email="otto@example.org")

    anna.open(f"/organisation/veranstaltungen/{event.slug}/einwilligung/")
    expect(anna.page.get_by_text(text["v2"])).to_be_visible()
    anna.page.get_by_text(text["v2"]).click()
    expect(anna.page.get_by_role("link", name="Otto Neu")).to_be_visible()
    anna.step("who holds which version")

    assert erika.consents.get(kind="terms").terms_version == 1
    otto = Registration.objects.get(name="Otto Neu")
    assert otto.consents.get(kind="terms").terms_version == 2
    assert otto.consents.get(kind="terms").text == text["terms"]
