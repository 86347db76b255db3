"""An organiser works the registrations of an event in the back office: enters a phone
registration (a bad address first: the form comes back with the entry kept and the message at
the field), switches a person's seat type, revokes their personal links, cancels a registration
(the next person moves up and is told by mail), releases reserved seats and, at an event that
allocates after the deadline, allocates the seats. In German and in English."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.services import SeatPlan
from registrations.models import Channel, Registration, Status
from tests.factories import EventFactory, agreement, register, registration_data, scheduled_event
from tests.journeys.staff import log_in, messages, staff_user

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {
        "bad_address": "Bitte gültige E-Mail-Adresse eingeben.",
        "saved": "Telefonische Anmeldung von Paula Telefon gespeichert",
        "cancelled": "Die Anmeldung von Person 1 ist storniert.",
        "released": "1 reservierter Platz freigegeben",
        "allocated": "Plätze in Eingangsreihenfolge vergeben.",
        "revoked": "funktionieren nicht mehr",
    },
    "en": {
        "bad_address": "Enter a valid email address.",
        "saved": "Phone registration of Paula Telefon saved",
        "cancelled": "The registration of Person 1 is cancelled.",
        "released": "1 reserved seat released",
        "allocated": "Seats allocated in order of receipt.",
        "revoked": "no longer work",
    },
}


def submit_form(journey, action: str, *, status: int = 200) -> None:
    """Press the submit button of the form posting to an address ending in `action`."""
    journey.submit(journey.page.locator(f"main form[action$='{action}'] button[type=submit]").first, status=status)


@pytest.mark.parametrize("language", ["de", "en"])
def test_an_organiser_works_the_registrations_in_the_back_office(browse, mailbox, language):
    text = TEXTS[language]
    now = timezone.now()
    organiser = staff_user("buero")
    event = EventFactory(format="hybrid", onsite=2, online=2, reserved=1, terms=agreement())(
        title_en="Citizen dialogue", slug="dialog", team=[organiser]
    )
    first = register(event, registration_data(1), now)
    register(event, registration_data(2, name="Wartende Person"), now)  # onsite is full: waiting list

    anna = browse(language)
    log_in(anna, organiser, next_path=f"/organisation/veranstaltungen/{event.slug}/")
    anna.step("event overview")

    # A phone registration: a bad address is refused at its field, everything typed is kept.
    anna.open(f"/organisation/veranstaltungen/{event.slug}/telefon/")
    page = anna.page
    page.locator("input[name=seat_type][value=online]").check()
    page.locator("input[name=name]").fill("Paula Telefon")
    page.locator("input[name=phone]").fill("02305 123456")
    page.locator("input[name=email]").fill("paula@example")
    page.locator("textarea[name=needs]").fill("Gebärdensprache")
    page.locator("input[name=accept_terms]").check()
    submit_form(anna, "/telefon/", status=422)
    expect(page.locator("#id_email_error")).to_contain_text(text["bad_address"])
    expect(page.locator("input[name=name]")).to_have_value("Paula Telefon")
    expect(page.locator("input[name=email]")).to_have_value("paula@example")
    expect(page.locator("textarea[name=needs]")).to_have_value("Gebärdensprache")
    anna.step("a bad address is refused at the field, the entry kept")
    assert not Registration.objects.filter(name="Paula Telefon").exists()

    page.locator("input[name=email]").fill("paula@example.org")
    submit_form(anna, "/telefon/")
    assert text["saved"] in messages(anna)
    anna.step("phone registration saved")
    paula = Registration.objects.get(name="Paula Telefon")
    assert (paula.channel, paula.status, paula.seat_type) == (Channel.PHONE, Status.CONFIRMED, "online")

    # Paula would rather come to the hall: no onsite seat is free, so she joins its waiting list.
    page.locator("input[name$=join_waiting_list]").check()
    submit_form(anna, "/platz-wechseln/")
    anna.step("switched to the waiting list for the hall")
    paula.refresh_from_db()
    assert (paula.seat_type, paula.status) == ("onsite", Status.WAITLISTED)

    submit_form(anna, "/links-sperren/")
    assert text["revoked"] in messages(anna)
    anna.step("personal links revoked")

    # Person 1 cancels by phone: the organiser cancels, the first in line moves up and is told.
    anna.open(f"/organisation/veranstaltungen/{event.slug}/anmeldungen/")
    anna.step("registration list")
    anna.page.locator(f"main a[href$='/anmeldungen/{first.pk}/']").first.click()
    anna.page.wait_for_load_state()
    anna.page.locator("[name=reason]").fill("Hat angerufen")
    submit_form(anna, "/stornieren/")
    assert text["cancelled"] in messages(anna)
    anna.step("registration cancelled")
    first.refresh_from_db()
    assert first.status == Status.CANCELLED
    print([m.subject for m in mailbox.sent_to("person2@example.org")])
    mailbox.wait_for("person2@example.org")

    # The reserved onsite seat is released: the next waiting person (Paula) gets it.
    anna.open(f"/organisation/veranstaltungen/{event.slug}/")
    anna.page.locator("main form[action*='/plaetze/onsite/freigeben/'] input[name$=count]").fill("1")
    submit_form(anna, "/plaetze/onsite/freigeben/")
    assert text["released"] in messages(anna)
    anna.step("a reserved seat released")
    paula.refresh_from_db()
    assert paula.status == Status.CONFIRMED


@pytest.mark.parametrize("language", ["de", "en"])
def test_an_organiser_allocates_the_seats_after_the_deadline(browse, mailbox, language):
    now = timezone.now()
    organiser = staff_user("verteilung")
    event = scheduled_event(
        organiser,
        slug="verlosung",
        opens=now - timedelta(days=3),
        closes=now - timedelta(hours=1),
        allocation="at_deadline",
        onsite=SeatPlan(1, 0),
    )
    event.team.add(organiser)
    for number in (1, 2):
        register(event, registration_data(number), now - timedelta(days=2, hours=number))

    anna = browse(language)
    log_in(anna, organiser, next_path=f"/organisation/veranstaltungen/{event.slug}/")
    anna.step("two people await the allocation")
    submit_form(anna, "/zuteilen/")
    assert TEXTS[language]["allocated"] in messages(anna)
    anna.step("seats allocated")
    statuses = dict(event.registrations.values_list("name", "status"))
    assert statuses == {"Person 1": Status.WAITLISTED, "Person 2": Status.CONFIRMED}
    mailbox.wait_for("person2@example.org")
