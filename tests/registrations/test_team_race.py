"""Two organisers step down at the same moment, with real concurrent threads on PostgreSQL:
the event keeps one organiser. The team's rows are locked while the rule is checked; the control
test reads them without the lock and shows the race leaving the event with no organiser.

A short pause after the team is read (between checking and writing) widens the window alike in
both tests."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from core.errors import DomainError
from events.models import EventMember, Role
from events.services import SeatPlan
from registrations.team import services as team
from tests.factories import make_user, scheduled_event

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_organisers():
    first, second = make_user("erste", email="erste@stadt.example"), make_user("zweite", email="zweite@stadt.example")
    now = timezone.now()
    event = scheduled_event(first, slug="wechsel", opens=now, closes=now + timedelta(days=3), online=SeatPlan(10))
    EventMember.objects.create(event=event, user=second, role=Role.ORGANISER)
    return event, first, second


def widen(monkeypatch, read_team):
    def slow_read(event):
        members = read_team(event)
        time.sleep(0.3)
        return members

    monkeypatch.setattr(team, "locked_members", slow_read)


def step_down_at_once(event, first, second) -> list[str]:
    start, outcomes, guard = threading.Barrier(2), [], threading.Lock()

    def step_down(user):
        start.wait()
        try:
            team.change_role(event, user.pk, "viewer", actor=user, now=timezone.now())
            outcome = "stepped down"
        except DomainError as refusal:
            outcome = refusal.code
        finally:
            connections.close_all()
        with guard:
            outcomes.append(outcome)

    threads = [threading.Thread(target=step_down, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def organisers_left(event) -> int:
    return EventMember.objects.filter(event=event, role=Role.ORGANISER).count()


def test_two_organisers_stepping_down_at_once_leave_one_organiser(monkeypatch, two_organisers):
    assert connection.vendor == "postgresql"
    event, first, second = two_organisers
    widen(monkeypatch, team.locked_members)

    assert step_down_at_once(event, first, second) == ["last_organiser", "stepped down"]
    assert organisers_left(event) == 1


def test_control_without_the_lock_the_race_leaves_no_organiser(monkeypatch, two_organisers):
    event, first, second = two_organisers

    def unlocked(event):
        return {member.user_id: member for member in EventMember.objects.filter(event=event)}

    widen(monkeypatch, unlocked)

    assert step_down_at_once(event, first, second) == ["stepped down", "stepped down"]
    assert organisers_left(event) == 0
