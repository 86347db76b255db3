"""Telling people that their idea moved on.

Everything about these e-mails lives in this one module. `send_stage_mails` writes them into the
outbox of the registrations layer (registrations/outbox/, docs/outbox.md) inside the transaction
of the change: a rolled-back change sends nothing, a committed one loses no mail, and the outbox's
workers deliver them with retries like every other mail; organisers see them, failed ones too, in
the event's outbox. The outbox cannot render an idea's mail (it may not import this layer), so the
mail is rendered here, once, as it reads at the time of the change, and stored with its row.
"""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ideas.access import stop_updates_token
from ideas.models import Idea, Moderation
from registrations.mail.compose import outbox_headers
from registrations.models import MailKind, MailState, OutboxMail
from registrations.outbox.queue import new_mail, queue_many, write_rendered


def notify_stage_change(ideas: Iterable[Idea], *, now: datetime) -> None:
    """Call inside the transaction that moved these ideas on. Everyone who gave an address and
    agreed to updates hears about it, including the people behind ideas merged into these."""
    idea_ids = [idea.pk for idea in ideas]
    if idea_ids:
        send_stage_mails(idea_ids, now=now)


def send_stage_mails(idea_ids: list[int], *, now: datetime) -> int:
    """Queue one mail per recipient in the caller's transaction; returns how many were queued."""
    recipients = (
        Idea.objects.filter(Q(pk__in=idea_ids) | Q(merged_into__in=idea_ids))
        .exclude(submitter_email="")
        .filter(updates_consent_at__isnull=False)
        .select_related("event", "group", "working_group", "backlog_item")
        .select_related("merged_into__working_group", "merged_into__backlog_item")
        .order_by("pk")
    )
    mails = [stage_mail(idea, now=now) for idea in recipients]
    queue_many(mails)
    return sum(mail.state == MailState.QUEUED for mail in mails)


def stage_mail(idea: Idea, *, now: datetime) -> OutboxMail:
    mail = new_mail(
        idea.event,
        MailKind.IDEA_STAGE,
        to=idea.submitter_email,
        language=idea.language,
        now=now,
        facts={"idea": idea.pk, "stage": idea.stage.value},
    )
    return write_rendered(mail, lambda: stage_message(idea, mail), what=f"the status e-mail for idea {idea.pk}")


def follow_url(idea: Idea) -> str:
    """Where every mail about an idea sends its sender to follow it, in the active language: the
    idea's own page, which shows its way from the table to the working group's item and the
    result. A merged idea is public (merging approves it) and its page names the idea it was merged
    into and shows that one's way. An idea that is not public has no page: the event's ideas
    instead, never a 404."""
    if idea.moderation == Moderation.APPROVED:
        return settings.SITE_URL + idea.page_path()
    return settings.SITE_URL + reverse("ideas:event_ideas", args=[idea.event.slug])


def stage_message(idea: Idea, mail: OutboxMail) -> EmailMessage:
    current = idea.current
    with translation.override(idea.language):
        context = {
            "idea": idea,
            "current": current,
            "item": current.backlog_item if current.backlog_item_id else None,
            "follow_url": follow_url(idea),
            "stop_url": settings.SITE_URL + reverse("ideas:stop_updates", args=[stop_updates_token(idea)]),
        }
        subject = _("Your idea “%(title)s”: %(stage)s") % {"title": idea.title, "stage": idea.stage.label}
        body = render_to_string("ideas/mail/stage_changed.txt", context)
    headers = idea_mail_headers(mail, context["stop_url"])
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [mail.to], headers=headers)


def notify_hidden(idea: Idea, *, now: datetime) -> None:
    """Call inside the transaction that hid the idea: its sender (address and consent given) is
    told why. The mail is of the same kind as the status mails, so the event's outbox shows it
    with them."""
    with translation.override(idea.language):
        subject = _("Your idea “%(title)s” is not published") % {"title": idea.title}
    _moderation_mail(idea, subject, "ideas/mail/hidden.txt", now=now)


def notify_approved(idea: Idea, *, now: datetime) -> None:
    """Call inside the transaction that approved the idea: its sender hears that it is public."""
    with translation.override(idea.language):
        subject = _("Your idea “%(title)s” is published") % {"title": idea.title}
    _moderation_mail(idea, subject, "ideas/mail/approved.txt", now=now)


def _moderation_mail(idea: Idea, subject: str, template: str, *, now: datetime) -> None:
    if not (idea.submitter_email and idea.updates_consent_at):
        return
    mail = new_mail(
        idea.event,
        MailKind.IDEA_STAGE,
        to=idea.submitter_email,
        language=idea.language,
        now=now,
        facts={"idea": idea.pk, "moderation": idea.moderation},
    )

    def message() -> EmailMessage:
        with translation.override(idea.language):
            stop_url = settings.SITE_URL + reverse("ideas:stop_updates", args=[stop_updates_token(idea)])
            context = {
                "idea": idea,
                "follow_url": follow_url(idea),
                "stop_url": stop_url,
            }
            body = render_to_string(template, context)
        return EmailMessage(
            subject, body, settings.DEFAULT_FROM_EMAIL, [mail.to], headers=idea_mail_headers(mail, stop_url)
        )

    queue_many([write_rendered(mail, message, what=f"the moderation e-mail for idea {idea.pk}")])


def idea_mail_headers(mail: OutboxMail, stop_url: str) -> dict[str, str]:
    """The outbox's headers, and the one-click unsubscribe of RFC 8058: a mail program offers a
    button that POSTs to the signed link, which erases the address (ideas/views/public.py)."""
    return {
        **outbox_headers(mail),
        "List-Unsubscribe": f"<{stop_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
