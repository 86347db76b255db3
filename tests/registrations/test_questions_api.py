"""The API: organisers manage an event's questions; citizens answer them (and state needs) when
they register; refusals name the answer they are about."""

import pytest

from events.models import AuditEntry, Question
from events.questions import QuestionData, add_question
from registrations.api import registration_out
from registrations.models import AccessibilityNeeds, Answer, Registration
from tests.registrations.question_helpers import ask_meal_and_parking

pytestmark = pytest.mark.django_db


def body(**overrides):
    values = {"name": "Maria Muster", "email": "maria@example.org", "seat": "onsite", "accept_terms": True}
    values.update(overrides)
    return values


def register(client, event, **overrides):
    return client.post(f"/api/events/{event.slug}/registrations", body(**overrides), content_type="application/json")


@pytest.fixture
def asked(make_event, now):
    event = make_event(format="onsite")
    return event, *ask_meal_and_parking(event, now=now)


def test_a_citizen_answers_and_states_needs_and_gets_them_back(client, asked):
    event, meal, parking = asked
    response = register(
        client,
        event,
        answers={str(meal.pk): "Vegan", str(parking.pk): False},
        accessibility={"wheelchair": True, "hearing_loop": True, "children": 1, "children_ages": "4"},
    )
    assert response.status_code == 202, response.json()
    data = registration_out(Registration.objects.get())  # as organisers get it back
    assert data["answers"] == {str(meal.pk): "Vegan", str(parking.pk): "no"}
    assert data["accessibility"] == {
        "wheelchair": True,
        "sign_language": False,
        "hearing_loop": True,
        "children": 1,
        "children_ages": "4",
        "dietary": "",
    }
    assert AccessibilityNeeds.objects.get(registration_id=data["id"]).hearing_loop


def test_an_event_without_questions_answers_with_empty_answers_and_no_needs(client, make_event):
    assert register(client, make_event(format="onsite")).status_code == 202
    data = registration_out(Registration.objects.get())
    assert data["answers"] == {}
    assert data["accessibility"]["wheelchair"] is False


@pytest.mark.parametrize(
    ("answers", "code", "field"),
    [
        ({}, "answer_required", "answers.{meal}"),
        ({"{meal}": "Fisch"}, "invalid_answer", "answers.{meal}"),
        ({"{meal}": "Vegan", "{parking}": "vielleicht"}, "invalid_answer", "answers.{parking}"),
        ({"{meal}": "Vegan", "12345": "?"}, "invalid_answer", "answers.12345"),
    ],
)
def test_bad_answers_are_refused_with_code_and_field_and_nothing_is_saved(client, asked, answers, code, field):
    event, meal, parking = asked
    ids = {"meal": meal.pk, "parking": parking.pk}
    response = register(client, event, answers={key.format(**ids): value for key, value in answers.items()})
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert response.json()["field"] == field.format(**ids)
    assert not Registration.objects.exists() and not Answer.objects.exists()


def test_answers_of_the_wrong_type_and_bad_needs_are_refused_as_invalid_input(client, asked):
    event, meal, _parking = asked
    for overrides in (
        {"answers": {str(meal.pk): 3}},
        {"accessibility": {"children": -1}},
        {"accessibility": {"wings": True}},
    ):
        response = register(client, event, **overrides)
        assert response.status_code == 422 and response.json()["code"] == "invalid_input", overrides
    assert not Registration.objects.exists()


def question_body(**overrides):
    values = {
        "kind": "choice",
        "label": "Anreise?",
        "label_en": "Travel?",
        "choices": ["Bus", "Rad"],
        "choices_en": ["Bus", "Bike"],
        "required": True,
    }
    values.update(overrides)
    return values


def test_organisers_add_change_move_and_remove_questions(client, make_event, organiser, bearer):
    event = make_event(organiser=organiser)
    headers = bearer(organiser)
    first = client.post(
        f"/api/events/{event.slug}/questions", question_body(), content_type="application/json", headers=headers
    )
    assert first.status_code == 201, first.json()
    assert first.json()["choices_en"] == ["Bus", "Bike"]
    second = client.post(
        f"/api/events/{event.slug}/questions",
        question_body(kind="text", label="Thema?", choices=[], choices_en=[]),
        content_type="application/json",
        headers=headers,
    ).json()
    first_id = first.json()["id"]
    changed = client.put(
        f"/api/events/{event.slug}/questions/{first_id}",
        question_body(label="Wie kommen Sie?"),
        content_type="application/json",
        headers=headers,
    )
    assert changed.status_code == 200 and changed.json()["label"] == "Wie kommen Sie?"
    moved = client.post(
        f"/api/events/{event.slug}/questions/{first_id}/move",
        {"by": 1},
        content_type="application/json",
        headers=headers,
    )
    assert [q["id"] for q in moved.json()] == [second["id"], first_id]
    public = client.get(f"/api/events/{event.slug}/questions")
    assert [q["label"] for q in public.json()] == ["Thema?", "Wie kommen Sie?"]
    removed = client.delete(f"/api/events/{event.slug}/questions/{first_id}", headers=headers)
    assert removed.status_code == 204
    assert list(Question.objects.values_list("pk", flat=True)) == [second["id"]]
    event.refresh_from_db()
    assert event.asks_questions
    client.delete(f"/api/events/{event.slug}/questions/{second['id']}", headers=headers)
    event.refresh_from_db()
    assert not event.asks_questions
    assert AuditEntry.objects.filter(event=event, action__startswith="question.").count() == 6


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"choices": ["Bus"]}, "choices_required"),
        ({"choices_en": ["Bus"]}, "choices_mismatch"),
        ({"choices": ["Bus", "bus"], "choices_en": []}, "duplicate_choices"),
        ({"kind": "essay"}, "invalid_input"),
        ({"label": ""}, "invalid_input"),
    ],
)
def test_bad_questions_are_refused_and_nothing_is_saved(client, make_event, organiser, bearer, overrides, code):
    event = make_event(organiser=organiser)
    response = client.post(
        f"/api/events/{event.slug}/questions",
        question_body(**overrides),
        content_type="application/json",
        headers=bearer(organiser),
    )
    assert response.status_code == 422 and response.json()["code"] == code
    assert not Question.objects.exists()


@pytest.mark.parametrize("actor", ["other", "anonymous"])
def test_another_team_and_anonymous_cannot_manage_questions(
    client, make_event, organiser, other_organiser, bearer, now, actor
):
    event = make_event(organiser=organiser)
    question = add_question(event, QuestionData("text", "Thema?"), actor=None, now=now)
    headers = bearer(other_organiser) if actor == "other" else {}
    base = f"/api/events/{event.slug}/questions"
    answers = [
        client.post(base, question_body(), content_type="application/json", headers=headers),
        client.put(f"{base}/{question.pk}", question_body(), content_type="application/json", headers=headers),
        client.post(f"{base}/{question.pk}/move", {"by": 1}, content_type="application/json", headers=headers),
        client.delete(f"{base}/{question.pk}", headers=headers),
    ]
    assert [a.status_code for a in answers] == [404 if actor == "other" else 401] * 4
    question.refresh_from_db()
    assert question.label_de == "Thema?" and Question.objects.count() == 1


def test_questions_of_a_draft_are_hidden_from_the_public(client, make_event, organiser, bearer, now):
    event = make_event(organiser=organiser, status="draft")
    add_question(event, QuestionData("text", "Geheim?"), actor=None, now=now)
    assert client.get(f"/api/events/{event.slug}/questions").status_code == 404
    assert client.get(f"/api/events/{event.slug}/questions", headers=bearer(organiser)).json()[0]["label"] == "Geheim?"
