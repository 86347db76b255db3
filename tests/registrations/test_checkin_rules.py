"""What the door says for each ticket, and that a ticket checks in exactly once."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import time_machine
from django.db import connections
from django.urls import reverse

from events import services as event_services
from registrations import services
from registrations.checkin import services as checkin
from registrations.checkin.services import Outcome
from registrations.tickets import CODE_ALPHABET, display_code, new_ticket_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def door(make_event, person, organiser, now):
    event = make_event(format="hybrid", onsite=1, broadcast=True, organiser=organiser)

    def register(**overrides):
        return services.register(event, person(**overrides), channel="web", received_at=now, now=now)

    return event, register


def test_a_ticket_is_welcome_once_then_already_checked_in_with_the_time(door, organiser, now):
    event, register = door
    guest = register()
    first = checkin.check_in(event, guest.ticket_secret, actor=organiser, now=event.starts_at)
    assert first.outcome == Outcome.WELCOME and first.registration.checked_in_by == organiser
    again = checkin.check_in(event, guest.ticket_secret, actor=organiser, now=event.starts_at)
    assert again.outcome == Outcome.ALREADY_CHECKED_IN and again.registration.checked_in_at == event.starts_at


@pytest.mark.parametrize("typed", ["{code}", "{code_lower}", "{code_dashed}", " {code_spaced} "])
def test_the_short_code_can_be_typed_in_any_case_with_or_without_the_dash(door, organiser, now, typed):
    event, register = door
    code = register().ticket_code
    text = typed.format(code=code, code_lower=code.lower(), code_dashed=display_code(code), code_spaced=" ".join(code))
    assert checkin.check_in(event, text, actor=organiser, now=event.starts_at).outcome == Outcome.WELCOME


def test_each_refusal_has_its_own_clear_answer(door, make_event, person, organiser, now):
    event, register = door
    register()  # takes the only on-site seat
    waiting = register()
    online = register(seat="online")
    cancelled = register(seat="online")
    services.cancel(cancelled, actor=None, now=now)
    other_event = make_event(format="onsite", organiser=organiser)
    elsewhere = services.register(other_event, person(), channel="web", received_at=now, now=now)

    def outcome(ticket):
        return checkin.check_in(event, ticket, actor=organiser, now=event.starts_at).outcome

    assert outcome(waiting.ticket_secret) == Outcome.NOT_CONFIRMED
    assert outcome(online.ticket_code) == Outcome.ONLINE_SEAT
    assert outcome(cancelled.ticket_secret) == Outcome.CANCELLED
    assert outcome(elsewhere.ticket_secret) == Outcome.WRONG_EVENT
    assert outcome("ZZZZ-ZZZZ") == Outcome.UNKNOWN
    assert outcome("") == Outcome.UNKNOWN


def test_a_cancelled_event_admits_nobody(door, organiser, now):
    event, register = door
    guest = register()
    event_services.cancel_event(event, actor=organiser, now=now)
    event.refresh_from_db()
    assert (
        checkin.check_in(event, guest.ticket_secret, actor=organiser, now=event.starts_at).outcome
        == Outcome.EVENT_CANCELLED
    )


def test_name_list_check_in_follows_the_same_rules(door, organiser, now):
    event, register = door
    guest = register()
    assert (
        checkin.check_in_registration(event, guest.pk, actor=organiser, now=event.starts_at).outcome == Outcome.WELCOME
    )
    assert checkin.check_in_registration(event, guest.pk, actor=organiser, now=event.starts_at).outcome == (
        Outcome.ALREADY_CHECKED_IN
    )
    assert (
        checkin.check_in_registration(event, 999_999, actor=organiser, now=event.starts_at).outcome == Outcome.UNKNOWN
    )


def test_tickets_carry_no_personal_data_and_codes_are_typable(door):
    _event, register = door
    guest = register(name="Erika Mustermann", email="erika@example.org")
    assert "erika" not in guest.ticket_secret.lower() and len(guest.ticket_secret) >= 32
    assert all(char in CODE_ALPHABET for char in new_ticket_code())
    assert not set("01ILO") & set(CODE_ALPHABET)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_scanners_reading_one_code_at_the_same_moment_let_in_exactly_one(door, organiser, now):
    event, register = door
    guest = register()
    start = threading.Barrier(2)

    def scanner():
        start.wait()
        try:
            return checkin.check_in(event, guest.ticket_secret, actor=organiser, now=event.starts_at).outcome
        finally:
            connections.close_all()

    for _ in range(5):
        type(guest).objects.filter(pk=guest.pk).update(checked_in_at=None)
        with ThreadPoolExecutor(2) as pool:
            outcomes = sorted(future.result() for future in [pool.submit(scanner) for _ in range(2)])
        assert outcomes == [Outcome.ALREADY_CHECKED_IN, Outcome.WELCOME]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_reading_then_writing_lets_both_scanners_say_welcome(door, organiser, now):
    """Without the conditional UPDATE (read, then write) both scanners see "not yet checked in"."""
    _event, register = door
    guest = register()
    start = threading.Barrier(2)
    model = type(guest)

    def naive_scanner():
        start.wait()
        try:
            registration = model.objects.get(pk=guest.pk)
            time.sleep(0.05)
            if registration.checked_in_at is None:
                model.objects.filter(pk=guest.pk).update(checked_in_at=now)
                return Outcome.WELCOME
            return Outcome.ALREADY_CHECKED_IN
        finally:
            connections.close_all()

    with ThreadPoolExecutor(2) as pool:
        outcomes = [future.result() for future in [pool.submit(naive_scanner) for _ in range(2)]]
    assert outcomes == [Outcome.WELCOME, Outcome.WELCOME]


def test_scanner_apps_check_in_through_the_api_with_codes_for_each_refusal(
    client, bearer, door, organiser, other_organiser
):
    event, register = door
    guest = register(name="Ada Scan")
    url = f"/api/events/{event.slug}/check-in"

    def post(ticket, user=organiser):
        headers = {"Accept-Language": "en", **(bearer(user) if user else {})}
        return client.post(url, {"ticket": ticket}, content_type="application/json", headers=headers)

    with time_machine.travel(event.starts_at, tick=False):
        assert post(guest.ticket_code, user=None).status_code == 401
        assert post(guest.ticket_code, user=other_organiser).status_code == 404
        welcome = post(guest.ticket_code)
        assert welcome.status_code == 200
        assert welcome.json()["name"] == "Ada Scan" and welcome.json()["broadcast_consent"] == "given"
        again = post(guest.ticket_secret)
        assert again.status_code == 409 and again.json()["code"] == "already_checked_in"
        assert "Already checked in at" in again.json()["detail"]
        assert post("ZZZZ-ZZZZ").json()["code"] == "unknown_ticket"
        assert post("").status_code == 422


@pytest.mark.parametrize(
    ("moment", "outcome"),
    [
        (lambda event: event.starts_at - timedelta(days=3), Outcome.DOOR_CLOSED),
        (lambda event: event.starts_at - timedelta(hours=1, minutes=1), Outcome.DOOR_CLOSED),
        (lambda event: event.starts_at - timedelta(hours=1), Outcome.WELCOME),
        (lambda event: event.ends_at - timedelta(minutes=1), Outcome.WELCOME),
        (lambda event: event.ends_at, Outcome.DOOR_CLOSED),
    ],
)
def test_tickets_check_in_only_from_an_hour_before_the_start_until_the_end(door, organiser, moment, outcome):
    event, register = door
    guest = register()
    result = checkin.check_in(event, guest.ticket_code, actor=organiser, now=moment(event))
    assert result.outcome == outcome
    guest.refresh_from_db()
    assert (guest.checked_in_at is not None) == (outcome == Outcome.WELCOME)


def test_a_ticket_scanned_days_ahead_gets_a_clear_answer_with_the_window(client, door, organiser):
    event, register = door
    guest = register()
    client.force_login(organiser)
    answer = client.post(
        reverse("checkin:page", args=[event.slug]), {"ticket": guest.ticket_code}, headers={"HX-Request": "true"}
    )
    assert 'data-outcome="door_closed"' in answer.text
    assert "Der Check-in ist ab einer Stunde vor Beginn bis zum Ende geöffnet" in answer.text
    guest.refresh_from_db()
    assert guest.checked_in_at is None
