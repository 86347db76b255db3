"""An organiser tells the registrants of an event what they need to know: a message to everyone
(an empty subject stopped by the browser first), the access data for the online seats, a failed mail
sent again; then the event is moved (an end before the start refused first), postponed and
cancelled, and each time the citizens get a mail; the call list names the person without an
address to phone. In German and in English."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Event, EventStatus
from registrations.models import MailState, OutboxMail
from registrations.submissions import RegistrationData
from tests.factories import EventFactory, agreement, register, registration_data
from tests.journeys.staff import log_in, messages, refused_by_the_browser, staff_user

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {
        "body": "Bitte bringen Sie Ihre Ideen mit.",
        "subject": "Zur Vorbereitung",
        "move_note": "Der Saal wird renoviert.",
        "postpone_note": "Der neue Termin folgt.",
        "cancel_note": "Wir laden neu ein.",
        "ends_before": "Die Veranstaltung muss nach ihrem Beginn enden.",
        "again": "wird erneut gesendet",
        "moved": "Die Veranstaltung hat einen neuen Termin",
        "postponed": "Die Veranstaltung ist verschoben",
        "cancelled": "Die Veranstaltung ist abgesagt",
        "event_cancelled": "Diese Veranstaltung ist abgesagt",
    },
    "en": {
        "body": "Please bring your ideas along.",
        "subject": "To prepare",
        "move_note": "The hall is being renovated.",
        "postpone_note": "The new date will follow.",
        "cancel_note": "We will invite you again.",
        "ends_before": "The event must end after it starts.",
        "again": "is being sent again",
        "moved": "The event has a new date",
        "postponed": "The event is postponed",
        "cancelled": "The event is cancelled",
        "event_cancelled": "This event is cancelled",
    },
}


def local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


def mail_saying(mailbox, address: str, words: str, timeout: float = 30):
    """The first mail to `address` whose text contains `words`, once it arrived."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for mail in mailbox.sent_to(address):
            if words in mail.text():
                return mail
        time.sleep(0.2)
    raise AssertionError(f"no mail to {address} says {words!r}: {[m.subject for m in mailbox.sent_to(address)]}")


def send(journey, *, status: int = 200) -> None:
    journey.submit(journey.page.locator("main form[method=post] button[type=submit]").last, status=status)


