"""The back office after and before an event. After: an organiser reads the reports (the period
and the event, with the CSV download), prepares the survey (a question without its text refused
at the field first, one question removed again) and sends the survey link, which reaches the
citizen who came. Before: a registration mail that named no event waits in the inbox; the
organiser assigns it to the event and the writer gets a seat. In German and in English."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from registrations.intake.models import Outcome
from registrations.intake.services import process_raw_mail
from registrations.models import Registration
from reports.models import Question as SurveyQuestion
from tests.factories import EventFactory, agreement
from tests.journeys.staff import log_in, messages, staff_user
from tests.reports.report_helpers import checked_in, past_event, sign_up

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {"required": "Dieses Feld ist zwingend erforderlich.", "sent": "1 Umfrage-Link verschickt."},
    "en": {"required": "This field is required.", "sent": "1 survey link sent."},
}


def submit_form(journey, action: str, *, status: int = 200) -> None:
    journey.submit(journey.page.locator(f"main form[action$='{action}'] button[type=submit]").first, status=status)


@pytest.mark.parametrize("language", ["de", "en"])
def test_an_organiser_reads_the_reports_and_sends_the_survey(browse, mailbox, language):
    text = TEXTS[language]
    organiser = staff_user("auswertung")
    event = past_event(organiser, slug="dialog", now=timezone.now())
    event.team.add(organiser)
    anna = checked_in(sign_up(event, "Anna Ahrens", language=language))

    staff = browse(language)
    log_in(staff, organiser, next_path="/organisation/berichte/")
    staff.step("the period report")
    staff.open(f"/organisation/berichte/{event.slug}/")
    staff.step("the event report")
    with staff.page.expect_download() as download:
        staff.page.locator("main a[href$='/anwesenheit.csv']").first.click()
    assert "Anna Ahrens" not in download.value.suggested_filename
    assert download.value.suggested_filename.endswith(".csv")

    survey = f"/organisation/berichte/{event.slug}/umfrage/"
    staff.open(survey)
    staff.step("the survey")
    staff.page.locator("input[name=kind][value=text]").check()
    submit_form(staff, "/umfrage/fragen/", status=422)
    expect(staff.page.locator("#id_text_de_error")).to_contain_text(text["required"])
    staff.step("a question without its text is refused")
    staff.page.locator("input[name=text_de]").fill("Was hat Ihnen gefehlt?")
    staff.page.locator("input[name=text_en]").fill("What did you miss?")
    submit_form(staff, "/umfrage/fragen/")
    staff.page.locator("input[name=kind][value=text]").check()
    staff.page.locator("input[name=text_de]").fill("Eine Frage zu viel")
    submit_form(staff, "/umfrage/fragen/")
    extra = SurveyQuestion.objects.get(text_de="Eine Frage zu viel")
    submit_form(staff, f"/umfrage/fragen/{extra.pk}/entfernen/")
    assert not SurveyQuestion.objects.filter(pk=extra.pk).exists()
    assert SurveyQuestion.objects.filter(survey__event=event, text_de="Was hat Ihnen gefehlt?").exists()
    staff.step("one question added, one removed")

    submit_form(staff, "/umfrage/senden/")
    assert text["sent"] in messages(staff)
    staff.step("survey link sent")
    mailbox.wait_for(anna.email, link="/rueckmeldung/")


@pytest.mark.parametrize("language", ["de", "en"])
def test_an_organiser_assigns_a_mail_from_the_inbox(browse, mailbox, language):
    now = timezone.now()
    organiser = staff_user("posteingang")
    event = EventFactory(format="onsite", terms=agreement())(
        title_en="Citizen dialogue", slug="dialog", team=[organiser]
    )
    raw = (
        b"From: Hans Brief <hans@example.org>\r\nTo: anmeldung@stadt.example\r\nSubject: Teilnahme\r\n"
        b"Message-ID: <brief-1@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Ich komme gern.\r\nHans Brief\r\n"
    )
    mail = process_raw_mail(raw, received_at=now - timedelta(minutes=5), source="journey", now=now)
    assert mail.outcome == Outcome.NO_KEYWORD

    staff = browse(language)
    log_in(staff, organiser, next_path="/organisation/posteingang/")
    staff.step("the inbox")
    staff.page.locator(f"main a[href$='/posteingang/{mail.pk}/']").first.click()
    staff.page.wait_for_load_state()
    staff.step("the mail that named no event")
    staff.page.locator("select[name=event]").select_option(str(event.pk))
    submit_form(staff, f"/posteingang/{mail.pk}/zuordnen/")
    assert messages(staff)
    staff.step("assigned to the event")
    assert Registration.objects.filter(event=event, email="hans@example.org").exists()
    mailbox.wait_for("hans@example.org")
