from django.utils import timezone

from core.workers import RoundsCommand
from registrations.models import MailState, OutboxMail, WorkerHeartbeat
from registrations.outbox.delivery import deliver_due
from registrations.outbox.schedule import queue_scheduled_mails


class Command(RoundsCommand):
    help = (
        "Queue the mails that are due (access data, reminders, requests to reconfirm) and send every due "
        "mail of the outbox. "
        "With --loop it keeps doing so: run it (or several) next to the web server."
    )
    worker = "send_outbox"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--retry-now",
            action="store_true",
            help="After a mail server outage: try every waiting mail now instead of after its backoff.",
        )

    def handle(self, *args, retry_now, **options):
        if retry_now:
            waiting = OutboxMail.objects.filter(state=MailState.QUEUED, next_attempt_at__gt=timezone.now())
            self.stdout.write(f"{waiting.update(next_attempt_at=timezone.now())} waiting mails are due now.")
        super().handle(*args, **options)

    def run_round(self):
        scheduled = queue_scheduled_mails(now=timezone.now())
        report = deliver_due(now=timezone.now())
        WorkerHeartbeat.beat("outbox", now=timezone.now())
        if any((scheduled.access_data, scheduled.reminders, scheduled.reconfirm_asked)) or any(
            (report.sent, report.retrying, report.failed)
        ):
            self.stdout.write(
                f"queued {scheduled.access_data} access data, {scheduled.reminders} reminders and "
                f"{scheduled.reconfirm_asked} requests to reconfirm; "
                f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}"
            )
