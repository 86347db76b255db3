import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.workers import surviving_database_errors
from streaming.zoom.client import api_configured
from streaming.zoom.sync import reconcile, sync_due


class Command(BaseCommand):
    help = (
        "Bring Zoom in step: wish for what the signals may have missed, then send everything due. "
        "Once, or with --loop as the production catch-up worker (any number may run at once)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running, one round every --interval seconds.")
        parser.add_argument("--interval", type=float, default=30.0)

    def handle(self, *args, loop=False, interval=30.0, **options):
        if not api_configured():
            self.stdout.write("No Zoom API credentials configured (manual mode): nothing to sync.")
            return
        if not loop:
            self.run_round()
            return
        while True:
            surviving_database_errors(self.run_round, worker="sync_zoom")
            time.sleep(interval)

    def run_round(self):
        now = timezone.now()
        made_due = reconcile(now=now)
        report = sync_due(now=now)
        self.stdout.write(
            f"{now:%Y-%m-%d %H:%M:%S} catch-up {made_due}, synced {report.synced}, "
            f"retrying {report.retrying}, failed {report.failed}"
        )
        for error in report.errors[:10]:
            self.stderr.write(f"  {error}")
