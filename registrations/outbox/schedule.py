"""Mails that are due at a time rather than after a change: access data N hours before the start,
reminders, and the requests to reconfirm a seat (registrations/reconfirmation.py). Run every
minute or so by `manage.py send_outbox --loop` (or the `queue_scheduled_mails` task); running it
twice at once queues nothing twice. Seats are not released here: that is the seat release job's
(`manage.py release_seats --loop`), so that the mail worker only sends mail."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from events.models import Event, EventStatus
from registrations.mail import notices
from registrations.models import Registration, Status
from registrations.reconfirmation import ask_due


@dataclass
class ScheduledReport:
    access_data: int = 0
    reminders: int = 0
    reconfirm_asked: int = 0


def queue_scheduled_mails(*, now: datetime) -> ScheduledReport:
    report = ScheduledReport()
    for event in Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__gt=now):
        access_due = (event.access_data_due_at() or now) <= now
        reminder_due = event.reminder_due_at() is not None and event.reminder_due_at() <= now < event.starts_at
        if not (access_due or reminder_due):
            continue
        confirmed = Registration.objects.filter(event=event, status=Status.CONFIRMED).exclude(email="")
        with transaction.atomic():
            if access_due:
                waiting = confirmed.filter(seat_type="online", access_data_sent_at__isnull=True)
                if not event.has_online_access:
                    # Zoom API mode: only those whose personal link the streaming layer stored.
                    waiting = waiting.exclude(personal_join_url="")
                for registration in waiting:
                    registration.event = event
                    report.access_data += notices.send_access_data_if_due(registration, now=now)
            if reminder_due:
                for registration in confirmed.filter(reminder_sent_at__isnull=True):
                    registration.event = event
                    report.reminders += notices.send_reminder_if_due(registration, now=now)
    report.reconfirm_asked = ask_due(now=now)
    return report
