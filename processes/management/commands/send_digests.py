from django.core.management.base import BaseCommand
from django.utils import timezone

from processes.digests import send_digests


class Command(BaseCommand):
    help = "Queue the news digest of processes and working groups for their confirmed subscribers (run daily)."

    def handle(self, *args, **options):
        sent = send_digests(now=timezone.now())
        self.stdout.write(f"{sent} digest mails queued")
