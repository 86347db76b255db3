"""Delivering the outbox: claim due rows, send them over one SMTP connection, record the outcome.

Several workers may run this at once (`db_worker` on several hosts, `send_outbox --loop`, the
immediate task after a registration). A row is claimed in a short transaction with
`SELECT … FOR UPDATE SKIP LOCKED` and marked `sending` with a lease and a claim token before any
SMTP traffic, so no two workers ever hold the same row. See docs/outbox.md for the one window in
which a crash can send a mail twice, and why we accept it.
"""

import email
import email.policy
import logging
import smtplib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import F, Q

from registrations.mail.compose import render
from registrations.mail.content import MailObsolete
from registrations.mail.wire import WIRE
from registrations.models import MailState, OutboxMail

logger = logging.getLogger(__name__)

BATCH_SIZE = 50
MARK_SENT_EVERY = 10
# Longer than a whole batch can take (50 mails with a 10 s SMTP timeout each), so a lease only
# runs out when its worker died.
LEASE = timedelta(minutes=15)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)
# 1, 2, 4 … 256 minutes, then every 6 hours: about two days, longer than a data centre outage.
MAX_ATTEMPTS = 15
SMTP_TIMEOUT_SECONDS = 10


class StoredEmail(EmailMessage):
    """A mail rendered earlier, handed to the mail backend as it was stored."""

    def __init__(self, raw: bytes, *, from_email: str, to: list[str]):
        super().__init__(from_email=from_email, to=to)
        self.raw = raw

    def message(self, *, policy=email.policy.default):
        return email.message_from_bytes(self.raw, policy=policy)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: "DeliveryReport") -> None:
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed
        self.errors += other.errors


class ConnectionLost(Exception):
    """The SMTP connection is gone; the rest of the batch waits for the next attempt."""


def deliver_due(*, now: datetime, mail_ids: list[int] | None = None, limit: int | None = None) -> DeliveryReport:
    """Send what is due, batch after batch, until nothing is left (or `limit` mails were tried)."""
    report = DeliveryReport()
    tried = 0
    while limit is None or tried < limit:
        size = BATCH_SIZE if limit is None else min(BATCH_SIZE, limit - tried)
        batch, token = claim(now=now, size=size, mail_ids=mail_ids)
        if not batch:
            break
        tried += len(batch)
        batch_report = send_batch(batch, token, now=now)
        report.add(batch_report)
        if batch_report.retrying and not batch_report.sent:
            break  # the server is down: leave the rest for the next round instead of hammering it
    return report


def due_mails(now: datetime):
    """Queued mails whose time has come, and mails whose worker died while sending them."""
    return OutboxMail.objects.filter(
        Q(state=MailState.QUEUED, next_attempt_at__lte=now) | Q(state=MailState.SENDING, claimed_until__lt=now)
    )


