from django.utils import timezone

from core.workers import RoundsCommand
from registrations.reconfirmation import release_due


class Command(RoundsCommand):
    help = (
        "Release the seats that are due: those not reconfirmed by the deadline and the offers that "
        "expired, each going on to the waiting list. With --loop it keeps doing so: run it next to "
        "the web server (more than one is safe: every release takes the seat pool lock)."
    )
    worker = "release_seats"

    def run_round(self):
        report = release_due(now=timezone.now())
        if report.released or report.expired:
            self.stdout.write(f"released {report.released} seats not reconfirmed and {report.expired} expired offers")
