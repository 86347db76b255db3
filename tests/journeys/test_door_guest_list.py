"""At the door, on a phone: the guest list shows who is expected, finds a name, checks a person
in from the list; later a party leaves, is checked out, and its seats go to the door queue.
In German and in English, at 375 px without horizontal scrolling."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import EventMember, Role
from registrations.checkin.services import check_in_registration
from registrations.checkin.walk_ins import register_walk_in
from registrations.submissions import RegistrationData
from tests.factories import EventFactory, agreement, register, registration_data
from tests.journeys.staff import log_in, messages, staff_user

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {
        "nobody": "Niemand Erwartetes hat diesen Namen.",
        "checked_in": "Erika Muster ist eingecheckt.",
        "checked_out": "Max Begleitet und Begleitung sind ausgecheckt; 2 Plätze sind wieder frei.",
        "left": "2 Personen sind ausgecheckt.",
    },
    "en": {
        "nobody": "Nobody expected has this name.",
        "checked_in": "Erika Muster is checked in.",
        "checked_out": "Max Begleitet and party are checked out; 2 seats are free again.",
        "left": "2 people have checked out.",
    },
}


def fits_the_screen(journey) -> bool:
    return journey.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("language", ["de", "en"])
def test_door_staff_use_the_guest_list_on_a_phone_and_check_a_party_out(browse, language):
    text = TEXTS[language]
    now = timezone.now()
    event = EventFactory(format="onsite", onsite=3, terms=agreement(), now=now - timedelta(days=3))(
        title_en="Citizen dialogue",
        slug="dialog",
        max_companions=2,
        starts_at=now + timedelta(minutes=20),
        opens=now - timedelta(days=3),
        closes=now - timedelta(days=1),
    )
    when = now - timedelta(days=2)
    register(event, registration_data(1, name="Erika Muster"), when)
    max_party = register(event, registration_data(2, name="Max Begleitet", companions=1), when)
    door = staff_user("einlass")
    EventMember.objects.create(event=event, user=door, role=Role.CHECK_IN)
    check_in_registration(event, max_party.pk, actor=door, now=now)
    register_walk_in(
        event, RegistrationData(seat_type="onsite", name="Jonas Spät", accept_terms=True), actor=door, now=now
    )

    staff = browse(language)
    staff.page.set_viewport_size({"width": 375, "height": 812})
    log_in(staff, door, next_path=f"/einlass/{event.slug}/")
    staff.page.locator(f"a[href$='/einlass/{event.slug}/gaeste/']").click()
    staff.step("guest list on a phone")
    assert fits_the_screen(staff)
    expected = staff.page.locator("section[aria-labelledby=expected-heading]")
    expect(expected).to_contain_text("Erika Muster")

    staff.page.locator("#guest-search").fill("Nowak")
    staff.submit(staff.page.locator("form[role=search] button[type=submit]"))
    expect(expected).to_contain_text(text["nobody"])
    staff.step("nobody with this name")

    staff.page.locator("#guest-search").fill("erika")
    staff.submit(staff.page.locator("form[role=search] button[type=submit]"))
    expect(expected.locator(".checkin-people__item")).to_have_count(1)
    staff.step("found by a part of the name")
    staff.submit(expected.locator("button[type=submit]"))
    assert text["checked_in"] in messages(staff)
    expect(staff.page.locator("#guest-search")).to_have_value("erika")
    staff.step("checked in from the list")
    assert fits_the_screen(staff)

    staff.page.locator("#guest-search").fill("")
    staff.submit(staff.page.locator("form[role=search] button[type=submit]"))
    present = staff.page.locator("section[aria-labelledby=present-heading]")
    party = present.locator(".checkin-people__item", has_text="Max Begleitet")
    staff.submit(party.locator("button[type=submit]"))
    assert text["checked_out"] in messages(staff)
    expect(staff.page.locator("#checkin-counts")).to_contain_text(text["left"])
    staff.step("party checked out")
    assert fits_the_screen(staff)

    staff.open(f"/einlass/{event.slug}/")
    expect(staff.page.locator("#walk-in")).to_contain_text("Jonas Spät")
    staff.step("the door queue got the seat")
