"""The live state of an event: what the wall, the panel's screen and the live page show (the
approved ideas on the plenum wall, the current question, the next questions, the running poll
with its results), as one small JSON document per event and language.

Hundreds of screens ask for it every few seconds. They are answered from the cache (Redis in
production, shared by every app process), not from the database:

- the document is built at most once per `FRESH_SECONDS` per event and language, by the one
  request that wins a short lock (`cache.add`); the others meanwhile get the last document;
- every change of live participation deletes the documents after its commit
  (`changed_on_commit`), so a question approved or a poll opened is shown at the next poll;
  changes of the ideas app (a dot, an idea marked for the plenum) appear within FRESH_SECONDS;
- the document's version is its ETag: a screen that has it gets `304 Not Modified`.

The numbers behind this are measured by bench/wall.py (docs/benchmarks.md)."""

import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from events.models import Event
from ideas.views.public import wall_context  # the wall's own context: one place for what it shows
from live import queries

FRESH_SECONDS = 2
# The last document is kept longer, for the requests that lose the race to rebuild it.
STALE_SECONDS = 120
LOCK_SECONDS = 5
NEXT_QUESTIONS = 5
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


@dataclass(frozen=True)
class Document:
    etag: str
    body: bytes


def _key(slug: str, language: str, part: str) -> str:
    return f"live:state:{slug}:{language}:{part}"


def document(slug: str, language: str) -> Document | None:
    """The event's state in `language` from the cache, rebuilt when due; None for no public event."""
    fresh = cache.get(_key(slug, language, "fresh"))
    if fresh is not None:
        return Document(*fresh)
    if not cache.add(_key(slug, language, "lock"), 1, timeout=LOCK_SECONDS):
        stale = cache.get(_key(slug, language, "stale"))
        if stale is not None:
            return Document(*stale)
    try:
        built = build(slug, language)
    finally:
        cache.delete(_key(slug, language, "lock"))
    if built is None:
        return None
    value = (built.etag, built.body)
    cache.set_many({_key(slug, language, "fresh"): value}, timeout=FRESH_SECONDS)
    cache.set(_key(slug, language, "stale"), value, timeout=STALE_SECONDS)
    return built


def changed(event: Event) -> None:
    cache.delete_many([_key(event.slug, language, "fresh") for language in LANGUAGES])


def changed_on_commit(event: Event) -> None:
    transaction.on_commit(lambda: changed(event))


def build(slug: str, language: str) -> Document | None:
    """The document, read in one transaction: the database sees one per build, not one per query."""
    with transaction.atomic():
        return _build(slug, language)


def _build(slug: str, language: str) -> Document | None:
    event = Event.objects.public().filter(slug=slug).first()
    if event is None:
        return None
    with translation.override(language):
        data = state_of(event)
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    return Document(etag, body)


def state_of(event: Event) -> dict:
    current = queries.current_question(event)
    poll = queries.running_poll(event)
    return {
        "event": event.slug,
        "question": question_data(current) if current else None,
        "next_questions": [question_data(q) for q in queries.next_questions(event, limit=NEXT_QUESTIONS)],
        "poll": poll_data(poll) if poll else None,
        "ideas_html": ideas_html(event),
        "live_url": settings.SITE_URL + reverse("live:page", args=[event.slug]),
    }


def question_data(question) -> dict:
    return {"id": question.pk, "text": question.text, "name": question.public_name, "votes": question.votes}


def poll_data(poll) -> dict:
    return {"id": poll.pk, "question": poll.question, "kind": poll.kind, **queries.results(poll)}


def ideas_html(event: Event) -> str:
    """The approved ideas of the plenum wall, as the wall shows them."""
    return render_to_string("ideas/_plenum_groups.html", wall_context(event))
