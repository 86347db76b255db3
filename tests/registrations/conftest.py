from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from events import services as event_services
from events.models import OrganiserToken
from events.services import SeatPlan, TermsData, VenueData
from registrations.submissions import RegistrationData


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def make_event(db, now):
    """An event open for registration, built through the real service."""
    counter = iter(range(1, 10_000))

    def make(
        *,
        format="hybrid",
        allocation="first_come",
        onsite=60,
        online=40,
        reserved=0,
        broadcast=False,
        organiser=None,
        opens=None,
        closes=None,
        status="published",
        keyword=None,
        max_companions=0,
    ):
        number = next(counter)
        seats = {}
        if format in ("onsite", "hybrid"):
            seats["onsite"] = SeatPlan(onsite, reserved)
        if format in ("online", "hybrid"):
            seats["online"] = SeatPlan(online, 0)
        starts = now + timedelta(days=10)
        return event_services.create_event(
            {
                "title_de": f"Bürgerdialog {number}",
                "format": format,
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=2),
                "keyword": keyword or f"Dialog {number}",
                "registration_opens_at": opens or now - timedelta(days=1),
                "registration_closes_at": closes or now + timedelta(days=5),
                "allocation": allocation,
                "status": status,
                "max_companions": max_companions,
            },
            seats=seats,
            venue=VenueData("DIEZE", "Erinstraße 6, Castrop-Rauxel") if format != "online" else None,
            terms=TermsData(
                text_de="Ich bin einverstanden.",
                text_en="I agree.",
                broadcast_consent_required=broadcast,
                broadcast_text_de="Ich darf gefilmt werden." if broadcast else "",
            ),
            actor=organiser,
            now=now,
        )

    return make


@pytest.fixture
def person(request):
    counter = iter(range(1, 1_000_000))

    def make(seat="onsite", **overrides):
        number = next(counter)
        values = {
            "name": f"Person {number}",
            "email": f"person{number}@example.org",
            "seat_type": seat,
            "accept_terms": True,
            "broadcast_consent": True,
            # Registrants write in English where a test reads the English texts (mail_fixtures).
            "language": "en" if "in_english" in request.fixturenames else "de",
        }
        values.update(overrides)
        return RegistrationData(**values)

    return make


@pytest.fixture
def make_organiser(db):
    def make(username):
        user = get_user_model().objects.create_user(username=username, password="x-secret-pass-1", is_staff=True)
        raw = f"token-{username}"
        OrganiserToken.objects.create(user=user, key_hash=OrganiserToken.hash(raw))
        user.raw_token = raw
        return user

    return make


@pytest.fixture
def organiser(make_organiser):
    return make_organiser("anna")


@pytest.fixture
def other_organiser(make_organiser):
    return make_organiser("bernd")


@pytest.fixture
def bearer():
    def headers(user):
        return {"Authorization": f"Bearer {user.raw_token}"}

    return headers
