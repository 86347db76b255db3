"""Answers to an event's questions and structured needs come in with a registration, are checked
with the other refusals, and are written in its transaction, all or nothing."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.errors import DomainError
from events.models import Event
from events.questions import QuestionData, add_question
from registrations import services
from registrations.answers import NeedsData, details_of
from registrations.models import AccessibilityNeeds, Answer, Registration
from registrations.submissions import Submission
from tests.factories import register
from tests.registrations.question_helpers import ask_meal_and_parking

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(make_event, now):
    """A hybrid event with a required choice, an optional yes/no and an optional text question."""
    event = make_event()
    meal, parking = ask_meal_and_parking(event, now=now)
    topic = add_question(event, QuestionData("text", "Ihr Thema?"), actor=None, now=now)
    event.refresh_from_db()
    return event, meal, parking, topic


def test_answers_and_needs_are_stored_with_the_registration(asked, person, now):
    event, meal, parking, topic = asked
    needs = NeedsData(wheelchair=True, sign_language=True, children=2, children_ages="3, 7", dietary="glutenfrei")
    registration = register(
        event,
        person(answers={str(meal.pk): "vegetarian", parking.pk: True, topic.pk: "  Radwege  "}, accessibility=needs),
        now,
    )
    stored = dict(Answer.objects.filter(registration=registration).values_list("question_id", "value"))
    # An English choice is stored by its German text; yes/no as yes/no; texts without spaces around.
    assert stored == {meal.pk: "Vegetarisch", parking.pk: "yes", topic.pk: "Radwege"}
    row = AccessibilityNeeds.objects.get(registration=registration)
    assert (row.wheelchair, row.sign_language, row.hearing_loop, row.children, row.children_ages, row.dietary) == (
        True,
        True,
        False,
        2,
        "3, 7",
        "glutenfrei",
    )
    registration.__dict__.pop("_details")
    assert details_of(registration).needs == needs


@pytest.mark.parametrize(
    ("answers", "code", "question"),
    [
        ({}, "answer_required", "meal"),
        ({"meal": "Fisch"}, "invalid_answer", "meal"),
        ({"meal": True}, "invalid_answer", "meal"),
        ({"meal": "Vegan", "parking": "vielleicht"}, "invalid_answer", "parking"),
        ({"meal": "Vegan", "topic": 42}, "invalid_answer", "topic"),
        ({"meal": "Vegan", "topic": "x" * 1001}, "invalid_answer", "topic"),
        ({"meal": "Vegan", 999999: "?"}, "invalid_answer", None),
    ],
)
def test_bad_answers_are_refused_with_their_field_and_nothing_is_saved(asked, person, now, answers, code, question):
    event, meal, parking, topic = asked
    ids = {"meal": meal.pk, "parking": parking.pk, "topic": topic.pk}
    given = {ids.get(key, key): value for key, value in answers.items()}
    with pytest.raises(DomainError) as refused:
        register(event, person(answers=given), now)
    assert refused.value.code == code
    assert refused.value.field == f"answers.{ids[question] if question else 999999}"
    assert not Registration.objects.filter(event=event).exists()
    assert not Answer.objects.exists()
    assert event.seat_pools.get(seat_type="onsite").confirmed == 0


@pytest.mark.parametrize(
    ("needs", "field"),
    [
        (NeedsData(children=-1), "accessibility.children"),
        (NeedsData(children=21), "accessibility.children"),
        (NeedsData(children_ages="4"), "accessibility.children"),
        (NeedsData(dietary="x" * 301), "accessibility.dietary"),
    ],
)
def test_bad_needs_are_refused_and_nothing_is_saved(make_event, person, now, needs, field):
    event = make_event()
    with pytest.raises(DomainError) as refused:
        register(event, person(accessibility=needs), now)
    assert (refused.value.code, refused.value.field) == ("invalid_need", field)
    assert not Registration.objects.filter(event=event).exists()


def test_answers_for_an_event_without_questions_are_refused(make_event, person, now):
    event = make_event()
    with pytest.raises(DomainError) as refused:
        register(event, person(answers={"1": "ja"}), now)
    assert refused.value.code == "invalid_answer"


def test_an_email_registration_may_leave_required_questions_open(asked, person, now):
    event, *_questions = asked
    registration = register(event, person(), now, channel="email")
    assert registration.status == "confirmed"
    assert not Answer.objects.filter(registration=registration).exists()


def test_a_batch_with_one_bad_answer_refuses_only_that_one(asked, person, now):
    event, meal, *_rest = asked
    outcomes = services.register_many(
        event,
        [
            Submission(person(answers={meal.pk: "Vegan"}), "web", now - timedelta(minutes=2)),
            Submission(person(answers={meal.pk: "Fisch"}), "web", now - timedelta(minutes=1)),
        ],
        now=now,
    )
    assert isinstance(outcomes[0], Registration)
    assert isinstance(outcomes[1], DomainError)
    assert list(Answer.objects.values_list("registration_id", "value")) == [(outcomes[0].pk, "Vegan")]


def test_empty_needs_write_no_row(make_event, person, now):
    event = make_event()
    register(event, person(accessibility=NeedsData(children_ages="  ")), now)
    assert not AccessibilityNeeds.objects.exists()


def batch_queries(event, person, now, size, **data) -> list[str]:
    submissions = [Submission(person(**data), "web", now - timedelta(seconds=i)) for i in range(size)]
    with CaptureQueriesContext(connection) as captured:
        services.register_many(event, submissions, now=now)
    return [query["sql"] for query in captured]


def batch_statements(event, person, now, size, **data) -> int:
    return len(batch_queries(event, person, now, size, **data))


def test_the_rush_path_touches_no_question_answer_or_needs_table_for_events_without_questions(make_event, person, now):
    event = make_event(onsite=500)
    queries = batch_queries(Event.objects.get(pk=event.pk), person, now, 50)
    new_tables = ("events_question", "registrations_answer", "registrations_accessibilityneeds")
    assert not [sql for sql in queries if any(table in sql for table in new_tables)]
    assert batch_statements(Event.objects.get(pk=event.pk), person, now, 50) == len(queries)


def test_answers_and_needs_cost_one_statement_each_per_batch(asked, make_event, person, now):
    """Read per batch: the questions, once. Written: the answers, and the needs, one statement each."""
    event, meal, parking, _topic = asked
    plain = batch_statements(Event.objects.get(pk=event.pk), person, now, 40, answers={meal.pk: "Vegan"})
    full = batch_statements(
        Event.objects.get(pk=event.pk),
        person,
        now,
        40,
        answers={meal.pk: "Vegan", parking.pk: False},
        accessibility=NeedsData(wheelchair=True),
    )
    assert full == plain + 1  # the needs; questions and answers in both
    without = batch_statements(make_event(), person, now, 40)
    assert plain == without + 2
