"""The live API: public and read-only, what the live pages show. Approved questions only (with
votes, the answer, the name only when the asker chose to show it), the running and closed polls
with their results; never a pending or hidden question, a prepared poll, an address or access
data; an unknown or draft event is 404 `{"code", "detail"}`; the queries do not grow with the
questions and votes."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event
from live import services
from live.models import Participant, Question, QuestionVote
from tests.factories import bearer, issue_token, running_event
from tests.live.live_factories import approved_question, asked, device, open_poll

pytestmark = pytest.mark.django_db

PASSCODE = "geheim-4711"
JOIN_URL = "https://zoom.example.org/j/4711"


@pytest.fixture
def live_event(event, organiser):
    """One of everything: public questions (name shown, name kept private, answered), a pending
    and a hidden one with addresses, a prepared, a closed and a running poll; access data set."""
    now = timezone.now()
    event.online_join_url, event.online_passcode = JOIN_URL, PASSCODE
    event.save(update_fields=["online_join_url", "online_passcode"])
    shown = services.approve_question(
        asked(event, "Wann kommt der Radweg?", name="Erika", show_name=True), actor=organiser, now=now
    )
    for number in range(2):
        services.upvote(shown, participant=device(event, f"stimme-{number}"), now=now)
    services.approve_question(asked(event, "Wer zahlt das?", name="Geheimnisvoll"), actor=organiser, now=now)
    answered = approved_question(event, "Ist die Sitzung öffentlich?", actor=organiser)
    services.answer_question(answered, "Ja, sie ist öffentlich.", actor=organiser, now=now)
    asked(event, "Wartend?", email="wartend@example.org", updates_consent=True)
    hidden = asked(event, "Billige Uhren?", email="werbung@example.org", updates_consent=True)
    services.hide_question(hidden, "Werbung", actor=organiser, now=now)
    services.create_poll(event, "Vorbereitet?", "single", ["A", "B"], actor=organiser, now=now)
    closed = open_poll(event, actor=organiser, kind="scale")
    services.answer_poll(closed, [str(closed.options.get(label="4").pk)], participant=device(event), now=now)
    services.close_poll(closed, actor=organiser, now=now)
    running = open_poll(event, actor=organiser)
    services.answer_poll(running, [str(running.options.get(label="Ja").pk)], participant=device(event), now=now)
    return event


def questions_of(client, event, **params):
    return client.get(f"/api/events/{slug_of(event)}/live/questions", params)


def polls_of(client, event, **params):
    return client.get(f"/api/events/{slug_of(event)}/live/polls", params)


def slug_of(event) -> str:
    return event if isinstance(event, str) else event.slug


def test_the_approved_questions_with_votes_answers_and_only_the_names_shown(client, live_event):
    response = questions_of(client, live_event)

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3
    by_text = {item["text"]: item for item in data["items"]}
    assert list(by_text) == ["Wann kommt der Radweg?", "Wer zahlt das?", "Ist die Sitzung öffentlich?"]
    first = by_text["Wann kommt der Radweg?"]
    assert (first["name"], first["votes"], first["answered"], first["answer"]) == ("Erika", 2, False, "")
    assert by_text["Wer zahlt das?"]["name"] == ""
    answered = by_text["Ist die Sitzung öffentlich?"]
    assert (answered["answered"], answered["answer"]) == (True, "Ja, sie ist öffentlich.")
    assert answered["answered_at"] is not None and answered["asked_at"] is not None
    assert set(first) == {"id", "text", "name", "votes", "answered", "answered_at", "answer", "asked_at"}


def test_the_questions_newest_first_as_the_page_orders_them(client, live_event):
    items = questions_of(client, live_event, order="time").json()["items"]

    assert [item["text"] for item in items] == [
        "Wer zahlt das?",
        "Wann kommt der Radweg?",
        "Ist die Sitzung öffentlich?",
    ]


def test_the_running_and_the_closed_polls_with_their_results_not_the_prepared_one(client, live_event):
    response = polls_of(client, live_event)

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    running, closed = data["items"]
    assert running["question"] == "Soll der Markt autofrei werden?"
    assert (running["kind"], running["state"]) == ("single", "open")
    assert running["results"]["ballots"] == 1 and running["results"]["mean"] is None
    assert [(o["label"], o["count"], o["percent"]) for o in running["results"]["options"]] == [
        ("Ja", 1, 100),
        ("Nein", 0, 0),
        ("Weiß nicht", 0, 0),
    ]
    assert (closed["kind"], closed["state"], closed["results"]["mean"]) == ("scale", "closed", 4.0)
    assert closed["closed_at"] is not None
    assert "Vorbereitet?" not in response.text


@pytest.mark.parametrize("read", [questions_of, polls_of])
def test_nothing_pending_hidden_private_or_secret_ever_appears(client, organiser, live_event, read):
    for caller in (client, with_token(organiser)):
        text = read(caller, live_event).text
        for secret in ("Wartend?", "Billige Uhren?", "Werbung", "@example.org", "Geheimnisvoll", PASSCODE, JOIN_URL):
            assert secret not in text


def with_token(organiser) -> Client:
    """The event's organiser calling with their token: the API shows them what it shows everyone."""
    return Client(headers=bearer(issue_token(organiser)))


