"""Background work of registrations: queueing mails that are due, erasing expired data (delivering
the outbox is `registrations.outbox.tasks.send_outbox`).

With TASKS_BACKEND=immediate these run at once in the process that enqueues them; with
django-tasks-db they run in `manage.py db_worker`, as many as you like."""

from django.tasks import task
from django.utils import timezone

from registrations.outbox.schedule import queue_scheduled_mails as queue_due
from registrations.privacy.services import purge_expired


@task
def queue_scheduled_mails() -> dict:
    report = queue_due(now=timezone.now())
    return {
        "access_data": report.access_data,
        "reminders": report.reminders,
        "reconfirm_asked": report.reconfirm_asked,
        "seats_released": report.seats_released,
        "offers_expired": report.offers_expired,
    }


@task
def purge_expired_data() -> dict:
    """Erase the personal data whose retention period is over; enqueue it once a day."""
    reports = purge_expired(now=timezone.now())
    return {report.label: dict(report.counts) for report in reports}
