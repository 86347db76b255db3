import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.workers import surviving_database_errors
from registrations.models import MailState, OutboxMail, WorkerHeartbeat
from registrations.outbox.delivery import deliver_due
from registrations.outbox.schedule import queue_scheduled_mails


class Command(BaseCommand):
    help = (
        "Queue the mails that are due (access data, reminders) and send every due mail of the outbox. "
        "With --loop it keeps doing so: run it (or several) next to the web server."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running, one round every --interval seconds.")
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between rounds (default 30).")
        parser.add_argument(
            "--retry-now",
            action="store_true",
            help="After a mail server outage: try every waiting mail now instead of after its backoff.",
        )

    def handle(self, *args, loop, interval, retry_now, **options):
        if retry_now:
            waiting = OutboxMail.objects.filter(state=MailState.QUEUED, next_attempt_at__gt=timezone.now())
            self.stdout.write(f"{waiting.update(next_attempt_at=timezone.now())} waiting mails are due now.")
        if not loop:
            self.run_round()
            return
        while True:
            surviving_database_errors(self.run_round, worker="send_outbox")
            time.sleep(interval)

    def run_round(self):
        scheduled = queue_scheduled_mails(now=timezone.now())
        report = deliver_due(now=timezone.now())
        WorkerHeartbeat.beat("outbox", now=timezone.now())
        asked, released, expired = scheduled.reconfirm_asked, scheduled.seats_released, scheduled.offers_expired
        if any((scheduled.access_data, scheduled.reminders, asked, released, expired)) or any(
            (report.sent, report.retrying, report.failed)
        ):
            self.stdout.write(
                f"queued {scheduled.access_data} access data and {scheduled.reminders} reminders; "
                f"reconfirmation: asked {asked}, released {released}, offers expired {expired}; "
                f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}"
            )
