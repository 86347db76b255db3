"""Delivering the outbox in the background: enqueued by `queue` after the commit of new mails.

With TASKS_BACKEND=immediate it runs at once in the process that enqueues it; with
django-tasks-db it runs in `manage.py db_worker`, as many as you like."""

from django.tasks import task
from django.utils import timezone

from registrations.outbox.delivery import deliver_due


@task
def send_outbox(mail_ids: list[int] | None = None) -> dict:
    """Send the given mails (or everything due). Safe to run in many workers at once."""
    report = deliver_due(now=timezone.now(), mail_ids=mail_ids)
    return {"sent": report.sent, "retrying": report.retrying, "failed": report.failed}
