"""The mails of joining and following: the request to confirm, and the news digest. Written here,
already rendered, into the outbox of the registrations layer (docs/outbox.md) inside the caller's
transaction, as ideas/notifications.py does; the outbox's workers send them with retries."""

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from processes.links import CONFIRM_SALT, LEAVE_SALT, link_token
from processes.models import Subscription
from registrations.early_access import early_access_url, still_ahead
from registrations.mail.compose import outbox_headers
from registrations.models import MailKind, OutboxMail
from registrations.outbox.queue import new_mail, queue_many, write_rendered


def leave_url(subscription: Subscription) -> str:
    return settings.SITE_URL + reverse("processes:leave", args=[link_token(subscription, salt=LEAVE_SALT)])


def target_url(subscription: Subscription) -> str:
    if subscription.process_id:
        return settings.SITE_URL + subscription.process.get_absolute_url()
    return settings.SITE_URL + reverse("ideas:working_group", args=[subscription.working_group.slug])


def written(subscription: Subscription, *, subject: str, template: str, context: dict, now: datetime) -> OutboxMail:
    """An outbox row holding the rendered mail, in the subscriber's language; with a one-click
    unsubscribe (RFC 8058) in the headers, so that mail programs offer "unsubscribe" themselves."""
    mail = new_mail(
        None,
        MailKind.PARTICIPATION,
        to=subscription.email,
        language=subscription.language,
        now=now,
        facts={"subscription": subscription.pk, "template": template},
    )

    def message() -> EmailMessage:
        with translation.override(subscription.language):
            unsubscribe = leave_url(subscription)
            body = render_to_string(
                template,
                {
                    "subscription": subscription,
                    "target_url": target_url(subscription),
                    "leave_url": unsubscribe,
                    **context,
                },
            )
            headers = {
                **outbox_headers(mail),
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
            return EmailMessage(str(subject), body, settings.DEFAULT_FROM_EMAIL, [mail.to], headers=headers)

    return write_rendered(mail, message, what=f"the {template} mail of subscription {subscription.pk}")


def queue_confirmation(subscription: Subscription, *, now: datetime) -> None:
    with translation.override(subscription.language):
        title = subscription.target.title
        subject = (
            _("Please confirm: you join the working group “%(title)s”")
            if subscription.kind == "member"
            else _("Please confirm: news of “%(title)s” by e-mail")
        ) % {"title": title}
        confirm_url = settings.SITE_URL + reverse(
            "processes:confirm", args=[link_token(subscription, salt=CONFIRM_SALT)]
        )
    mail = written(
        subscription,
        subject=subject,
        template="processes/mail/confirm.txt",
        context={"confirm_url": confirm_url, "title": title},
        now=now,
    )
    queue_many([mail])


def digest_mail(subscription: Subscription, news, *, now: datetime) -> OutboxMail:
    with translation.override(subscription.language):
        title = subscription.target.title
        subject = _("News of “%(title)s”") % {"title": title}
    return written(
        subscription,
        subject=subject,
        template="processes/mail/digest.txt",
        context={"title": title, "news": news, "site": settings.SITE_URL},
        now=now,
    )


def queue_invitations(meeting, members: list[Subscription], *, now: datetime) -> int:
    """One invitation per member, in the member's language; returns how many. While the members'
    head start still matters, each carries the member's personal link to register early."""
    event = meeting.event
    head_start = meeting.early_access if meeting.early_access and still_ahead(meeting.early_access, now=now) else None
    mails = []
    for member in members:
        with translation.override(member.language):
            subject = _("Invitation: %(event)s – working group “%(group)s”") % {
                "event": event.title,
                "group": meeting.working_group.title,
            }
            if head_start is not None:
                event_url = early_access_url(head_start, member.email)
            else:
                event_url = settings.SITE_URL + event.get_absolute_url()
        mails.append(
            written(
                member,
                subject=subject,
                template="processes/mail/invitation.txt",
                context={"event": event, "event_url": event_url, "head_start": head_start},
                now=now,
            )
        )
    queue_many(mails)
    return len(mails)
