"""An organiser looks after registrations without the Django admin: edits a registration (a wrong
address refused at its field, the entry kept), gives it a new e-mail address that its owner
confirms from the mail, sends the confirmation again, and writes to everyone in German and in
English, each registrant reading their own language. In German and in English."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from registrations.models import Registration
from tests.factories import EventFactory, agreement, register, registration_data
from tests.journeys.staff import log_in, messages, refused_by_the_browser, staff_user

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {
        "edit": "Anmeldung bearbeiten",
        "save": "Änderungen speichern",
        "invalid": "gültige E-Mail-Adresse",
        "waiting": "Die neue E-Mail-Adresse bekommt eine E-Mail mit einem Link zur Bestätigung.",
        "pending": "Neue Adresse wartet auf Bestätigung: erika.neu@example.org",
        "confirm": "Diese E-Mail-Adresse bestätigen",
        "confirm_subject": "Bitte bestätigen Sie Ihre E-Mail-Adresse",
        "confirmed": "Danke: Ihre E-Mail-Adresse ist bestätigt.",
        "old_told": "Die E-Mail-Adresse Ihrer Anmeldung wurde geändert",
        "resend": "Bestätigung erneut senden",
        "resent": "Die E-Mail zur Anmeldung mit dem persönlichen Link geht noch einmal an erika.neu@example.org.",
        "again": "Hier ist die E-Mail zu Ihrer Anmeldung noch einmal",
        "send": "Senden",
    },
    "en": {
        "edit": "Edit registration",
        "save": "Save changes",
        "invalid": "valid email address",
        "waiting": "The new e-mail address gets a mail with a link to confirm it.",
        "pending": "New address waiting for confirmation: erika.neu@example.org",
        "confirm": "Confirm this e-mail address",
        "confirm_subject": "Please confirm your e-mail address",
        "confirmed": "Thank you: your e-mail address is confirmed.",
        "old_told": "The e-mail address of your registration has changed",
        "resend": "Send the confirmation again",
        "resent": "The mail about the registration, with the personal link, goes to erika.neu@example.org once more.",
        "again": "Here is the e-mail about your registration once more",
        "send": "Send",
    },
}


def field(journey, name: str):
    return journey.page.locator(f"main [name={name}]")


@pytest.mark.parametrize("language", ["de", "en"])
def test_an_organiser_edits_a_registration_changes_its_address_resends_and_writes_in_two_languages(
    browse, mailbox, language
):
    text = TEXTS[language]
    now = timezone.now()
    event = EventFactory(format="onsite", onsite=10, terms=agreement(), now=now)(
        title_en="Citizen dialogue", slug="dialog", max_companions=2
    )
    erika = register(
        event, registration_data(1, name="Erika Muster", email="erika@example.org", language=language), now
    )
    register(event, registration_data(2, name="Otto English", email="otto@example.org", language="en"), now)
    register(event, registration_data(3, name="Ute Deutsch", email="ute@example.org", language="de"), now)
    organiser = staff_user("orga")
    event.team.add(organiser)

    anna = browse(language)
    log_in(anna, organiser, next_path=f"/organisation/veranstaltungen/{event.slug}/anmeldungen/{erika.pk}/")
    anna.step("registration in the back office")
    anna.page.get_by_role("link", name=text["edit"]).click()
    anna.page.wait_for_load_state()
    anna.step("edit form")

    field(anna, "name").fill("Erika Mustermann")
    field(anna, "email").fill("erika@")
    field(anna, "companions").fill("1")
    anna.page.locator("main [name=need_wheelchair]").check()
    anna.submit(text["save"], status=422)
    expect(anna.page.locator("#id_email_error")).to_contain_text(text["invalid"])
    expect(field(anna, "name")).to_have_value("Erika Mustermann")
    anna.step("a wrong address refused at its field, the entry kept")

    field(anna, "email").fill("erika.neu@example.org")
    anna.submit(text["save"])
    assert text["waiting"] in messages(anna)
    expect(anna.page.get_by_text(text["pending"])).to_be_visible()
    anna.step("saved; the new address waits for its confirmation")
    erika.refresh_from_db()
    assert (erika.name, erika.companions, erika.email) == ("Erika Mustermann", 1, "erika@example.org")
    assert erika.status == "confirmed"

    mail = mailbox.wait_for("erika.neu@example.org", subject=text["confirm_subject"], link="/adresse-bestaetigen/")
    assert "/anmeldung/" not in " ".join(mail.links())  # no personal link before the address is confirmed
    citizen = browse(language, who="erika")
    citizen.open(mail.link("/adresse-bestaetigen/"))
    citizen.step("the owner of the new address opens the link")
    citizen.submit(text["confirm"])
    expect(citizen.page.get_by_text(text["confirmed"])).to_be_visible()
    citizen.step("confirmed: the personal page")
    assert Registration.objects.get(pk=erika.pk).email == "erika.neu@example.org"
    mailbox.wait_for("erika@example.org", subject=text["old_told"])
    mailbox.wait_for("erika.neu@example.org", link="/anmeldung/")

    anna.open(f"/organisation/veranstaltungen/{event.slug}/anmeldungen/{erika.pk}/")
    anna.submit(text["resend"])
    assert text["resent"] in messages(anna)
    anna.step("confirmation sent again")
    again = mailbox.wait_for("erika.neu@example.org", link="/anmeldung/", count=2)
    assert text["again"] in again.text()

    anna.open(f"/postausgang/{event.slug}/nachricht/")
    anna.step("message form in two languages")
    field(anna, "subject").fill("Bitte Ausweis mitbringen")
    field(anna, "body").fill("Liebe Teilnehmende,\n\nbitte bringen Sie einen Ausweis mit.")
    field(anna, "subject_en").fill("Please bring your ID")
    refused_by_the_browser(anna, field(anna, "body_en"))  # the server's refusal: tests/registrations
    anna.step("the English text is missing")
    field(anna, "body_en").fill("Dear participants,\n\nplease bring an ID.")
    anna.submit(text["send"])
    anna.step("message sent")

    assert "please bring an ID" in mailbox.wait_for("otto@example.org", subject="Please bring your ID").text()
    assert "Ausweis mit" in mailbox.wait_for("ute@example.org", subject="Bitte Ausweis mitbringen").text()
    erika_subject = "Please bring your ID" if language == "en" else "Bitte Ausweis mitbringen"
    mailbox.wait_for("erika.neu@example.org", subject=erika_subject)
