"""Checking out at the door: a person (or a whole party) leaves during the event, their seat
goes back by the seat rule, to the door queue first; the counts on the page stay people."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from core.errors import DomainError
from events.models import AuditEntry, EventMember, Role, SeatPool
from registrations.checkin.checkout import check_out
from registrations.checkin.services import check_in, check_in_registration
from registrations.checkin.views import counts
from registrations.checkin.walk_ins import register_walk_in
from registrations.models import OutboxMail, Registration
from registrations.submissions import RegistrationData
from tests.factories import bearer, register
from tests.registrations.reconfirm_helpers import counters_match_rows, waiting
from tests.registrations.staff_helpers import client_of

pytestmark = pytest.mark.django_db


def walk_in(name):
    return RegistrationData(seat_type="onsite", name=name, accept_terms=True)


@pytest.fixture
def full_room(make_event, person, now, organiser):
    """Two seats on site, taken by Ada and her companion, who are in the room; Ben, registered
    online, waits; two walk-ins wait at the door."""
    event = make_event(format="onsite", onsite=2, organiser=organiser, max_companions=2)
    during = event.starts_at + timedelta(minutes=20)
    ada = register(event, person(name="Ada", companions=1), now)
    register(event, person(name="Ben"), now)
    check_in_registration(event, ada.pk, actor=organiser, now=event.starts_at)
    first = register_walk_in(event, walk_in("Door 1"), actor=organiser, now=event.starts_at)
    register_walk_in(event, walk_in("Door 2"), actor=organiser, now=event.starts_at + timedelta(minutes=1))
    return event, during, Registration.objects.get(pk=ada.pk), first


def test_a_party_checked_out_gives_its_seats_to_the_door_queue_in_order(full_room, organiser):
    event, during, ada, first = full_room
    assert counts(event) == {"expected": 2, "arrived": 2, "left": 0, "walk_ins": 0, "door_queue": 2}

    left = check_out(event, ada.pk, actor=organiser, now=during)

    assert (left.status, left.checked_out_at, left.checked_in_at) == ("cancelled", during, event.starts_at)
    assert set(Registration.objects.filter(status="confirmed").values_list("name", flat=True)) == {"Door 1", "Door 2"}
    assert waiting(event) == [("Ben", 1)]
    assert counters_match_rows(event)
    assert counts(event) == {"expected": 2, "arrived": 0, "left": 2, "walk_ins": 2, "door_queue": 0}
    audit = AuditEntry.objects.get(action="registration.checked_out", target_id=ada.pk)
    assert (audit.actor, audit.data) == (organiser, {"people": 2})
    assert not OutboxMail.objects.filter(registration=ada, kind="cancelled").exists()
    assert check_in(event, first.ticket_code, actor=organiser, now=during).outcome == "welcome"


def test_after_the_event_a_freed_seat_goes_to_the_head_of_the_waiting_list(full_room, organiser):
    event, _during, ada, _first = full_room
    Registration.objects.filter(channel="door").update(status="cancelled", waitlist_position=None)
    SeatPool.objects.filter(event=event).update(waitlisted=1)
    check_out(event, ada.pk, actor=organiser, now=event.ends_at + timedelta(minutes=1))
    assert Registration.objects.get(name="Ben").status == "confirmed"
    assert counters_match_rows(event)


@pytest.mark.parametrize("case", ["not_checked_in", "already_checked_out", "other_event", "waiting"])
def test_refusals_change_nothing(full_room, make_event, person, now, organiser, case):
    event, during, ada, first = full_room
    expected_code = case
    target = ada.pk
    if case == "already_checked_out":
        check_out(event, ada.pk, actor=organiser, now=during)
    elif case == "not_checked_in":
        Registration.objects.filter(pk=ada.pk).update(checked_in_at=None)
    elif case == "other_event":
        other = make_event(format="onsite", onsite=5)
        stranger = register(other, person(name="Elsewhere"), now)
        check_in_registration(other, stranger.pk, actor=None, now=other.starts_at)
        target, expected_code = stranger.pk, "unknown_registration"
    elif case == "waiting":
        target, expected_code = first.pk, "not_checked_in"
    pools_before = list(SeatPool.objects.values_list("confirmed", "waitlisted"))
    statuses_before = list(Registration.objects.order_by("pk").values_list("status", flat=True))

    with pytest.raises(DomainError) as refused:
        check_out(event, target, actor=organiser, now=during)

    assert refused.value.code == expected_code
    assert list(SeatPool.objects.values_list("confirmed", "waitlisted")) == pools_before
    assert list(Registration.objects.order_by("pk").values_list("status", flat=True)) == statuses_before


def test_a_checked_out_ticket_is_not_let_in_again(full_room, organiser):
    event, during, ada, _first = full_room
    check_out(event, ada.pk, actor=organiser, now=during)
    assert check_in(event, ada.ticket_code, actor=organiser, now=during).outcome == "cancelled"


def test_door_staff_check_out_from_the_guest_list(full_room, make_organiser):
    event, during, ada, _first = full_room
    door = make_organiser("door")
    EventMember.objects.create(event=event, user=door, role=Role.CHECK_IN)
    client = client_of(door)
    with time_machine.travel(during, tick=False):
        response = client.post(reverse("checkin:check_out", args=[event.slug, ada.pk]), {"q": "Ad"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("checkin:guests", args=[event.slug]) + "?q=Ad"
    assert "Ada und Begleitung sind ausgecheckt" in response.text
    assert Registration.objects.get(pk=ada.pk).checked_out_at == during


def test_checking_out_twice_on_the_page_says_so_and_changes_nothing(full_room, organiser):
    event, during, ada, _first = full_room
    check_out(event, ada.pk, actor=organiser, now=during)
    response = client_of(organiser).post(reverse("checkin:check_out", args=[event.slug, ada.pk]), follow=True)
    assert response.status_code == 200
    assert "bereits ausgecheckt" in response.text
    assert AuditEntry.objects.filter(action="registration.checked_out").count() == 1


def test_the_api_checks_out_by_ticket(full_room, organiser):
    event, _during, ada, _first = full_room
    url = f"/api/events/{event.slug}/check-out"
    response = client_of(None).post(
        url, {"ticket": ada.ticket_code}, content_type="application/json", headers=bearer(organiser)
    )
    assert response.status_code == 200, response.content
    assert response.json()["people"] == 2
    again = client_of(None).post(
        url, {"ticket": ada.ticket_code}, content_type="application/json", headers=bearer(organiser)
    )
    assert (again.status_code, again.json()["code"]) == (409, "already_checked_out")
    unknown = client_of(None).post(
        url, {"ticket": "ZZZZ-ZZZZ"}, content_type="application/json", headers=bearer(organiser)
    )
    assert (unknown.status_code, unknown.json()["code"]) == (404, "unknown_registration")
