from datetime import datetime, time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.berlin import BERLIN
from events import services
from events.demo import demo_events
from events.models import Event
from events.signals import demo_loaded

DEMO_USERNAME = "organisator"
DEMO_PASSWORD = "stadtdialog-demo"


class Command(BaseCommand):
    help = (
        "Create the demo: the dialogues of the city's press releases, a hybrid workshop, two past events with "
        "registrations, check-ins, breakout groups, ideas, votes and a working group, and an organiser login."
    )

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
        events = {}
        for spec in demo_events(timezone.localdate(now)):
            event = Event.objects.filter(slug=spec["slug"]).first()
            if event is None:
                made_on = spec.get("created")
                event = services.create_event(
                    spec["fields"],
                    seats=spec["seats"],
                    venue=spec["venue"],
                    terms=spec["terms"],
                    slug=spec["slug"],
                    actor=organiser,
                    now=datetime.combine(made_on, time(9), tzinfo=BERLIN) if made_on else now,
                )
            events[spec["slug"]] = event
        summary = [f"{Event.objects.count()} events"]
        for _receiver, line in demo_loaded.send(sender=Event, events=events, organiser=organiser, now=now):
            if line:
                summary.append(line)
        login = settings.SITE_URL + reverse("staff:login")
        dashboard = settings.SITE_URL + reverse("staff:dashboard")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {', '.join(summary)}.\n"
                f"Organiser login: {login} with {DEMO_USERNAME} / {DEMO_PASSWORD}; it leads to {dashboard}"
            )
        )
