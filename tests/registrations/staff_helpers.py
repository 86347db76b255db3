"""Helpers of the organiser-page tests: registrations made through the services, page query
counts and clients (events and organisers come from tests/factories.py)."""

from datetime import datetime, timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.text import slugify

from registrations.models import Registration
from registrations.services import register
from registrations.submissions import RegistrationData


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
