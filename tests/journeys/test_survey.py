"""After the event, a citizen who came and agreed to a feedback request opens the survey link from
the mail, answers, and finds the link used up afterwards. In German and in English."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports.feedback import services
from tests.factories import make_user
from tests.reports.report_helpers import checked_in, past_event, sign_up

pytestmark = pytest.mark.journey


@pytest.mark.parametrize("language", ["de", "en"])
def test_citizen_answers_the_survey_from_the_mail_once(browse, mailbox, app_mails_to_sink, language):
    organiser = make_user("organiser")
    event = past_event(organiser, slug="dialog", now=timezone.now())
    anna = checked_in(sign_up(event, "Anna Ahrens", language=language))
    services.send_invitations(event, actor=organiser, now=max(timezone.now(), event.ends_at + timedelta(minutes=1)))

    citizen = browse(language)
    link = mailbox.wait_for(anna.email, link="/rueckmeldung/").link("/rueckmeldung/")
    citizen.open(link)
    citizen.step("survey from the mail")
    page = citizen.page
    for group in {radio.get_attribute("name") for radio in page.locator("main input[type=radio]").all()}:
        page.locator(f"main input[name={group}]").first.check()
    for text in page.locator("main textarea").all():
        text.fill("Mehr Zeit für Fragen." if language == "de" else "More time for questions.")
    citizen.submit(page.locator("main form button[type=submit]"))
    citizen.step("thanks")

    citizen.open(link, status=410)
    citizen.step("link used up")
