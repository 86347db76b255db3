"""Telling people that their idea moved on.

Everything about these e-mails lives in this one module, so that it can move onto the outbox
(registrations layer, being built) by changing `send_stage_mails` alone. Until then the mails go
through Django's mail API after the change is committed: a rolled-back change sends nothing, and
a failing mail server never undoes a change.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ideas.access import stop_updates_token
from ideas.models import Idea

logger = logging.getLogger(__name__)


def notify_stage_change(ideas: Iterable[Idea]) -> None:
    """Call inside the transaction that moved these ideas on. Everyone who gave an address and
    agreed to updates hears about it, including the people behind ideas merged into these."""
    idea_ids = [idea.pk for idea in ideas]
    if idea_ids:
        transaction.on_commit(lambda: send_stage_mails(idea_ids))


def send_stage_mails(idea_ids: list[int]) -> int:
    recipients = (
        Idea.objects.filter(Q(pk__in=idea_ids) | Q(merged_into__in=idea_ids))
        .exclude(submitter_email="")
        .filter(updates_consent_at__isnull=False)
        .select_related("event", "group", "working_group", "backlog_item")
        .select_related("merged_into__working_group", "merged_into__backlog_item")
    )
    sent = 0
    for idea in recipients:
        try:
            stage_mail(idea).send()
            sent += 1
        except Exception:
            # One unreachable address must not keep the others from hearing the news.
            logger.exception("Could not send the status e-mail for idea %s", idea.pk)
    return sent


def stage_mail(idea: Idea) -> EmailMessage:
    current = idea.current
    with translation.override(idea.language):
        follow_url = (
            reverse("ideas:working_group", args=[current.working_group.slug])
            if current.working_group_id
            else reverse("ideas:event_ideas", args=[idea.event.slug])
        )
        context = {
            "idea": idea,
            "current": current,
            "item": current.backlog_item if current.backlog_item_id else None,
            "follow_url": settings.SITE_URL + follow_url,
            "stop_url": settings.SITE_URL + reverse("ideas:stop_updates", args=[stop_updates_token(idea)]),
        }
        subject = _("Your idea “%(title)s”: %(stage)s") % {"title": idea.title, "stage": idea.stage.label}
        body = render_to_string("ideas/mail/stage_changed.txt", context)
    return EmailMessage(subject=subject, body=body, to=[idea.submitter_email])
