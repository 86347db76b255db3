"""Registration questions in the Django admin: through the same service and rules as the
organiser page, and only for the events of one's own team."""

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import AuditEntry, Event, Question
from events.questions import QuestionData, add_question

pytestmark = pytest.mark.django_db
ADD = reverse("admin:events_question_add")


@pytest.fixture
def own(make_event, organiser):
    return make_event(team=[organiser])


@pytest.fixture
def foreign(make_event, other_organiser):
    return make_event(team=[other_organiser])


def form(event, **overrides):
    values = {
        "event": event.pk,
        "kind": "choice",
        "label_de": "Anreise?",
        "label_en": "",
        "choices_de": "Bus\nRad",
        "choices_en": "",
        "required": "on",
    }
    values.update(overrides)
    return values


def test_an_organiser_adds_a_question_to_an_own_event(client, organiser, own):
    client.force_login(organiser.user)
    response = client.post(ADD, form(own))
    assert response.status_code == 302
    question = Question.objects.get()
    assert (question.event, question.choice_values, question.required) == (own, ["Bus", "Rad"], True)
    assert Event.objects.get(pk=own.pk).asks_questions
    assert AuditEntry.objects.filter(action="question.added", actor=organiser.user).exists()


def test_a_bad_question_is_refused_with_the_rule_of_the_service(client, organiser, own):
    client.force_login(organiser.user)
    response = client.post(ADD, form(own, choices_de="Bus"))
    assert response.status_code == 200 and "mindestens zwei Antwortmöglichkeiten" in response.text
    assert not Question.objects.exists()


def test_another_teams_event_cannot_be_chosen_nor_its_questions_seen(client, organiser, own, foreign):
    theirs = add_question(foreign, QuestionData("text", "Fremd?"), actor=None, now=timezone.now())
    client.force_login(organiser.user)
    response = client.post(ADD, form(foreign))
    assert response.status_code == 200 and not Question.objects.filter(event=foreign, label_de="Anreise?").exists()
    assert "Fremd?" not in client.get(reverse("admin:events_question_changelist")).text
    change = client.get(reverse("admin:events_question_change", args=[theirs.pk]))
    assert change.status_code in (302, 403, 404)


def test_removing_a_question_in_the_admin_goes_through_the_service(client, organiser, own):
    question = add_question(own, QuestionData("text", "Thema?"), actor=None, now=timezone.now())
    client.force_login(organiser.user)
    response = client.post(reverse("admin:events_question_delete", args=[question.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Question.objects.exists() and not Event.objects.get(pk=own.pk).asks_questions
    assert AuditEntry.objects.filter(action="question.removed").exists()
