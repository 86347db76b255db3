"""Building the data the privacy tests erase: events in the past, mails, ideas."""

from datetime import timedelta

from django.utils import timezone

from events.models import Event
from ideas.models import BreakoutGroup, Idea
from registrations import services
from registrations.intake.models import IntakeMail, Outcome


def end_event(event: Event, *, days_ago: int) -> Event:
    """Move an event (and its registration window) into the past without the move service."""
    ends = timezone.now() - timedelta(days=days_ago)
    Event.objects.filter(pk=event.pk).update(
        starts_at=ends - timedelta(hours=2),
        ends_at=ends,
        registration_opens_at=ends - timedelta(days=20),
        registration_closes_at=ends - timedelta(days=3),
    )
    event.refresh_from_db()
    return event


def register(event, data, *, now, channel="web", actor=None):
    return services.register(event, data, channel=channel, received_at=now, now=now, actor=actor)


def intake_mail_from(registration, *, now, key="<abc@mail.example.org>") -> IntakeMail:
    return IntakeMail.objects.create(
        message_key=key,
        received_at=now,
        processed_at=now,
        sender_name=registration.name,
        sender_email=registration.email,
        subject=f"Anmeldung {registration.name}",
        body_excerpt=f"Hallo, ich bin {registration.name}, Telefon {registration.phone}, {registration.email}",
        outcome=Outcome.REGISTERED,
        detail=registration.name,
        event=registration.event,
        registration=registration,
    )


def idea_with_address(event, address, *, now) -> Idea:
    group = BreakoutGroup.objects.create(event=event, name=f"Tisch {Idea.objects.count()}", created_at=now)
    return Idea.objects.create(
        event=event,
        group=group,
        title="Mehr Bänke",
        source="moderator",
        submitter_email=address,
        updates_consent_at=now,
        created_at=now,
        updated_at=now,
    )
