"""Factories shared by the ideas tests (a plain module, so that it never clashes with another
directory's conftest)."""

from datetime import timedelta
from itertools import count

from django.contrib.auth import get_user_model
from django.utils import timezone

from events.models import Event, OrganiserToken
from ideas import services
from registrations.models import Registration

numbers = count(1)


def make_event(*, starts_in=timedelta(hours=-1), duration=timedelta(hours=3), status="published", team=()):
    number = next(numbers)
    start = timezone.now() + starts_in
    event = Event.objects.create(
        slug=f"dialog-{number}",
        title_de=f"Bürgerdialog {number}",
        title_en=f"Citizen dialogue {number}",
        format="online",
        starts_at=start,
        ends_at=start + duration,
        registration_opens_at=start - timedelta(days=20),
        registration_closes_at=start - timedelta(days=1),
        status=status,
    )
    event.team.add(*team)
    return event


def make_user(username: str, *, staff: bool = True, superuser: bool = False):
    return get_user_model().objects.create_user(
        username=username, password="not-used-here-1", is_staff=staff, is_superuser=superuser
    )


def api_token(user) -> str:
    raw = f"sdt_test_{user.username}_{next(numbers)}"
    OrganiserToken.objects.create(user=user, key_hash=OrganiserToken.hash(raw))
    return raw


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def add_idea(group, title: str, *, actor, now=None, **fields):
    idea, _created = services.add_idea(
        group, services.IdeaDraft(title=title, **fields), client_id=None, actor=actor, now=now or timezone.now()
    )
    return idea


def register(event, name: str, *, status: str = "confirmed") -> Registration:
    number = next(numbers)
    now = timezone.now()
    return Registration.objects.create(
        event=event,
        seat_type="online",
        name=name,
        email=f"person{number}@example.org",
        channel="web",
        received_at=now,
        entered_at=now,
        status=status,
        waitlist_position=1 if status == "waitlisted" else None,
        status_changed_at=now,
    )
