"""The demo's registrations (`manage.py load_demo`, through the `demo_loaded` signal): people
registered for the hybrid workshop ahead, and for the two past events, with check-ins, so that
seat lists, the door list and the period report show something from the first start."""

from datetime import datetime, timedelta

from events.demo import PAST_HYBRID_SLUG, PAST_ONSITE_SLUG, UPCOMING_HYBRID_SLUG
from events.models import Event
from registrations import services
from registrations.checkin.services import check_in_registration
from registrations.models import Registration, Status
from registrations.submissions import RegistrationData

NAMES = [
    "Anna Becker", "Bernd Schulte", "Canan Yilmaz", "Dieter Krause", "Elif Demir", "Frank Hoffmann",
    "Gisela Wagner", "Hakan Aydin", "Ingrid Neumann", "Jonas Richter", "Katarzyna Nowak", "Lukas Meyer",
    "Maria Schmidt", "Nils Fischer", "Olga Petrova", "Paul Weber", "Rita Kowalski", "Sven Braun",
]  # fmt: skip
# Per event: (on-site, online) registrations, and how many of those on site came.
PLANS = {
    PAST_HYBRID_SLUG: (12, 6, 10),
    PAST_ONSITE_SLUG: (14, 0, 11),
    UPCOMING_HYBRID_SLUG: (5, 4, 0),
}


def load(events: dict[str, Event], organiser, now: datetime) -> str | None:
    made = 0
    for slug, (onsite, online, came) in PLANS.items():
        event = events.get(slug)
        if event is None or Registration.objects.filter(event=event).exists():
            continue
        made += register_people(event, onsite=onsite, online=online, organiser=organiser, now=now)
        check_in_first(event, came, organiser=organiser)
    return f"{made} registrations" if made else None


def register_people(event: Event, *, onsite: int, online: int, organiser, now: datetime) -> int:
    """Registered over the first days of the registration window, one in three by phone."""
    opened = event.registration_opens_at
    seats = ["onsite"] * onsite + ["online"] * online
    for number, seat in enumerate(seats):
        received_at = min(opened + timedelta(hours=5 * number + 1), now)
        name = NAMES[number % len(NAMES)]
        by_phone = number % 3 == 2
        data = RegistrationData(
            name=name,
            seat_type=seat,
            email="" if by_phone else f"{name.split()[0].lower()}.{event.pk}@example.org",
            phone=f"02305 1002{number:02d}" if by_phone else "",
            language="en" if number % 5 == 4 else "de",
            accept_terms=True,
            broadcast_consent=True,
            companions=1 if number % 6 == 1 and seat == "onsite" else 0,
        )
        services.register(
            event,
            data,
            channel="phone" if by_phone else "web",
            received_at=received_at,
            now=received_at,
            actor=organiser if by_phone else None,
        )
    return len(seats)


def check_in_first(event: Event, count: int, *, organiser) -> None:
    door = Registration.objects.filter(event=event, seat_type="onsite", status=Status.CONFIRMED)
    for minute, registration in enumerate(door.order_by("received_at")[:count]):
        check_in_registration(event, registration.pk, actor=organiser, now=event.starts_at + timedelta(minutes=minute))
