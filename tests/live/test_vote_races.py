"""Votes under a crowd, with real threads on PostgreSQL, each with its own connection: one person
racing themselves gets one vote, and many people voting at the same moment are all counted.

Every test widens the window between the vote's insert and the counter's update alike, so that
the control test (read the count, then write it back plus one) reliably loses votes, which the
database's own `votes = votes + 1` never does."""

import time

import pytest
from django.utils import timezone

from core.errors import DomainError
from live import services
from live.models import PollBallot, Question, QuestionVote
from tests.events import concurrency
from tests.live.live_factories import approved_question, device, open_poll

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

VOTERS = 8


@pytest.fixture
def widened_race_window(monkeypatch):
    original = services.count_question_vote

    def slow(question_id):
        time.sleep(0.2)
        original(question_id)

    monkeypatch.setattr(services, "count_question_vote", slow)


def upvote_at_once(question, participants) -> list[str]:
    def attempt(participant):
        def vote():
            try:
                services.upvote(
                    Question.objects.select_related("event").get(pk=question.pk),
                    participant=participant,
                    now=timezone.now(),
                )
            except DomainError as refusal:
                return refusal.code
            return "done"

        return vote

    return concurrency.at_once([attempt(participant) for participant in participants], lambda outcome: outcome)


def test_one_person_racing_themselves_gets_one_vote(event, organiser, widened_race_window):
    question = approved_question(event, actor=organiser)
    voter = device(event, "schnell")

    outcomes = upvote_at_once(question, [voter] * VOTERS)

    assert outcomes.count("done") == 1
    assert outcomes.count("already_voted") == VOTERS - 1
    assert Question.objects.get(pk=question.pk).votes == 1 == QuestionVote.objects.count()


def test_many_people_voting_at_once_are_all_counted(event, organiser, widened_race_window):
    question = approved_question(event, actor=organiser)
    voters = [device(event, f"person-{number}") for number in range(VOTERS)]

    outcomes = upvote_at_once(question, voters)

    assert outcomes == ["done"] * VOTERS
    assert Question.objects.get(pk=question.pk).votes == VOTERS == QuestionVote.objects.count()


def test_control_reading_the_count_then_writing_it_loses_votes(event, organiser, monkeypatch):
    question = approved_question(event, actor=organiser)
    voters = [device(event, f"person-{number}") for number in range(VOTERS)]

    def read_then_write(question_id):
        seen = Question.objects.get(pk=question_id).votes
        time.sleep(0.2)
        Question.objects.filter(pk=question_id).update(votes=seen + 1)

    monkeypatch.setattr(services, "count_question_vote", read_then_write)

    upvote_at_once(question, voters)

    assert QuestionVote.objects.count() == VOTERS
    assert Question.objects.get(pk=question.pk).votes < VOTERS


def test_poll_answers_at_once_are_one_per_person_and_all_counted(event, organiser):
    poll = open_poll(event, actor=organiser)
    yes = str(poll.options.get(label="Ja").pk)
    voters = [device(event, f"person-{number}") for number in range(VOTERS)]
    same_person = [voters[0]] * 3

    def answer(participant):
        def attempt():
            try:
                services.answer_poll(poll, [yes], participant=participant, now=timezone.now())
            except DomainError as refusal:
                return refusal.code
            return "done"

        return attempt

    outcomes = concurrency.at_once([answer(p) for p in voters + same_person], lambda outcome: outcome)

    assert outcomes.count("done") == VOTERS
    assert outcomes.count("already_answered") == 3
    poll.refresh_from_db()
    assert poll.ballots == VOTERS == PollBallot.objects.count()
    assert poll.options.get(label="Ja").count == VOTERS
