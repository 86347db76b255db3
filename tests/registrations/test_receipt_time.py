"""Web and API registrations are received by the database's clock, so that web hosts whose
clocks disagree cannot reorder the queue; phone calls and mails keep their own time."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from registrations.models import Registration

pytestmark = pytest.mark.django_db

SKEW = timedelta(hours=3)


def database_time():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement_timestamp()")
        return cursor.fetchone()[0]


def api_body(email: str, **overrides) -> dict:
    values = {"name": "Maria Muster", "email": email, "seat": "onsite", "accept_terms": True, "language": "de"}
    return values | overrides


@pytest.fixture
def host_clock(monkeypatch):
    """This web host's clock, set off by the given amount from the truth."""
    real_now = timezone.now

    def set_off_by(offset: timedelta):
        monkeypatch.setattr(timezone, "now", lambda: real_now() + offset)

    return set_off_by


@pytest.mark.postgres
@pytest.mark.parametrize("offset", [SKEW, -SKEW], ids=["clock ahead", "clock behind"])
def test_an_api_registration_from_a_host_with_a_wrong_clock_gets_the_database_time(
    api_client, make_event, host_clock, offset
):
    event = make_event(format="onsite")
    host_clock(offset)
    before = database_time()
    response = api_client.post(f"/events/{event.slug}/registrations", api_body("maria@example.org"))
    assert response.status_code == 202, response.content
    received_at = Registration.objects.get(event=event).received_at
    assert before <= received_at <= database_time()


@pytest.mark.postgres
def test_a_web_form_registration_from_a_host_with_a_wrong_clock_gets_the_database_time(client, make_event, host_clock):
    event = make_event(format="onsite")
    host_clock(-SKEW)
    before = database_time()
    form = {"name": "Jonas Beispiel", "email": "jonas@example.org", "seat_type": "onsite", "language": "de"}
    client.post(f"/veranstaltungen/{event.slug}/anmelden/", form | {"accept_terms": "on"})
    received_at = Registration.objects.get(event=event).received_at
    assert before <= received_at <= database_time()


@pytest.mark.postgres
def test_a_host_whose_clock_is_behind_cannot_put_a_later_request_ahead_in_the_queue(api_client, make_event, host_clock):
    event = make_event(format="onsite", onsite=1)
    host_clock(SKEW)
    first = api_client.post(f"/events/{event.slug}/registrations", api_body("first@example.org"))
    host_clock(-SKEW)
    second = api_client.post(f"/events/{event.slug}/registrations", api_body("second@example.org"))
    third = api_client.post(f"/events/{event.slug}/registrations", api_body("third@example.org"))
    queue = list(Registration.objects.filter(event=event).order_by("queued_at").values_list("email", "status"))
    assert [first.status_code, second.status_code, third.status_code] == [202, 202, 202]
    assert queue == [
        ("first@example.org", "confirmed"),
        ("second@example.org", "waitlisted"),
        ("third@example.org", "waitlisted"),
    ]


def test_on_sqlite_a_web_registration_is_received_by_the_app_clock(api_client, make_event, host_clock):
    if connection.vendor != "sqlite":
        pytest.skip("the app's clock is the fallback for SQLite only")
    event = make_event(format="onsite")
    host_clock(-SKEW)
    skewed = timezone.now()
    response = api_client.post(f"/events/{event.slug}/registrations", api_body("maria@example.org"))
    assert response.status_code == 202, response.content
    received_at = Registration.objects.get(event=event).received_at
    assert skewed <= received_at <= timezone.now()


def test_a_phone_registration_keeps_the_time_the_organiser_entered(client, make_event, organiser, bearer, host_clock):
    event = make_event(format="onsite", organiser=organiser)
    call_time = timezone.now() - timedelta(hours=2)
    host_clock(SKEW)
    body = api_body("", channel="phone", phone="02305 106", received_at=call_time.isoformat())
    response = client.post(
        f"/api/events/{event.slug}/registrations", body, content_type="application/json", headers=bearer(organiser)
    )
    assert response.status_code == 201, response.content
    assert Registration.objects.get(pk=response.json()["id"]).received_at == call_time
