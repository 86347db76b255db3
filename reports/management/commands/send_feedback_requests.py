from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from reports.feedback.services import send_due_invitations


class Command(BaseCommand):
    help = (
        "Mail the survey link of every event that ended at least --after-hours ago (and at most "
        "--within-days ago) and has a survey written by its organisers, to those who came and agreed. "
        "Safe to run often: nobody gets a second link (docs/reports.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--after-hours", type=int, default=24, help="Hours after the end of the event (24).")
        parser.add_argument("--within-days", type=int, default=14, help="Ignore events that ended before (14).")

    def handle(self, *args, after_hours, within_days, **options):
        if after_hours < 0 or within_days < 1:
            self.stderr.write("--after-hours must be 0 or more and --within-days 1 or more.")
            raise SystemExit(2)
        sent = send_due_invitations(
            now=timezone.now(), after=timedelta(hours=after_hours), within=timedelta(days=within_days)
        )
        if not sent:
            self.stdout.write("No event is due.")
        for slug, outcome in sent.items():
            self.stdout.write(f"{slug}: {outcome.invited} sent, {outcome.already_invited} invited before")
