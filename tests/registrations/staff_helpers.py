"""Helpers of the organiser-page tests: events, organisers and registrations made through the
services, as the application makes them."""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.text import slugify

from events.services import SeatPlan, TermsData, VenueData, create_event
from registrations.models import Registration
from registrations.services import register
from registrations.submissions import RegistrationData


def make_organiser(username: str, **extra):
    """A staff account without a password (tests log in with force_login; no slow hashing)."""
    return get_user_model().objects.create_user(username, f"{username}@stadt.example", is_staff=True, **extra)


def make_event(organiser, *, slug: str, opens: datetime, closes: datetime, allocation="first_come", **seats: SeatPlan):
    return create_event(
        {
            "title_de": f"Bürgerdialog {slug}",
            "format": "hybrid" if len(seats) == 2 else next(iter(seats)),
            "starts_at": closes + timedelta(days=1),
            "ends_at": closes + timedelta(days=1, hours=2),
            "registration_opens_at": opens,
            "registration_closes_at": closes,
            "allocation": allocation,
            "status": "published",
        },
        seats=seats,
        venue=VenueData("Rathaus", "Europaplatz 1, 44575 Castrop-Rauxel") if "onsite" in seats else None,
        terms=TermsData(
            text_de="Ich bin einverstanden.",
            broadcast_consent_required=True,
            broadcast_text_de="Ich erscheine in der Übertragung.",
        ),
        slug=slug,
        actor=organiser,
        now=opens,
    )


def enter(event, name: str, *, at: datetime, seat="onsite", channel="web", email=None, phone="", actor=None):
    """A registration as the services make it; phone calls are entered a minute after the call."""
    return register(
        event,
        RegistrationData(
            name=name,
            seat_type=seat,
            email=f"{slugify(name).replace('-', '.')}@example.org" if email is None else email,
            phone=phone,
            accept_terms=True,
            broadcast_consent=True,
        ),
        channel=channel,
        received_at=at,
        now=at + timedelta(minutes=1) if channel == "phone" else at,
        actor=actor,
    )


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def statuses(event) -> list[tuple[str, str]]:
    return list(Registration.objects.filter(event=event).order_by("pk").values_list("name", "status"))


def client_of(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
