"""Asking the panel through the event's one live channel (/mit/<code>/): the sender chooses a
question instead of an idea; it lands in the live app's queue with where it came from, the name
and whether to show it, the address with consent and the page's language, behind the channel's
guards (rate limits, device budget, honeypot, fill time) — the same as for ideas."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.devices import DEVICE_COOKIE
from events.models import AuditEntry
from ideas.models import Idea
from ideas.views.live import fill_stamp
from live import services
from live.models import Question
from tests.factories import running_event
from tests.live.live_factories import post_moderated

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fill_time(settings):
    settings.LIVE_MIN_FILL_SECONDS = 3


def channel(event, *, language="de", via=""):
    path = reverse("ideas:live", args=[event.live_code])
    path = "/en" + path if language == "en" else path
    return f"{path}?via={via}" if via else path


def visitor(event, **extra) -> Client:
    """A browser that opened the channel once (so it has its device cookie)."""
    client = Client(**extra)
    assert client.get(channel(event)).status_code == 200
    assert DEVICE_COOKIE in client.cookies
    return client


def question(text="Wann kommt der Radweg?", *, shown_seconds_ago=30, **fields):
    return {
        "kind": "question",
        "text": text,
        "started": fill_stamp(timezone.now() - timedelta(seconds=shown_seconds_ago)),
        "client_id": fields.pop("client_id", f"q-{text[:20]}"),
        **fields,
    }


def choice(page: str, value: str) -> str:
    """The radio button of the kind `value`, as the page has it."""
    return re.search(rf'<input type="radio" name="kind" value="{value}"[^>]*>', page).group(0)


def test_the_channel_offers_the_question_beside_the_idea_with_the_idea_chosen(event):
    page = Client().get(channel(event)).content.decode()

    assert "Idee oder Anregung" in page and "Frage an das Podium" in page
    assert "checked" in choice(page, "idea") and "checked" not in choice(page, "question")
    assert reverse("live:questions", args=[event.slug]) in page


def test_a_link_to_ask_chooses_the_question(event):
    page = Client().get(channel(event) + "?kind=question").content.decode()

    assert "checked" in choice(page, "question") and "checked" not in choice(page, "idea")


def test_a_viewer_at_home_asks_through_the_channel_and_the_question_waits_with_its_origin(event, organiser):
    client = visitor(event)

    sent = client.post(channel(event, via="stream"), question(name="Erika", show_name="on"), follow=True)

    assert "Ihre Frage erscheint auf der Liste, sobald die Moderation sie freigegeben hat" in sent.content.decode()
    asked = Question.objects.get()
    assert (asked.state, asked.via, asked.language) == ("pending", "stream", "de")
    assert (asked.name, asked.show_name, asked.public_name) == ("Erika", True, "Erika")
    assert Idea.objects.count() == 0
    assert AuditEntry.objects.filter(action="live.question_asked", data__via="stream").exists()
    questions_page = reverse("live:questions", args=[event.slug])
    assert "Wann kommt der Radweg?" not in client.get(questions_page).content.decode()

    services.approve_question(asked, actor=organiser, now=timezone.now())
    services.show_question(asked, actor=organiser, now=timezone.now())

    assert "Wann kommt der Radweg?" in client.get(questions_page).content.decode()
    state = json.loads(client.get(reverse("live:state", args=[event.slug])).content)
    assert state["question"]["text"] == "Wann kommt der Radweg?"
    assert state["question"]["name"] == "Erika"


def test_a_name_not_chosen_to_show_stays_with_the_team(event, organiser):
    client = visitor(event)
    client.post(channel(event, via="zoom"), question(name="Erika"))
    asked = services.approve_question(Question.objects.get(), actor=organiser, now=timezone.now())
    services.show_question(asked, actor=organiser, now=timezone.now())

    public = client.get(reverse("live:questions", args=[event.slug])).content.decode()
    state = json.loads(client.get(reverse("live:state", args=[event.slug])).content)
    desk = Client()
    desk.force_login(organiser)
    team = desk.get(reverse("live:desk", args=[event.slug])).content.decode()

    assert "Erika" not in public and state["question"]["name"] == ""
    assert "Erika" in team and "Name nicht öffentlich" in team and "Gesendet von: Zoom" in team


def test_the_english_page_keeps_the_language(event):
    client = visitor(event)
    sent = client.post(channel(event, language="en"), question("When?", via="room"), follow=True)

    assert "Your question will appear on the list once the moderators have approved it" in sent.content.decode()
    assert (Question.objects.get().language, Question.objects.get().via) == ("en", "room")


def test_under_post_moderation_a_question_is_public_at_once(event):
    post_moderated(event)
    client = visitor(event)

    sent = client.post(channel(event), question("Was kostet das?"), follow=True)

    assert "Ihre Frage steht auf der Liste" in sent.content.decode()
    assert Question.objects.get().state == "approved"
    assert "Was kostet das?" in client.get(reverse("live:questions", args=[event.slug])).content.decode()


def test_an_address_is_kept_only_with_the_consent(event):
    client = visitor(event)

    client.post(channel(event), question(email="erika@example.org", updates_consent="on"))

    asked = Question.objects.get()
    assert asked.submitter_email == "erika@example.org" and asked.updates_consent_at is not None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": ""}, "Bitte schreiben Sie Ihre Frage."),
        ({"text": "   "}, "Bitte schreiben Sie Ihre Frage."),
        ({"text": "x" * 301}, "höchstens 300 Zeichen"),
        ({"text": "Warum <script>alert(1)</script>?"}, "ohne HTML"),
        ({"name": "<b>Erika</b>"}, "ohne HTML"),
        ({"email": "erika@example.org"}, "Bitte stimmen Sie zu"),
        ({"website": "http://spam.example"}, "konnte nicht gesendet werden"),
        ({"shown_seconds_ago": 1}, "schneller, als jemand tippen kann"),
        ({"kind": "umfrage"}, "Auswahl"),
    ],
)
def test_bad_input_is_refused_at_the_field_with_the_entries_kept_and_nothing_stored(event, fields, message):
    client = visitor(event)
    data = question(shown_seconds_ago=fields.pop("shown_seconds_ago", 30), name="Erika")
    data.update(fields)

    refused = client.post(channel(event), data)

    assert refused.status_code == 422
    page = refused.content.decode()
    assert message in page
    assert 'value="Erika"' in page or "&lt;b&gt;Erika" in page, "the entries stay in the form"
    assert Question.objects.count() == 0 and Idea.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": ""}, "Please write your question."),
        ({"text": "x" * 301}, "at most 300 characters"),
        ({"text": "Why <b>now</b>?"}, "without HTML"),
        ({"website": "http://spam.example"}, "could not be sent"),
        ({"shown_seconds_ago": 1}, "quicker than anyone can type"),
    ],
)
def test_the_english_page_refuses_in_english(event, fields, message):
    client = visitor(event)
    data = question(shown_seconds_ago=fields.pop("shown_seconds_ago", 30))
    data.update(fields)

    refused = client.post(channel(event, language="en"), data)

    assert refused.status_code == 422
    assert message in refused.content.decode()
    assert Question.objects.count() == 0


def test_html_in_a_question_is_refused_and_the_text_shown_escaped(event):
    refused = visitor(event).post(channel(event), question("Warum <script>alert(1)</script>?"))

    assert "<script>alert(1)</script>" not in refused.content.decode()
    assert "Warum &lt;script&gt;alert(1)&lt;/script&gt;?" in refused.content.decode()


def test_the_same_form_sent_twice_stores_one_question(event):
    client = visitor(event)

    client.post(channel(event), question(client_id="einmal"))
    client.post(channel(event), question(client_id="einmal"))

    assert Question.objects.count() == 1


def test_questions_and_ideas_share_one_budget_per_device(event, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "live_channel_device": (2, 600)}
    client = visitor(event)
    idea = {**question("Mehr Bänke"), "kind": "idea"}

    assert client.post(channel(event), idea).status_code == 302
    assert client.post(channel(event), question("Frage 1")).status_code == 302
    flooded = client.post(channel(event), question("Frage 2"))

    assert flooded.status_code == 429
    assert "warten Sie einige Minuten" in flooded.content.decode()
    assert "Frage 2" in flooded.content.decode(), "the text stays in the form"
    assert (Idea.objects.count(), Question.objects.count()) == (1, 1)


def test_the_limit_per_client_counts_questions_too(event, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "live_channel_client": (1, 60)}
    client = visitor(event)

    assert client.post(channel(event), question("Frage 1")).status_code == 302
    assert client.post(channel(event), question("Frage 2")).status_code == 429
    assert Question.objects.count() == 1


def test_a_question_without_the_device_cookie_is_refused(event):
    refused = Client().post(channel(event), question())

    assert refused.status_code == 400
    assert "Bitte erlauben Sie Cookies" in refused.content.decode()
    assert Question.objects.count() == 0


def test_a_finished_event_takes_no_more_questions(organiser):
    over = running_event(starts_in=timedelta(days=-3), team=[organiser])
    client = Client()

    assert client.get(channel(over)).status_code == 403
    assert client.post(channel(over), question()).status_code == 403
    assert Question.objects.count() == 0


def test_after_a_question_the_channel_offers_the_question_again(event):
    sent = visitor(event).post(channel(event, via="zoom"), question())

    assert sent.status_code == 302
    assert sent["Location"] == channel(event) + "?via=zoom&kind=question"
