"""The seat release job (`manage.py release_seats`, the `release_due_seats` task) releases the seats
that are due, and only those; the mail worker (`send_outbox`) asks people to reconfirm and sends
mail, but releases no seat. The event starts 10 days after the fixture's `now`, asks on day 7
and gives 24 hours to answer; offers are held for 24 hours."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command

from registrations import reconfirmation
from registrations.models import OutboxMail
from registrations.tasks import release_due_seats
from tests.factories import register
from tests.registrations.reconfirm_helpers import counters_match_rows, reconfirming, statuses

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_room(make_event, person, now):
    """Two seats (A, B confirmed) and two people waiting (C, D); reconfirmation on; everyone
    due was asked, and A reconfirmed."""
    event = reconfirming(make_event(format="onsite", onsite=2), now=now, answer_hours=24)
    people = {name: register(event, person(name=name), now) for name in "ABCD"}
    reconfirmation.ask_due(now=event.reconfirm_asked_at())
    reconfirmation.reconfirm(people["A"], now=event.reconfirm_asked_at())
    return event, people


def at(moment, command: str) -> str:
    output = io.StringIO()
    with time_machine.travel(moment, tick=False):
        call_command(command, stdout=output)
    return output.getvalue()


def test_the_release_job_releases_the_unanswered_seat_at_the_deadline_and_leaves_the_rest(full_room):
    event, _people = full_room
    deadline = event.reconfirm_deadline()
    assert at(deadline - timedelta(minutes=1), "release_seats") == ""
    assert statuses(event) == {"A": "confirmed", "B": "confirmed", "C": "waitlisted", "D": "waitlisted"}

    output = at(deadline, "release_seats")

    assert "released 1 seats not reconfirmed and 0 expired offers" in output
    assert statuses(event) == {"A": "confirmed", "B": "cancelled", "C": "offered", "D": "waitlisted"}
    assert counters_match_rows(event)
    assert at(deadline + timedelta(minutes=1), "release_seats") == ""  # nothing is released twice


def test_the_release_job_releases_an_offer_when_it_expires_not_before(full_room):
    event, _people = full_room
    deadline = event.reconfirm_deadline()
    at(deadline, "release_seats")
    expiry = deadline + timedelta(hours=24)
    assert at(expiry - timedelta(minutes=1), "release_seats") == ""
    assert statuses(event)["C"] == "offered"

    output = at(expiry, "release_seats")

    assert "released 0 seats not reconfirmed and 1 expired offers" in output
    assert statuses(event) == {"A": "confirmed", "B": "cancelled", "C": "cancelled", "D": "offered"}
    assert OutboxMail.objects.filter(event=event, kind="cancelled", facts__reason="offer_expired").count() == 1
    assert counters_match_rows(event)


def test_the_release_job_leaves_an_event_whose_deadline_has_not_come(full_room, make_event, person, now):
    event, _people = full_room
    later = reconfirming(make_event(format="onsite", onsite=1, starts_in=timedelta(days=12)), now=now)
    for name in ("E", "F"):
        register(later, person(name=name), now)
    reconfirmation.ask_due(now=later.reconfirm_asked_at())
    assert event.reconfirm_deadline() < later.reconfirm_deadline()

    at(event.reconfirm_deadline(), "release_seats")

    assert statuses(later) == {"E": "confirmed", "F": "waitlisted"}
    assert statuses(event)["B"] == "cancelled"


def test_the_task_releases_what_is_due_as_the_command_does(full_room):
    event, _people = full_room
    with time_machine.travel(event.reconfirm_deadline(), tick=False):
        result = release_due_seats.call()
    assert result == {"seats_released": 1, "offers_expired": 0}
    assert statuses(event)["C"] == "offered"


def test_the_mail_worker_asks_to_reconfirm_but_releases_no_seat(make_event, person, now):
    event = reconfirming(make_event(format="onsite", onsite=2), now=now, answer_hours=24)
    for name in "ABC":
        register(event, person(name=name), now)

    asked = at(event.reconfirm_asked_at() + timedelta(minutes=1), "send_outbox")
    assert "2 requests to reconfirm" in asked
    assert OutboxMail.objects.filter(event=event, kind="reconfirm", state="sent").count() == 2

    for moment in (event.reconfirm_deadline(), event.reconfirm_deadline() + timedelta(days=1)):
        at(moment, "send_outbox")
    assert statuses(event) == {"A": "confirmed", "B": "confirmed", "C": "waitlisted"}

    at(event.reconfirm_deadline() + timedelta(hours=1), "release_seats")
    assert statuses(event) == {"A": "cancelled", "B": "cancelled", "C": "offered"}
