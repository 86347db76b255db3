"""An organiser logs in and finds on the dashboard what needs attention: a mail that failed and
registrations waiting for the allocation after the deadline; each item leads to the page where it
is fixed (the failed mails, the event's overview with the allocation). In German and English."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.services import SeatPlan
from registrations.models import MailState, OutboxMail
from tests.factories import scheduled_event
from tests.journeys.staff import log_in, staff_user
from tests.registrations.staff_helpers import enter

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {
        "heading": "Braucht Aufmerksamkeit",
        "failed": "Fehlgeschlagene E-Mails ansehen",
        "allocate": "Plätze vergeben",
        "waits": "Die Anmeldefrist ist vorbei: 1 Anmeldung wartet auf die Platzvergabe.",
    },
    "en": {
        "heading": "Needs attention",
        "failed": "See the failed mails",
        "allocate": "Allocate seats",
        "waits": "The deadline has passed: 1 registration waits to be allocated.",
    },
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_organiser_follows_the_needs_attention_list(browse, language):
    text = TEXTS[language]
    now = timezone.now()
    organiser = staff_user("orga")
    event = scheduled_event(
        organiser,
        slug="stadtteilforum",
        opens=now - timedelta(days=3),
        closes=now - timedelta(hours=1),
        allocation="at_deadline",
        online=SeatPlan(capacity=2),
    )
    registration = enter(event, "Lotte Kranichfeld", seat="online", at=now - timedelta(hours=2))
    OutboxMail.objects.filter(registration=registration).update(state=MailState.FAILED, last_error="550 unknown user")

    staff = browse(language)
    log_in(staff, organiser)
    attention = staff.page.locator("section[aria-labelledby=attention-heading]")
    expect(attention.get_by_role("heading")).to_have_text(text["heading"])
    expect(attention).to_contain_text(text["waits"])
    staff.step("dashboard with what needs attention")

    attention.get_by_role("link", name=text["failed"]).click()
    staff.page.wait_for_load_state()
    assert "state=failed" in staff.page.url
    expect(staff.page.locator("main")).to_contain_text("550 unknown user")
    staff.step("the failed mails")

    staff.page.go_back()
    staff.page.locator("section[aria-labelledby=attention-heading]").get_by_role("link", name=text["allocate"]).click()
    staff.page.wait_for_load_state()
    expect(staff.page.locator("#allocate-heading")).to_have_text(text["allocate"])
    staff.step("the event overview with the allocation")