@pytest.mark.parametrize("read", [questions_of, polls_of])
def test_an_unknown_or_draft_event_is_not_found_for_everyone(client, organiser, read):
    draft = running_event(team=[organiser])
    approved_question(draft, "Entwurf?", actor=organiser)
    Event.objects.filter(pk=draft.pk).update(status="draft")  # the services take no question for a draft

    unknown = read(client, "gibt-es-nicht")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    assert set(unknown.json()) >= {"code", "detail"}
    for caller in (client, with_token(organiser)):
        refused = read(caller, draft)
        assert (refused.status_code, refused.json()["code"]) == (404, "not_found")
        assert "Entwurf?" not in refused.text


def test_bad_paging_or_order_is_refused_as_invalid_input(client, live_event):
    for response in (
        questions_of(client, live_event, order="random"),
        questions_of(client, live_event, limit=0),
        polls_of(client, live_event, offset=-1),
    ):
        assert (response.status_code, response.json()["code"]) == (422, "invalid_input")


def test_the_lists_page_with_limit_and_offset(client, live_event):
    page = questions_of(client, live_event, limit=1, offset=1).json()

    assert page["count"] == 3
    assert [item["text"] for item in page["items"]] == ["Wer zahlt das?"]


def fill(event, organiser, size: int):
    """`size` approved questions with `size` votes each, and `size // 10` closed polls."""
    now = timezone.now()
    participants = Participant.objects.bulk_create(
        Participant(event=event, device_hash=f"{n:064d}", created_at=now) for n in range(size)
    )
    questions = Question.objects.bulk_create(
        Question(event=event, text=f"Frage {n}", state="approved", votes=size, created_at=now) for n in range(size)
    )
    QuestionVote.objects.bulk_create(
        QuestionVote(question=question, participant=participant, given_at=now)
        for question in questions
        for participant in participants
    )
    for _ in range(max(1, size // 10)):
        services.close_poll(open_poll(event, actor=organiser), actor=organiser, now=now)


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_queries_do_not_grow_with_the_questions_votes_and_polls(client, organiser):
    small, large = running_event(team=[organiser]), running_event(team=[organiser])
    fill(small, organiser, 2)
    fill(large, organiser, 40)
    assert QuestionVote.objects.filter(question__event=large).count() == 1600

    for kind in ("questions", "polls"):
        small_count = queries_for(client, f"/api/events/{small.slug}/live/{kind}")
        assert small_count == queries_for(client, f"/api/events/{large.slug}/live/{kind}"), kind


def test_the_openapi_document_lists_the_live_operations(client, db):
    document = client.get("/api/openapi.json").json()

    assert {"get"} == set(document["paths"]["/api/events/{slug}/live/questions"])
    assert {"get"} == set(document["paths"]["/api/events/{slug}/live/polls"])
    schemas = document["components"]["schemas"]
    assert set(schemas["LiveQuestionOut"]["properties"]) == {
        "id",
        "text",
        "name",
        "votes",
        "answered",
        "answered_at",
        "answer",
        "asked_at",
    }
    assert {"ballots", "options", "mean"} == set(schemas["LivePollResultsOut"]["properties"])
    questions = document["paths"]["/api/events/{slug}/live/questions"]["get"]
    assert {"200", "404", "422"} <= set(questions["responses"])