def claim(*, now: datetime, size: int, mail_ids: list[int] | None = None) -> tuple[list[OutboxMail], uuid.UUID]:
    token = uuid.uuid4()
    with transaction.atomic():
        due = due_mails(now)
        if mail_ids is not None:
            due = due.filter(pk__in=mail_ids)
        # SKIP LOCKED: another worker's claim in progress is passed over, not waited for.
        # (SQLite has no row locks; its IMMEDIATE transactions serialise the claims instead.)
        ids = list(
            due.order_by("next_attempt_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return [], token
        OutboxMail.objects.filter(pk__in=ids).update(
            state=MailState.SENDING, claimed_until=now + LEASE, claim_token=token, attempts=F("attempts") + 1
        )
    batch = list(OutboxMail.objects.filter(pk__in=ids, claim_token=token).select_related("event").order_by("pk"))
    return batch, token


def send_batch(batch: list[OutboxMail], token: uuid.UUID, *, now: datetime) -> DeliveryReport:
    report = DeliveryReport()
    sent = SentMarks(token, now=now, report=report)
    pending = list(batch)
    try:
        with mailer() as backend:
            while pending:
                mail = pending[0]
                try:
                    if mail.rendered is None:
                        render_and_store(mail)
                    send_stored(backend, mail)
                except RenderingFailed as error:
                    mark_failed(mail, token, str(error), report=report)
                except Exception as error:  # every failure is recorded on the row
                    if is_connection_lost(error):
                        raise ConnectionLost(describe(error)) from error
                    if is_permanent(error):
                        mark_failed(mail, token, describe(error), report=report)
                    else:
                        retry_later(mail, token, describe(error), now=now, report=report)
                else:
                    sent.add(mail)
                pending.pop(0)
    except Exception as error:  # opening or keeping the connection failed
        reason = str(error) if isinstance(error, ConnectionLost) else describe(error)
        logger.warning("SMTP unavailable, %s mails wait for the next attempt: %s", len(pending), reason)
        for mail in pending:
            retry_later(mail, token, reason, now=now, report=report)
    finally:
        sent.flush()
    return report


class SentMarks:
    """Records successful sends in groups: one UPDATE per MARK_SENT_EVERY mails instead of one per
    mail, which is what lets the outbox keep up with plain smtplib (bench/mail.py). The price: if
    the worker dies, up to that many mails that did go out are sent once more after the lease,
    under the same Message-ID (docs/outbox.md)."""

    def __init__(self, token: uuid.UUID, *, now: datetime, report: DeliveryReport):
        self.token, self.now, self.report = token, now, report
        self.ids: list[int] = []

    def add(self, mail: OutboxMail) -> None:
        self.ids.append(mail.pk)
        self.report.sent += 1
        if len(self.ids) >= MARK_SENT_EVERY:
            self.flush()

    def flush(self) -> None:
        if self.ids:
            OutboxMail.objects.filter(pk__in=self.ids, claim_token=self.token).update(
                state=MailState.SENT, sent_at=self.now, last_error="", claimed_until=None, claim_token=None
            )
            self.ids = []


def mailer():
    connection = mailers.default
    # Without a timeout a hanging mail server would hang the worker (or, with the immediate
    # task backend, the citizen's request) for ever.
    if hasattr(connection, "timeout") and connection.timeout is None:
        connection.timeout = SMTP_TIMEOUT_SECONDS
    return connection


class RenderingFailed(Exception):
    pass


def render_and_store(mail: OutboxMail) -> None:
    try:
        message = render(mail)
        raw = message.message(policy=WIRE).as_bytes()
    except MailObsolete as error:
        raise RenderingFailed(f"not sent: {error}") from error
    except Exception as error:
        logger.exception("Could not render outbox mail %s", mail.pk)
        raise RenderingFailed(f"rendering failed: {error}") from error
    mail.rendered, mail.subject = raw, str(message.subject)[:300]
    OutboxMail.objects.filter(pk=mail.pk).update(rendered=raw, subject=mail.subject)


def send_stored(backend, mail: OutboxMail) -> None:
    """Over SMTP the stored bytes go out as they are: Django's backend would parse and serialise
    every message again (about 15 ms each). Other backends (file, console) get a message object."""
    smtp = getattr(backend, "connection", None)
    if isinstance(smtp, smtplib.SMTP):
        sender, recipient = settings.DEFAULT_FROM_EMAIL, mail.to
        if not (sender + recipient).isascii():
            sender, recipient = backend.prep_address(sender), backend.prep_address(recipient)
        smtp.sendmail(parseaddr(sender)[1], [recipient], bytes(mail.rendered))
    else:
        backend.send_messages([StoredEmail(bytes(mail.rendered), from_email=settings.DEFAULT_FROM_EMAIL, to=[mail.to])])


def mark_failed(mail: OutboxMail, token, reason: str, *, report: DeliveryReport) -> None:
    """A permanent failure, shown to the organisers, who can send the mail again."""
    report.failed += 1
    report.errors.append(reason)
    OutboxMail.objects.filter(pk=mail.pk, claim_token=token).update(
        state=MailState.FAILED, last_error=reason[:2000], claimed_until=None, claim_token=None
    )


def retry_later(mail: OutboxMail, token, reason: str, *, now: datetime, report: DeliveryReport) -> None:
    attempts = mail.attempts  # already counts this attempt: the claim raised it
    if attempts >= MAX_ATTEMPTS:
        mark_failed(mail, token, f"gave up after {attempts} attempts: {reason}", report=report)
        return
    report.retrying += 1
    report.errors.append(reason)
    OutboxMail.objects.filter(pk=mail.pk, claim_token=token).update(
        state=MailState.QUEUED,
        next_attempt_at=now + backoff(attempts),
        last_error=reason[:2000],
        claimed_until=None,
        claim_token=None,
    )


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: doubling, at most six hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def is_connection_lost(error: Exception) -> bool:
    return isinstance(error, smtplib.SMTPServerDisconnected | ConnectionError | TimeoutError)


def is_permanent(error: Exception) -> bool:
    """5xx answers and addresses that cannot be sent to are permanent; 4xx and network trouble
    are worth another try."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    return isinstance(error, ValueError | UnicodeError)


def describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {message.decode(errors='replace')}" for code, message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        return f"{error.smtp_code} {message}"
    return f"{type(error).__name__}: {error}"
