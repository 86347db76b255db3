from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from events import services
from events.demo import demo_events
from events.models import Event

DEMO_USERNAME = "organisator"
DEMO_PASSWORD = "stadtdialog-demo"


class Command(BaseCommand):
    help = "Create the three demo dialogues from the city's press releases and an organiser login."

    def add_arguments(self, parser):
        parser.add_argument("--allow-production", action="store_true", help="Run even with DEBUG off.")

    @transaction.atomic
    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("load_demo creates a login with a published password; it runs only with DEBUG=true.")
        now = timezone.now()
        organiser, created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True, "first_name": "Demo", "last_name": "Organisator"}
        )
        if created:
            organiser.set_password(DEMO_PASSWORD)
            organiser.save()
        for spec in demo_events(timezone.localdate(now)):
            if Event.objects.filter(slug=spec["slug"]).exists():
                continue
            services.create_event(
                spec["fields"],
                seats=spec["seats"],
                venue=spec["venue"],
                terms=spec["terms"],
                slug=spec["slug"],
                actor=organiser,
                now=now,
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {Event.objects.count()} events. Organiser login at /admin/: "
                f"{DEMO_USERNAME} / {DEMO_PASSWORD}"
            )
        )
