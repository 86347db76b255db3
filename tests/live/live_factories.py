"""The live tests' own helpers (a plain module, so that it never clashes with another directory's
conftest); events, users and registrations come from tests/factories.py."""

import email
import email.policy

from django.utils import timezone

from ideas.models import ModerationPolicy
from ideas.services import LiveDraft
from live import services


def post_moderated(event):
    ModerationPolicy.objects.create(event=event, mode="post", changed_at=timezone.now())


def device(event, name: str = "geraet-1"):
    return services.participant_for_device(event, name, now=timezone.now())


def asked(event, text: str = "Wann kommt der Radweg?", *, asker=None, **draft):
    """A question as the live channel sends it (`draft`: name, show_name, email, via, …)."""
    participant = asker or device(event, "frager")
    return services.ask_question(event, LiveDraft(text, **draft), participant=participant, now=timezone.now())


def approved_question(event, text: str = "Wann kommt der Radweg?", *, actor, asker=None, votes: int = 0):
    now = timezone.now()
    question = asked(event, text, asker=asker)
    question = services.approve_question(question, actor=actor, now=now)
    for number in range(votes):
        services.upvote(question, participant=device(event, f"stimme-{number}"), now=now)
    question.refresh_from_db()
    return question


def open_poll(event, *, actor, kind: str = "single", options=("Ja", "Nein", "Weiß nicht")):
    now = timezone.now()
    poll = services.create_poll(event, "Soll der Markt autofrei werden?", kind, list(options), actor=actor, now=now)
    return services.open_poll(poll, actor=actor, now=now)


def body_of(mail) -> str:
    """The text of an outbox row's rendered mail."""
    return email.message_from_bytes(bytes(mail.rendered), policy=email.policy.default).get_body().get_content()
