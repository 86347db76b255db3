"""Writing mails into the outbox. Call these inside the transaction of the change: the row
commits or rolls back with it, and delivery starts only after commit."""

import functools
import logging
import secrets
from collections.abc import Callable
from datetime import datetime

from django.db import close_old_connections, transaction
from django_tasks_db import DatabaseBackend

from core.rows import insert_all
from events.models import Event
from registrations.mail import sender_address
from registrations.mail.wire import WIRE
from registrations.models import MailKind, MailState, OutboxMail, Registration
from registrations.outbox.doorbell import Doorbell
from registrations.outbox.tasks import send_outbox


def message_domain() -> str:
    """The domain of our Message-IDs: the sender's, so they are unique to this installation."""
    return sender_address().rsplit("@", 1)[-1]


def new_mail(
    event: Event,
    kind: MailKind,
    *,
    to: str,
    language: str,
    now: datetime,
    registration: Registration | None = None,
    facts: dict | None = None,
    not_before: datetime | None = None,
    bulk_message=None,
) -> OutboxMail:
    """An unsaved outbox row; `queue()` saves one, `queue_many()` saves many at once."""
    return OutboxMail(
        event=event,
        registration=registration,
        bulk_message=bulk_message,
        kind=kind,
        to=to,
        language=language,
        facts=facts or {},
        # 128 random bits make it unique (the column's unique index would refuse a repeat).
        message_id=f"<{kind}.{secrets.token_hex(16)}@{message_domain()}>",
        next_attempt_at=max(now, not_before) if not_before else now,
        created_at=now,
    )


logger = logging.getLogger(__name__)


def write_rendered(mail: OutboxMail, write: Callable, *, what: str) -> OutboxMail:
    """Store the message `write()` builds (an EmailMessage) in the unsaved row, rendered once: for
    the mails of the layers above, which the outbox cannot render itself. A mail that cannot be
    written must not undo the change that caused it, nor vanish: it is kept as failed, and the
    event's outbox shows it. `what` names the mail in the log."""
    try:
        message = write()
        mail.rendered = message.message(policy=WIRE).as_bytes()
        mail.subject = str(message.subject)[:300]
    except Exception as error:  # a template or a lookup of any kind may fail
        logger.exception("Could not write %s", what)
        mail.state, mail.last_error = MailState.FAILED, f"rendering failed: {error}"[:2000]
    return mail


def queue(mail: OutboxMail) -> OutboxMail:
    mail.save()
    deliver_after_commit([mail.pk])
    return mail


def queue_many(mails: list[OutboxMail]) -> list[OutboxMail]:
    created = insert_all(mails)
    if created and created[0].pk is None:  # backends that do not return keys from bulk inserts
        created = list(OutboxMail.objects.filter(message_id__in=[m.message_id for m in mails]))
    deliver_after_commit([mail.pk for mail in created])
    return created


def deliver_after_commit(mail_ids: list[int]) -> None:
    """Start delivery once the change is committed. If the task cannot be enqueued (or the
    worker is down) nothing is lost: the rows stay queued for `manage.py send_outbox`."""
    if mail_ids:
        transaction.on_commit(lambda: _ask_for_delivery(mail_ids), robust=True)


def _ask_for_delivery(mail_ids: list[int]) -> None:
    if isinstance(send_outbox.get_backend(), DatabaseBackend):  # tasks are rows for db_worker
        _doorbell().ring(mail_ids)
    else:  # e.g. the immediate backend: delivered now, in this process
        send_outbox.enqueue(mail_ids=mail_ids)


@functools.cache
def _doorbell() -> Doorbell:
    return Doorbell(_enqueue_delivery)


def _enqueue_delivery(mail_ids: list[int]) -> None:
    close_old_connections()  # the doorbell's thread keeps its connection, like a request would
    send_outbox.enqueue(mail_ids=mail_ids)
