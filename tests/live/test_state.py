"""The state document the screens poll: answered from the cache without a database query, with
an ETag and 304 for a screen that has it, renewed at once after a change of live participation."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from live import services, state
from tests.factories import running_event
from tests.live.live_factories import approved_question, asked, device, open_poll
from tests.registrations.staff_helpers import client_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def test_the_state_holds_the_current_question_and_the_running_poll(event, organiser):
    question = approved_question(event, actor=organiser)
    services.show_question(question, actor=organiser, now=timezone.now())
    open_poll(event, actor=organiser)

    data = client_of(None).get(reverse("live:state", args=[event.slug])).json()

    assert data["question"]["text"] == "Wann kommt der Radweg?"
    assert data["poll"]["question"] == "Soll der Markt autofrei werden?"
    assert [option["label"] for option in data["poll"]["options"]] == ["Ja", "Nein", "Weiß nicht"]


def test_a_screen_with_the_current_version_gets_304_without_a_database_query(event, django_assert_num_queries):
    client = client_of(None)
    url = reverse("live:state", args=[event.slug])
    first = client.get(url)

    with django_assert_num_queries(0):
        again = client.get(url, headers={"If-None-Match": first["ETag"]})
        other_screen = client_of(None).get(url)

    assert again.status_code == 304
    assert other_screen.status_code == 200 and other_screen["ETag"] == first["ETag"]


def test_a_change_renews_the_state_at_once(event, organiser, django_capture_on_commit_callbacks):
    client = client_of(None)
    url = reverse("live:state", args=[event.slug])
    first = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        poll = open_poll(event, actor=organiser)
        services.answer_poll(poll, [str(poll.options.first().pk)], participant=device(event), now=timezone.now())

    changed = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert changed.status_code == 200
    assert json.loads(changed.content)["poll"]["ballots"] == 1


def test_a_pending_question_is_not_in_the_state(event):
    question = asked(event, "Geheim?")

    body = client_of(None).get(reverse("live:state", args=[event.slug])).content.decode()

    assert question.text not in body


def test_drafts_and_unknown_events_have_no_state():
    draft = running_event(status="draft")

    for slug in (draft.slug, "gibt-es-nicht"):
        response = client_of(None).get(reverse("live:state", args=[slug]))
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_losers_of_the_rebuild_race_get_the_last_document(event, monkeypatch):
    state.document(event.slug, "de")
    cache.delete(state._key(event.slug, "de", "fresh"))
    cache.add(state._key(event.slug, "de", "lock"), 1)
    monkeypatch.setattr(state, "build", lambda *args: pytest.fail("rebuilt while another request rebuilds"))

    assert state.document(event.slug, "de") is not None


def test_the_stream_page_leads_to_the_live_page_and_the_live_page_to_the_idea_channel(event):
    event.livestream_url = "https://www.youtube.com/watch?v=aaaaaaaaaaa"
    event.save(update_fields=["livestream_url"])
    stream = client_of(None).get(reverse("streaming:stream", args=[event.slug])).content.decode()
    assert reverse("live:page", args=[event.slug]) in stream
    live_page = client_of(None).get(reverse("live:page", args=[event.slug])).content.decode()
    assert reverse("ideas:live", args=[event.live_code]) in live_page
