from django.utils import timezone

from core.workers import RoundsCommand
from streaming.zoom.client import api_configured
from streaming.zoom.sync import reconcile, sync_due


class Command(RoundsCommand):
    help = (
        "Bring Zoom in step: wish for what the signals may have missed, then send everything due. "
        "Once, or with --loop as the production catch-up worker (any number may run at once)."
    )
    worker = "sync_zoom"

    def handle(self, *args, **options):
        if not api_configured():
            self.stdout.write("No Zoom API credentials configured (manual mode): nothing to sync.")
            return
        super().handle(*args, **options)

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
