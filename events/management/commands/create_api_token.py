import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from events.models import OrganiserToken


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
        raw = "sdt_" + secrets.token_urlsafe(32)
        OrganiserToken.objects.create(user=user, key_hash=OrganiserToken.hash(raw))
        self.stdout.write(raw)
