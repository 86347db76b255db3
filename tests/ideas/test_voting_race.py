"""The dot budget under a crowd: many requests of one voter at the same moment, with real threads
on PostgreSQL, each with its own connection, never spend more than the budget.

Every test widens the window between reading the voting and spending the dot alike, so that the
control test (check the count, then write) reliably shows the overspending the conditional
update prevents."""

import time

import pytest
from django.db.models import F
from django.utils import timezone

from core.errors import DomainError
from ideas import services
from ideas.models import Dot, Voter
from ideas.services import voting
from tests.events import concurrency
from tests.factories import make_user, running_event
from tests.ideas.ideas_factories import add_idea

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BUDGET = 3
REQUESTS = 8


@pytest.fixture
def setup():
    organiser = make_user("orga-race")
    event = running_event(team=[organiser])
    now = timezone.now()
    group, _access = services.create_group(event, services.GroupData("Tisch"), actor=organiser, now=now)
    idea = add_idea(group, "Mehr Grün", actor=organiser, for_plenum=True)
    services.configure_voting(event, BUDGET, actor=organiser, now=now)
    services.set_voting_open(event, True, actor=organiser, now=now)
    voter = services.voter_for_device(event, "ein-geraet", now=now)
    return voter, idea


@pytest.fixture
def widened_race_window(monkeypatch):
    original = voting._votable_idea

    def slow(event_id, idea_id):
        idea = original(event_id, idea_id)
        time.sleep(0.2)
        return idea

    monkeypatch.setattr(voting, "_votable_idea", slow)


def at_once(change, voter, idea, *, times: int) -> list[str]:
    """`change` (give or take back a dot) run `times` times at once; "done" or the refusal's code."""

    def attempt():
        try:
            change(Voter.objects.select_related("event").get(pk=voter.pk), idea.pk, now=timezone.now())
        except DomainError as refusal:
            return refusal.code
        return "done"

    return concurrency.at_once([attempt] * times, lambda outcome: outcome)


def give_at_once(voter, idea) -> list[str]:
    return at_once(services.give_dot, voter, idea, times=REQUESTS)


def test_racing_requests_of_one_voter_never_spend_more_than_the_budget(setup, widened_race_window):
    voter, idea = setup

    outcomes = give_at_once(voter, idea)

    assert outcomes.count("done") == BUDGET
    assert outcomes.count("no_dots_left") == REQUESTS - BUDGET
    assert Dot.objects.filter(voter=voter).count() == BUDGET
    assert Voter.objects.get(pk=voter.pk).dots_used == BUDGET


def test_racing_take_backs_of_the_last_dot_take_it_back_once(setup):
    voter, idea = setup
    services.give_dot(voter, idea.pk, now=timezone.now())

    outcomes = at_once(services.take_back_dot, voter, idea, times=4)

    assert outcomes == ["done"] + ["no_dot_to_take_back"] * 3
    assert Voter.objects.get(pk=voter.pk).dots_used == 0


def test_control_checking_the_count_then_writing_spends_more_than_the_budget(setup, widened_race_window, monkeypatch):
    voter, idea = setup

    def check_then_write(voter_id, budget):
        if Voter.objects.get(pk=voter_id).dots_used >= budget:
            return False
        time.sleep(0.2)
        Voter.objects.filter(pk=voter_id).update(dots_used=F("dots_used") + 1)
        return True

    monkeypatch.setattr(voting, "spend_dot", check_then_write)

    outcomes = give_at_once(voter, idea)

    assert outcomes.count("done") > BUDGET
    assert Dot.objects.filter(voter=voter).count() > BUDGET
