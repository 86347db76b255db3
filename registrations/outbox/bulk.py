"""Messages organisers write to the registrants of an event, and resending failed mails."""

from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from events.models import Event
from events.services import record_audit
from registrations.mail.content import BUILDERS
from registrations.models import BulkMessage, MailKind, MailState, OutboxMail, Registration, Status
from registrations.outbox.queue import deliver_after_commit, new_mail, queue_many

AUDIENCES = {
    "all": gettext_lazy("everyone registered (not cancelled)"),
    Status.CONFIRMED.value: gettext_lazy("confirmed"),
    Status.WAITLISTED.value: gettext_lazy("on the waiting list"),
    Status.PENDING.value: gettext_lazy("pending until the deadline"),
}


def audience_of(event: Event, audience: str):
    registrations = Registration.objects.filter(event=event).active()
    if audience != "all":
        registrations = registrations.filter(status=audience)
    return registrations


@transaction.atomic
def send_bulk_message(
    event: Event,
    *,
    audience: str,
    subject: str,
    body: str,
    subject_en: str,
    body_en: str,
    actor,
    now: datetime,
) -> BulkMessage:
    """One mail per registrant of the audience, each in the registrant's language
    (`Registration.language`): the message is written in German and in English."""
    if audience not in AUDIENCES:
        raise DomainError("invalid_audience", _("Please choose who gets the message."), status=422, field="audience")
    for field, text, message in (
        ("subject", subject, _("Please write the subject in German.")),
        ("body", body, _("Please write the message in German.")),
        ("subject_en", subject_en, _("Please write the subject in English too: some registrants read English.")),
        ("body_en", body_en, _("Please write the message in English too: some registrants read English.")),
    ):
        if not text.strip():
            raise DomainError("message_empty", message, status=422, field=field)
    recipients = audience_of(event, audience)
    bulk = BulkMessage.objects.create(
        event=event,
        audience=audience,
        subject=subject.strip(),
        body=body.strip(),
        subject_en=subject_en.strip(),
        body_en=body_en.strip(),
        created_by=actor,
        created_at=now,
        without_email=recipients.filter(email="").count(),
    )
    mails = [
        new_mail(event, MailKind.MESSAGE, to=r.email, language=r.language, now=now, registration=r, bulk_message=bulk)
        for r in recipients.exclude(email="").in_queue_order()
    ]
    queue_many(mails)
    record_audit(
        "event.message_sent",
        actor=actor,
        now=now,
        event=event,
        target=bulk,
        data={
            "audience": audience,
            "mails": len(mails),
            "english": sum(mail.language == "en" for mail in mails),
            "to_call": bulk.without_email,
        },
    )
    return bulk


def progress(bulk: BulkMessage) -> dict:
    states = bulk.mails.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(state=MailState.SENT)),
        failed=Count("pk", filter=Q(state=MailState.FAILED)),
    )
    done = states["sent"] + states["failed"]
    states["waiting"] = states["total"] - done
    states["percent"] = round(100 * done / states["total"]) if states["total"] else 100
    states["finished"] = done == states["total"]
    return states


def resend(mail: OutboxMail, *, actor, now: datetime) -> OutboxMail:
    """Try a failed (or waiting) mail again now, rendered afresh to the registrant's current address.
    A mail that a higher layer wrote already rendered (an idea's status) goes again as it was."""
    if mail.state in (MailState.SENT, MailState.SENDING):
        raise DomainError("not_resendable", _("Only failed or waiting mails can be sent again."), status=409)
    rendered_here = mail.kind in BUILDERS
    if not rendered_here and mail.rendered is None:
        raise DomainError("not_resendable", _("This mail could not be written and cannot be sent again."), status=409)
    with transaction.atomic():
        to = mail.registration.email if mail.registration and mail.registration.email else mail.to
        afresh = {"rendered": None} if rendered_here else {}
        OutboxMail.objects.filter(pk=mail.pk, state__in=[MailState.FAILED, MailState.QUEUED]).update(
            state=MailState.QUEUED, to=to, attempts=0, next_attempt_at=now, last_error="", **afresh
        )
        record_audit("mail.resent", actor=actor, now=now, event=mail.event, target=mail, data={"kind": mail.kind})
        deliver_after_commit([mail.pk])
    mail.refresh_from_db()
    return mail
