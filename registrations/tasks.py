"""Background work of registrations: queueing mails that are due, releasing seats that are due,
erasing expired data (delivering the outbox is `registrations.outbox.tasks.send_outbox`).

With TASKS_BACKEND=immediate these run at once in the process that enqueues them; with
django-tasks-db they run in `manage.py db_worker`, as many as you like."""

from django.tasks import task
from django.utils import timezone

from registrations.outbox.schedule import queue_scheduled_mails as queue_due
from registrations.privacy.services import purge_expired
from registrations.reconfirmation import release_due


@task
def queue_scheduled_mails() -> dict:
    report = queue_due(now=timezone.now())
    return {
        "access_data": report.access_data,
        "reminders": report.reminders,
        "reconfirm_asked": report.reconfirm_asked,
    }


@task
def release_due_seats() -> dict:
    """Release the seats not reconfirmed by the deadline and the offers that expired."""
    report = release_due(now=timezone.now())
    return {"seats_released": report.released, "offers_expired": report.expired}


@task
def purge_expired_data() -> dict:
    """Erase the personal data whose retention period is over; enqueue it once a day."""
    reports = purge_expired(now=timezone.now())
    return {report.label: dict(report.counts) for report in reports}
