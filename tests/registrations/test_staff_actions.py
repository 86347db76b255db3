"""Organisers change registrations through the staff pages: phone entry, release, allocate, cancel."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from core.errors import Busy
from events.models import AuditEntry, SeatPool
from events.services import SeatPlan
from registrations import seats
from registrations.models import ConsentRecord, Registration
from tests.factories import scheduled_event
from tests.registrations.staff_helpers import enter, statuses

pytest_plugins = ["tests.registrations.staff_fixtures"]
pytestmark = pytest.mark.usefixtures("staff_english")

BERLIN = ZoneInfo("Europe/Berlin")


def berlin_input(moment) -> str:
    return moment.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M")


def phone_form(moment, **overrides) -> dict:
    return {
        "received_at": berlin_input(moment),
        "seat_type": "online",
        "name": "Erika Musterfrau",
        "phone": "02305 123456",
        "email": "",
        "language": "de",
        "needs": "Gebärdensprache",
        "accept_terms": "on",
        **overrides,
    }


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# Phone registrations


def test_phone_registration_is_saved_with_the_time_of_the_call_and_who_took_it(
    staff_client, staff_event, staff_organiser, staff_now
):
    call = staff_now - timedelta(minutes=20)
    response = staff_client.post(reverse("staff:phone", args=[staff_event.slug]), phone_form(call))

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("staff:registration", args=[staff_event.slug, registration.pk])
    assert registration.channel == "phone"
    assert registration.received_at == call.replace(second=0)
    assert registration.entered_by == staff_organiser
    assert registration.status == "confirmed"
    assert registration.needs == "Gebärdensprache"
    consent = ConsentRecord.objects.get()
    assert (consent.channel, consent.recorded_by) == ("phone", staff_organiser)
    assert message_texts(response) == ["Phone registration of Erika Musterfrau saved: confirmed."]


def test_phone_form_offers_the_current_berlin_time_of_the_call(staff_client, staff_event):
    with time_machine.travel(datetime(2026, 7, 1, 10, 30, 45, tzinfo=UTC), tick=False):
        response = staff_client.get(reverse("staff:phone", args=[staff_event.slug]))

    assert response.status_code == 200
    field = str(response.context["form"]["received_at"])
    assert 'type="datetime-local"' in field
    assert 'value="2026-07-01T12:30"' in field


def test_the_time_of_the_call_is_read_in_berlin_time(staff_client, staff_event):
    staff_client.post(
        reverse("staff:phone", args=[staff_event.slug]),
        phone_form(staff_event.registration_opens_at + timedelta(minutes=5)),
    )

    registration = Registration.objects.get()
    local = registration.received_at.astimezone(BERLIN)
    expected = (staff_event.registration_opens_at + timedelta(minutes=5)).astimezone(BERLIN)
    assert (local.hour, local.minute) == (expected.hour, expected.minute)


def test_phone_registration_without_phone_or_email_is_refused_at_the_phone_field(staff_client, staff_event, staff_now):
    response = staff_client.post(reverse("staff:phone", args=[staff_event.slug]), phone_form(staff_now, phone=""))

    assert response.status_code == 422
    assert not Registration.objects.exists()
    assert not ConsentRecord.objects.exists()
    form = response.context["form"]
    assert form.errors["phone"] == ["A phone registration needs a phone number or an e-mail address."]
    html = response.content.decode()
    assert 'aria-describedby="id_phone_helptext id_phone_error"' in html
    assert 'id="id_phone_error"' in html
    assert 'aria-invalid="true"' in html
    assert "kern-form-input__input--error" in html
    assert 'role="alert"' in html


def test_an_empty_phone_form_shows_what_is_missing(staff_client, staff_event):
    response = staff_client.post(reverse("staff:phone", args=[staff_event.slug]), {})

    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"received_at", "seat_type", "name", "language"}
    assert 'href="#id_seat_type_0"' in response.content.decode()  # the first radio button takes the focus
    assert not Registration.objects.exists()


def test_phone_registration_without_consent_is_refused(staff_client, staff_event, staff_now):
    data = phone_form(staff_now)
    del data["accept_terms"]
    response = staff_client.post(reverse("staff:phone", args=[staff_event.slug]), data)

    assert response.status_code == 422
    assert response.context["form"].errors["accept_terms"] == ["Please agree to the terms of participation."]
    assert not Registration.objects.exists()


def test_onsite_phone_registration_of_a_broadcast_event_gets_a_seat_without_the_broadcast_consent(
    staff_client, staff_event, staff_now
):
    staff_client.post(reverse("staff:phone", args=[staff_event.slug]), phone_form(staff_now, seat_type="onsite"))

    registration = Registration.objects.get()
    assert registration.seat_type == "onsite"
    assert not registration.consents.filter(kind="broadcast").exists()


def test_a_call_in_the_future_is_refused_at_the_time_field(staff_client, staff_event, staff_now):
    response = staff_client.post(
        reverse("staff:phone", args=[staff_event.slug]), phone_form(staff_now + timedelta(hours=2))
    )

    assert response.context["form"].errors["received_at"] == ["The time of the call cannot be in the future."]
    assert not Registration.objects.exists()


def test_a_call_before_registration_opened_is_refused_above_the_form(staff_client, staff_event):
    too_early = staff_event.registration_opens_at - timedelta(hours=1)
    response = staff_client.post(reverse("staff:phone", args=[staff_event.slug]), phone_form(too_early))

    assert response.context["form"].non_field_errors() == ["Registration has not opened yet."]
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "received_at",
    ["", "gestern", "2026-13-40T25:00", "2026-03-29T02:30", "2026-10-25T02:30"],
    ids=["empty", "words", "impossible", "skipped-in-spring", "twice-in-autumn"],
)
def test_an_unreadable_time_of_the_call_is_a_form_error(staff_client, staff_event, staff_now, received_at):
    response = staff_client.post(
        reverse("staff:phone", args=[staff_event.slug]), phone_form(staff_now, received_at=received_at)
    )

    assert response.status_code == 422
    assert "received_at" in response.context["form"].errors
    assert not Registration.objects.exists()


def test_a_seat_type_the_event_does_not_offer_is_a_form_error(
    staff_client, staff_organiser, staff_other_event, staff_now
):
    staff_other_event.team.add(staff_organiser)
    response = staff_client.post(
        reverse("staff:phone", args=[staff_other_event.slug]), phone_form(staff_now, seat_type="onsite")
    )

    assert "seat_type" in response.context["form"].errors
    assert not Registration.objects.exists()


def test_a_known_email_address_links_to_the_existing_registration(staff_client, staff_event, staff_now):
    existing = enter(staff_event, "Erika Musterfrau", seat="online", at=staff_now - timedelta(hours=1))
    response = staff_client.post(
        reverse("staff:phone", args=[staff_event.slug]), phone_form(staff_now, email=existing.email)
    )

    assert Registration.objects.count() == 1
    assert response.context["form"].errors["email"][0].startswith("Erika Musterfrau is already registered")
    assert reverse("staff:registration", args=[staff_event.slug, existing.pk]) in response.content.decode()


BUSY = "Too many registrations at this moment. Please try again in a few seconds."


@pytest.fixture
def staff_busy_pool(monkeypatch):
    """Every seat pool stays locked by others for longer than the services wait."""

    def locked(event, seat_types):
        raise Busy("busy", BUSY)

    monkeypatch.setattr(seats, "locked_pools", locked)


@pytest.mark.usefixtures("staff_busy_pool")
def test_a_busy_seat_pool_asks_to_try_again_and_keeps_the_input(staff_client, staff_event, staff_now):
    response = staff_client.post(reverse("staff:phone", args=[staff_event.slug]), phone_form(staff_now))

    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert response.context["form"].non_field_errors() == [BUSY]
    assert 'value="Erika Musterfrau"' in response.content.decode()
    assert not Registration.objects.exists()


def test_a_call_entered_after_the_deadline_is_seated_by_the_time_of_the_call(
    staff_client, staff_deadline_event, staff_now
):
    closes = staff_deadline_event.registration_closes_at
    enter(staff_deadline_event, "Web früh", seat="online", at=closes - timedelta(hours=3))
    enter(staff_deadline_event, "Web spät", seat="online", at=closes - timedelta(minutes=10))
    staff_client.post(
        reverse("staff:phone", args=[staff_deadline_event.slug]),
        phone_form(closes - timedelta(hours=2), name="Anruferin"),
        follow=True,
    )
    assert Registration.objects.get(name="Anruferin").status == "pending"

    response = staff_client.post(reverse("staff:allocate", args=[staff_deadline_event.slug]), follow=True)

    assert statuses(staff_deadline_event) == [
        ("Web früh", "confirmed"),
        ("Web spät", "waitlisted"),
        ("Anruferin", "confirmed"),
    ]
    assert message_texts(response) == [
        "Seats allocated in order of receipt. online seat: 2 confirmed, 1 on the waiting list."
    ]


# Releasing reserved seats


def test_releasing_a_reserved_seat_gives_it_to_the_first_on_the_waiting_list(staff_client, staff_event, staff_now):
    for minutes, name in ((30, "Erste"), (20, "Zweite"), (10, "Dritte")):
        enter(staff_event, name, at=staff_now - timedelta(minutes=minutes))
    assert statuses(staff_event)[-1] == ("Dritte", "waitlisted")

    response = staff_client.post(reverse("staff:release", args=[staff_event.slug, "onsite"]), {"onsite-count": "1"})

    assert response.status_code == 302
    assert response.url == reverse("staff:event", args=[staff_event.slug])
    assert statuses(staff_event)[-1] == ("Dritte", "confirmed")
    pool = SeatPool.objects.get(event=staff_event, seat_type="onsite")
    assert (pool.reserved, pool.confirmed, pool.waitlisted) == (0, 3, 0)
    assert AuditEntry.objects.filter(action="seats.released", actor__username="orga").exists()


def test_releasing_more_seats_than_reserved_is_refused_at_the_field(staff_client, staff_event):
    response = staff_client.post(reverse("staff:release", args=[staff_event.slug, "onsite"]), {"onsite-count": "5"})

    assert response.status_code == 422
    form = next(form for form in response.context["release_forms"] if form.pool.seat_type == "onsite")
    assert form.errors["count"] == ["You can release between 1 and 1 seats."]
    assert 'aria-describedby="id_onsite-count_helptext id_onsite-count_error"' in response.content.decode()
    assert SeatPool.objects.get(event=staff_event, seat_type="onsite").reserved == 1
    assert not AuditEntry.objects.filter(action="seats.released").exists()


@pytest.mark.usefixtures("staff_busy_pool")
def test_releasing_while_the_seat_pool_is_busy_asks_to_try_again(staff_client, staff_event):
    response = staff_client.post(reverse("staff:release", args=[staff_event.slug, "onsite"]), {"onsite-count": "1"})

    assert (response.status_code, response["Retry-After"]) == (503, "2")
    assert BUSY in response.content.decode()
    assert SeatPool.objects.get(event=staff_event, seat_type="onsite").reserved == 1


@pytest.mark.parametrize("count", ["0", "-1", "", "viele"])
def test_releasing_a_count_that_is_no_positive_number_is_refused(staff_client, staff_event, count):
    response = staff_client.post(reverse("staff:release", args=[staff_event.slug, "onsite"]), {"onsite-count": count})

    assert response.status_code == 422
    assert SeatPool.objects.get(event=staff_event, seat_type="onsite").reserved == 1


def test_releasing_seats_of_a_seat_type_the_event_lacks_is_not_found(staff_client, staff_event):
    response = staff_client.post(reverse("staff:release", args=[staff_event.slug, "gallery"]), {"gallery-count": 1})

    assert response.status_code == 404


# Allocating


def test_allocating_before_the_deadline_explains_why_not(staff_client, staff_organiser, staff_now):
    event = scheduled_event(
        staff_organiser,
        slug="vorher",
        opens=staff_now - timedelta(days=1),
        closes=staff_now + timedelta(days=1),
        allocation="at_deadline",
        online=SeatPlan(capacity=2),
    )
    enter(event, "Wartende", seat="online", at=staff_now - timedelta(hours=1))

    response = staff_client.post(reverse("staff:allocate", args=[event.slug]), follow=True)

    assert response.status_code == 200
    assert message_texts(response) == ["Seats are allocated after registration has closed."]
    assert statuses(event) == [("Wartende", "pending")]


def test_allocating_an_event_that_seats_people_as_they_register_is_refused(staff_client, staff_event):
    response = staff_client.post(reverse("staff:allocate", args=[staff_event.slug]), follow=True)

    assert message_texts(response) == ["This event seats people as they register."]


def test_allocating_twice_changes_nothing_the_second_time(staff_client, staff_deadline_event):
    closes = staff_deadline_event.registration_closes_at
    for hours, name in ((5, "A"), (4, "B"), (3, "C")):
        enter(staff_deadline_event, name, seat="online", at=closes - timedelta(hours=hours))

    staff_client.post(reverse("staff:allocate", args=[staff_deadline_event.slug]), follow=True)
    after_first = statuses(staff_deadline_event)
    response = staff_client.post(reverse("staff:allocate", args=[staff_deadline_event.slug]), follow=True)

    assert after_first == [("A", "confirmed"), ("B", "confirmed"), ("C", "waitlisted")]
    assert statuses(staff_deadline_event) == after_first
    assert message_texts(response) == ["Nobody was waiting for allocation; nothing changed."]


# Cancelling


def test_cancelling_a_confirmed_registration_seats_the_first_waiting(staff_client, staff_event, staff_now):
    first = enter(staff_event, "Erste", seat="online", at=staff_now - timedelta(minutes=30))
    enter(staff_event, "Zweite", seat="online", at=staff_now - timedelta(minutes=20))
    enter(staff_event, "Dritte", seat="online", at=staff_now - timedelta(minutes=10))

    response = staff_client.post(
        reverse("staff:cancel", args=[staff_event.slug, first.pk]), {"reason": "Hat angerufen und abgesagt"}
    )

    assert response.status_code == 302
    assert response.url == reverse("staff:registration", args=[staff_event.slug, first.pk])
    assert statuses(staff_event) == [("Erste", "cancelled"), ("Zweite", "confirmed"), ("Dritte", "confirmed")]
    entry = AuditEntry.objects.get(action="registration.cancelled")
    assert (entry.actor.username, entry.data["reason"]) == ("orga", "Hat angerufen und abgesagt")


def test_cancelling_twice_shows_a_message_not_an_error(staff_client, staff_event, staff_now):
    registration = enter(staff_event, "Erste", seat="online", at=staff_now - timedelta(minutes=30))
    url = reverse("staff:cancel", args=[staff_event.slug, registration.pk])
    staff_client.post(url, follow=True)

    response = staff_client.post(url, follow=True)

    assert response.status_code == 200
    assert message_texts(response) == ["This registration is already cancelled."]


def test_cancelling_while_the_seat_pool_is_busy_asks_to_try_again(staff_client, staff_event, staff_now, request):
    registration = enter(staff_event, "Erste", seat="online", at=staff_now - timedelta(minutes=30))
    request.getfixturevalue("staff_busy_pool")

    response = staff_client.post(reverse("staff:cancel", args=[staff_event.slug, registration.pk]), follow=True)

    assert message_texts(response) == [BUSY]
    assert statuses(staff_event) == [("Erste", "confirmed")]


def test_a_too_long_reason_is_a_form_error_and_cancels_nothing(staff_client, staff_event, staff_now):
    registration = enter(staff_event, "Erste", seat="online", at=staff_now - timedelta(minutes=30))

    response = staff_client.post(
        reverse("staff:cancel", args=[staff_event.slug, registration.pk]), {"reason": "x" * 501}
    )

    assert response.status_code == 200
    assert "reason" in response.context["cancel_form"].errors
    assert statuses(staff_event) == [("Erste", "confirmed")]


# Forms are protected


@pytest.mark.parametrize("name", ["phone", "allocate"])
def test_changes_without_a_csrf_token_are_refused(staff_organiser, staff_event, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_organiser)

    response = client.post(reverse(f"staff:{name}", args=[staff_event.slug]), {})

    assert response.status_code == 403


@pytest.mark.parametrize("name", ["allocate"])
def test_changes_are_never_made_by_a_get(staff_client, staff_event, name):
    assert staff_client.get(reverse(f"staff:{name}", args=[staff_event.slug])).status_code == 405


def test_every_form_on_the_staff_pages_carries_a_csrf_token(staff_client, staff_event, staff_now):
    registration = enter(staff_event, "Erste", seat="online", at=staff_now - timedelta(minutes=30))
    for url in (
        reverse("staff:event", args=[staff_event.slug]),
        reverse("staff:phone", args=[staff_event.slug]),
        reverse("staff:registration", args=[staff_event.slug, registration.pk]),
    ):
        html = staff_client.get(url).content.decode()
        assert html.count('method="post"') == html.count('name="csrfmiddlewaretoken"')
