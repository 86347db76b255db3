"""Telling the asker of a question what became of it, when they left an address and agreed to
hear about it (the live channel's form, `clean_contact`): approved (it is on the list), hidden
(with the reason) and answered (with the panel's answer), as an idea's sender hears of every step.

Each mail is written into the outbox of the registrations layer (docs/outbox.md) inside the
transaction of the decision: a rolled-back decision sends nothing, a committed one loses no mail.
The services call these once per step (live/services.py decides when a step is new). The outbox
cannot render a live mail (it may not import this layer), so it is rendered here, once, in the
asker's language, and stored with its row; it shows in the event's outbox like every mail."""

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from live.models import Question
from registrations.mail.compose import outbox_headers
from registrations.models import MailKind
from registrations.outbox.queue import new_mail, queue_many, write_rendered


def notify_question_approved(question: Question, *, now: datetime) -> None:
    """Call inside the transaction that made the question public: it is on the list."""
    with translation.override(question.language):
        subject = _("Your question to the panel of “%(event)s” is on the list") % {"event": question.event.title}
    _question_mail(question, "approved", subject, now=now)


def notify_question_hidden(question: Question, *, now: datetime) -> None:
    """Call inside the transaction that hid the question: its asker is told why."""
    with translation.override(question.language):
        subject = _("Your question to the panel of “%(event)s”") % {"event": question.event.title}
    _question_mail(question, "hidden", subject, now=now)


def notify_question_answered(question: Question, *, now: datetime) -> None:
    """Call inside the transaction that marked the question answered: the panel's answer."""
    with translation.override(question.language):
        subject = _("Your question to the panel of “%(event)s” has been answered") % {"event": question.event.title}
    _question_mail(question, "answered", subject, now=now)


def _question_mail(question: Question, step: str, subject: str, *, now: datetime) -> None:
    """One mail for one step (`live/mail/question_<step>.txt`). No address or no consent, no mail."""
    if not (question.submitter_email and question.updates_consent_at):
        return
    mail = new_mail(
        question.event,
        MailKind.LIVE_QUESTION,
        to=question.submitter_email,
        language=question.language,
        now=now,
        facts={"question": question.pk, "step": step},
    )

    def message() -> EmailMessage:
        with translation.override(question.language):
            context = {
                "question": question,
                "questions_url": settings.SITE_URL + reverse("live:questions", args=[question.event.slug]),
                "privacy_url": settings.SITE_URL + reverse("privacy:request"),
            }
            body = render_to_string(f"live/mail/question_{step}.txt", context)
        return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [mail.to], headers=outbox_headers(mail))

    queue_many([write_rendered(mail, message, what=f"the {step} e-mail for question {question.pk}")])
