"""At the door: staff check a person in by the code of their ticket (a mistyped code is
answered as unknown first), find another by name and check them in, and register walk-ins: one
without a name refused at the field first (the address kept), one who gets the last seat and is
checked in at once, one who joins the door queue. In German and in English."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import EventMember, Role
from registrations.models import Channel, Registration, Status
from registrations.tickets import display_code
from tests.factories import EventFactory, agreement, register, registration_data
from tests.journeys.staff import log_in, messages, staff_user, submit_in_place

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {"welcome": "Willkommen!", "unknown": "Unbekanntes Ticket", "required": "Dieses Feld ist zwingend"},
    "en": {"welcome": "Welcome!", "unknown": "Unknown ticket", "required": "This field is required"},
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_door_staff_check_in_by_code_and_by_name_and_register_walk_ins(browse, language):
    text = TEXTS[language]
    now = timezone.now()
    event = EventFactory(format="onsite", onsite=3, terms=agreement(), now=now - timedelta(days=3))(
        title_en="Citizen dialogue",
        slug="dialog",
        starts_at=now + timedelta(minutes=20),
        opens=now - timedelta(days=3),
        closes=now - timedelta(days=1),
    )
    when = now - timedelta(days=2)
    erika = register(event, registration_data(1, name="Erika Muster"), when)
    register(event, registration_data(2, name="Max Mustermann"), when)
    door = staff_user("tuer")
    EventMember.objects.create(event=event, user=door, role=Role.CHECK_IN)

    staff = browse(language)
    log_in(staff, door, next_path=f"/einlass/{event.slug}/")
    staff.step("the check-in page")
    page = staff.page

    page.locator("#ticket").fill("XXXX-0000")
    submit_in_place(staff, page.locator("#checkin-form button[type=submit]"), url=f"/einlass/{event.slug}/")
    expect(page.locator("#checkin-result")).to_contain_text(text["unknown"])
    staff.step("a mistyped code is unknown")
    page.locator("#ticket").fill(display_code(erika.ticket_code))
    submit_in_place(staff, page.locator("#checkin-form button[type=submit]"), url=f"/einlass/{event.slug}/")
    expect(page.locator("#checkin-result")).to_contain_text(text["welcome"])
    expect(page.locator("#checkin-result")).to_contain_text("Erika Muster")
    staff.step("checked in by the ticket's code")

    page.locator("#search").fill("Muster")
    expect(page.locator("#people .checkin-people__item", has_text="Max Mustermann")).to_be_visible()
    found = page.locator("#people .checkin-people__item", has_text="Max Mustermann")
    submit_in_place(staff, found.locator("button[type=submit]"), url="/personen/")
    expect(page.locator("#checkin-result")).to_contain_text("Max Mustermann")
    staff.step("checked in by name")
    assert Registration.objects.filter(event=event, checked_in_at__isnull=False).count() == 2

    walk_in = page.locator("#walk-in form")
    walk_in.locator("input[name$=email]").fill("jonas@example.org")
    staff.submit(walk_in.locator("button[type=submit]"), status=422)
    expect(page.locator("#walk-in [id$=name_error]")).to_contain_text(text["required"])
    expect(page.locator("#walk-in input[name$=email]")).to_have_value("jonas@example.org")
    staff.step("a walk-in without a name is refused, the address kept")

    page.locator("#walk-in input[name$=name]").fill("Jonas Spät")
    if page.locator("#walk-in input[name$=accept_terms]").count():
        page.locator("#walk-in input[name$=accept_terms]").check()
    staff.submit(page.locator("#walk-in form button[type=submit]"))
    assert "Jonas Spät" in messages(staff)
    staff.step("the walk-in got the last seat")

    page.locator("#walk-in input[name$=name]").fill("Lea Letzte")
    if page.locator("#walk-in input[name$=accept_terms]").count():
        page.locator("#walk-in input[name$=accept_terms]").check()
    staff.submit(page.locator("#walk-in form button[type=submit]"))
    expect(page.locator("#walk-in")).to_contain_text("Lea Letzte")
    staff.step("the next walk-in waits in the door queue")
    walk_ins = dict(Registration.objects.filter(event=event, channel=Channel.DOOR).values_list("name", "status"))
    assert walk_ins == {"Jonas Spät": Status.CONFIRMED, "Lea Letzte": Status.WAITLISTED}
