"""Events, registrations, check-ins and Zoom stays for the report and survey tests."""

from datetime import datetime, timedelta

from django.utils.text import slugify

from events.services import SeatPlan
from registrations.checkin.services import check_in_registration
from registrations.models import Registration
from registrations.services import register
from registrations.submissions import RegistrationData
from streaming.models import Attendance, ZoomMeeting
from tests.factories import scheduled_event


def past_event(organiser, *, slug: str, now: datetime, days_ago: int = 2, onsite=3, online=2):
    """Registration opened `days_ago + 8` days ago; the event ended `days_ago` days ago."""
    closes = now - timedelta(days=days_ago + 1, hours=3)
    return scheduled_event(
        organiser,
        slug=slug,
        opens=closes - timedelta(days=7),
        closes=closes,
        onsite=SeatPlan(capacity=onsite),
        online=SeatPlan(capacity=online),
    )


def sign_up(event, name: str, *, day: int = 0, seat="onsite", channel="web", feedback=True, language="de"):
    """Registered `day` days after registration opened (when registration was open)."""
    at = event.registration_opens_at + timedelta(days=day, hours=1)
    return register(
        event,
        RegistrationData(
            name=name,
            seat_type=seat,
            email=f"{slugify(name).replace('-', '.')}@example.org",
            language=language,
            phone="02305 1" if channel == "phone" else "",
            accept_terms=True,
            broadcast_consent=True,
            feedback_consent=feedback,
        ),
        channel=channel,
        received_at=at,
        now=at,
    )


def meeting_of(event) -> ZoomMeeting:
    meeting, _created = ZoomMeeting.objects.get_or_create(event=event, defaults={"meeting_id": 8_000_000 + event.pk})
    return meeting


def stay(registration, *, start_minute: int, minutes: int | None, key: str | None = None) -> Attendance:
    """A stay in the event's Zoom meeting, `start_minute` after the event's start."""
    event = registration.event
    joined = event.starts_at + timedelta(minutes=start_minute)
    return Attendance.objects.create(
        meeting=meeting_of(event),
        registration=registration,
        participant_key=key or f"p{registration.pk}",
        joined_at=joined,
        left_at=joined + timedelta(minutes=minutes) if minutes is not None else None,
        name=registration.name,
        email=registration.email,
    )


def checked_in(registration) -> Registration:
    event = registration.event
    check_in_registration(event, registration.pk, actor=None, now=event.starts_at)
    registration.refresh_from_db()
    return registration
