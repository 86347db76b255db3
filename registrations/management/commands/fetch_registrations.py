import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.workers import surviving_database_errors
from registrations.intake.imap import configured_account, fetch_new_mails
from registrations.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Turn new mails of the registration inbox (INTAKE_IMAP_URL) into registrations."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running; wait for new mail with IMAP IDLE.")
        parser.add_argument("--idle-seconds", type=int, default=300, help="Longest wait between two runs.")

    def handle(self, *args, loop=False, idle_seconds=300, **options):
        account = configured_account()
        if account is None:
            raise CommandError("INTAKE_IMAP_URL is not set.")
        while True:
            try:
                if loop:
                    surviving_database_errors(lambda: self.run_round(account), worker="fetch_registrations")
                else:
                    self.run_round(account)
            except OSError as error:
                if not loop:
                    raise CommandError(f"IMAP server not reachable: {error}") from error
                logger.warning("intake: IMAP server not reachable (%s); retrying", error)
            if not loop:
                return
            self.wait_for_mail(account, idle_seconds)

    def run_round(self, account):
        result = fetch_new_mails(account)
        self.stdout.write(f"processed {result.processed}, already known {result.skipped}")
        WorkerHeartbeat.beat("intake", now=timezone.now())

    def wait_for_mail(self, account, seconds):
        try:
            with account.connect() as mailbox:
                mailbox.idle.wait(timeout=seconds)
        except OSError:
            time.sleep(min(seconds, 30))