@pytest.mark.parametrize("language", ["de", "en"])
def test_an_organiser_writes_to_registrants_moves_postpones_and_cancels_the_event(browse, mailbox, language):
    text = TEXTS[language]
    now = timezone.now()
    organiser = staff_user("ankuendigung")
    event = EventFactory(format="online", online=10, terms=agreement())(
        title_en="Citizen dialogue", slug="dialog", team=[organiser]
    )
    register(event, registration_data(1, seat="online", language=language), now)
    register(event, registration_data(2, seat="online"), now)
    register(
        event,
        RegistrationData(name="Otto Ohnemail", seat_type="online", phone="02305 987654", accept_terms=True),
        now,
        channel="phone",
    )
    failed = OutboxMail.objects.filter(to="person2@example.org").first()
    OutboxMail.objects.filter(pk=failed.pk).update(state=MailState.FAILED, last_error="550 mailbox full")

    anna = browse(language)
    log_in(anna, organiser, next_path=f"/postausgang/{event.slug}/")
    anna.step("outbox")

    # A message to everyone: an empty subject is refused at its field, the text kept.
    anna.page.locator("main nav a[href$='/nachricht/']").click()
    anna.page.wait_for_load_state()
    anna.page.locator("textarea[name=body]").fill(text["body"])
    anna.page.locator("main form[method=post] button[type=submit]").last.click()
    refused_by_the_browser(anna, anna.page.locator("input[name=subject]"))
    anna.step("an empty subject is refused")
    anna.page.locator("input[name=subject]").fill(text["subject"])
    # Each registrant reads the message in their language: it is written in both (here the same
    # words, so that the registrant's mail reads the same whichever language they chose).
    anna.page.locator("input[name=subject_en]").fill(text["subject"])
    anna.page.locator("textarea[name=body_en]").fill(text["body"])
    send(anna)
    anna.step("message being sent")
    assert text["body"] in mailbox.wait_for("person1@example.org", subject=text["subject"]).text()

    # The failed mail is sent again from the outbox.
    anna.open(f"/postausgang/{event.slug}/?state=failed")
    anna.step("the failed mail")
    anna.submit(anna.page.locator(f"main form[action$='/mails/{failed.pk}/erneut/'] button[type=submit]"))
    assert text["again"] in messages(anna)
    anna.step("sent again")
    mailbox.wait_for("person2@example.org")

    # The join link for the online seats.
    anna.page.locator("main nav a[href$='/zugangsdaten/']").click()
    anna.page.wait_for_load_state()
    anna.page.locator("input[name=online_join_url]").fill("https://zoom.example/j/123")
    anna.page.locator("input[name=online_meeting_id]").fill("123 456 789")
    anna.page.locator("input[name=reminder_hours_before]").fill("24")
    send(anna)
    anna.step("access data saved")
    assert Event.objects.get(pk=event.pk).online_meeting_id == "123 456 789"

    # Moved to a new date: an end before the start is refused at the field first.
    new_start = (event.starts_at + timedelta(days=7)).replace(second=0, microsecond=0)
    anna.page.locator("main nav a[href$='/verschieben/']").click()
    anna.page.wait_for_load_state()
    anna.step("move form")
    anna.page.locator("input[name=starts_at]").fill(local(new_start))
    anna.page.locator("input[name=ends_at]").fill(local(new_start - timedelta(hours=1)))
    anna.page.locator("textarea[name=note]").fill(text["move_note"])
    anna.page.locator("input[name=confirm]").check()
    send(anna, status=422)
    expect(anna.page.locator("#id_ends_at_error")).to_contain_text(text["ends_before"])
    expect(anna.page.locator("textarea[name=note]")).to_have_value(text["move_note"])
    anna.step("an end before the start is refused")
    anna.page.locator("input[name=ends_at]").fill(local(new_start + timedelta(hours=2)))
    anna.page.locator("input[name=confirm]").check()
    send(anna)
    assert text["moved"] in messages(anna)
    anna.step("moved")
    mail_saying(mailbox, "person1@example.org", text["move_note"])
    assert Event.objects.get(pk=event.pk).starts_at == new_start

    anna.page.locator("main nav a[href$='/aufschieben/']").click()
    anna.page.wait_for_load_state()
    anna.page.locator("textarea[name=note]").fill(text["postpone_note"])
    anna.page.locator("input[name=confirm]").check()
    send(anna)
    assert text["postponed"] in messages(anna)
    anna.step("postponed")
    mail_saying(mailbox, "person1@example.org", text["postpone_note"])

    anna.page.locator("main nav a[href$='/anrufliste/']").click()
    anna.page.wait_for_load_state()
    expect(anna.page.locator("main table")).to_contain_text("Otto Ohnemail")
    anna.step("call list: the person without an address")

    anna.page.locator("main nav a[href$='/absagen/']").click()
    anna.page.wait_for_load_state()
    anna.step("cancel form")
    anna.page.locator("textarea[name=note]").fill(text["cancel_note"])
    anna.page.locator("input[name=confirm]").check()
    send(anna)
    assert text["cancelled"] in messages(anna)
    anna.step("cancelled")
    cancelled = mail_saying(mailbox, "person1@example.org", text["cancel_note"])
    assert Event.objects.get(pk=event.pk).status == EventStatus.CANCELLED

    citizen = browse(language, who="citizen")
    citizen.open(cancelled.link("/anmeldung/"))
    expect(citizen.page.locator("main .kern-alert").first).to_contain_text(text["event_cancelled"])
    citizen.step("the citizen's page says the event is cancelled")
