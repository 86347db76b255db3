from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from events import services


class Command(BaseCommand):
    help = "Print a new API token for USERNAME (created as an organiser without events if new)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user, created = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": True})
        if created:
            user.set_unusable_password()
            user.save()
            self.stderr.write(f"Created organiser {username} (no events yet).")
        self.stdout.write(services.issue_api_token(user, now=timezone.now()))
