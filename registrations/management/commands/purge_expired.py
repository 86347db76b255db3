from django.core.management.base import BaseCommand
from django.utils import timezone

from registrations.privacy.services import purge_expired


class Command(BaseCommand):
    help = (
        "Erase the personal data of registrations whose event is past its retention period, consent "
        "records past their evidence period and old mails of no event (docs/privacy.md). Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only show what would be erased; change nothing.")

    def handle(self, *args, dry_run, **options):
        reports = purge_expired(now=timezone.now(), dry_run=dry_run)
        verb = "would erase" if dry_run else "erased"
        if not reports:
            self.stdout.write("Nothing to erase.")
        for report in reports:
            counts = ", ".join(f"{what}: {count}" for what, count in sorted(report.counts.items()))
            self.stdout.write(f"{report.label}: {verb} {counts}")
