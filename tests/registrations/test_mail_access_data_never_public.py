"""No page, API answer, public calendar or feed ever contains a join link, meeting ID or passcode.

The demo events get access data; then a crawler follows every public link from the start pages
(HTML links, API URLs, calendars, in both languages) and scans each response for it."""

import json
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from events import services as event_services
from events.models import Event
from registrations import services
from registrations.links import consent_url, manage_path

pytestmark = pytest.mark.django_db

JOIN_URL = "https://zoom.example/j/81234567890?pwd=NurFuerBestaetigte"
MEETING_ID = "812 3456 7890"
PASSCODE = "Trikala-2021"
SECRETS = [JOIN_URL, "81234567890", MEETING_ID, PASSCODE, "NurFuerBestaetigte"]
START = [
    "/",
    "/en/",
    "/vergangene/",
    "/veranstaltungen.ics",
    "/api/events",
    "/api/events?limit=100",
    "/api/openapi.json",
]
LINK = re.compile(r'(?:href|src|action|hx-get)="(/[^"]*)"')


def body_of(response) -> bytes:
    """Streamed answers (the open-data CSVs) are read to the end, like any other."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def public_links(response, body: bytes) -> list[str]:
    content_type = response.get("Content-Type", "")
    text = body.decode(errors="replace")
    if "html" in content_type:
        return [link.replace("&amp;", "&") for link in LINK.findall(text)]
    if "json" in content_type:
        return [url.split("testserver", 1)[1] for url in re.findall(r'"(http://testserver/[^"]+)"', text)]
    return []


def crawl(client, start: list[str], limit: int = 300) -> dict[str, bytes]:
    seen, queue, bodies = set(), list(start), {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen or path.startswith(("/static/", "/favicon.ico", "/admin/", "/api/docs")):
            continue
        seen.add(path)
        response = client.get(path)
        bodies[path] = body = body_of(response)
        if response.get("Content-Type", "").startswith("text/calendar"):
            # Unfolded (RFC 5545 3.1): a secret cut by a line fold would escape the scan.
            bodies[path] = body.replace(b"\r\n ", b"")
        queue += public_links(response, body)
    return bodies


@pytest.fixture
def demo_with_access_data(settings, now):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    for event in Event.objects.filter(format__in=["online", "hybrid"]):
        event_services.update_event(
            event,
            {
                "online_join_url": JOIN_URL,
                "online_meeting_id": MEETING_ID,
                "online_passcode": PASSCODE,
                "access_data_hours_before": None,
            },
            actor=None,
            now=now,
        )
    return Event.objects.get(slug="zoom-dialog-digitalisierung")


def test_no_public_response_contains_access_data(client, demo_with_access_data, person, now):
    zoom = demo_with_access_data
    services.register(zoom, person(seat="online"), channel="web", received_at=now, now=now)
    api = [
        f"/api/events/{event.slug}{part}"
        for event in Event.objects.all()
        for part in ("", "/live/questions", "/live/polls")
    ]
    bodies = crawl(client, START + api)
    assert len(bodies) >= 15
    assert any(path.endswith(".ics") for path in bodies) and any(path.startswith("/api/events/") for path in bodies)
    assert any(path.startswith("/en/veranstaltungen/") for path in bodies)
    leaks = {path: secret for path, body in bodies.items() for secret in SECRETS if secret.encode() in body}
    assert leaks == {}


def test_only_a_confirmed_online_registrant_sees_the_access_data_on_the_personal_page(
    client, demo_with_access_data, person, now
):
    zoom = event_services.update_event(
        demo_with_access_data, {}, seats={"online": event_services.SeatPlan(1)}, actor=None, now=now
    )
    seated = services.register(zoom, person(seat="online"), channel="web", received_at=now, now=now)
    waiting = services.register(zoom, person(seat="online"), channel="web", received_at=now, now=now)
    assert PASSCODE in client.get(manage_path(seated)).text
    for path in (manage_path(waiting), consent_url(waiting).split("8000", 1)[1]):
        assert all(secret not in client.get(path).text for secret in SECRETS)


def test_access_data_waits_for_the_chosen_time_on_the_personal_page(client, demo_with_access_data, person, now):
    zoom = event_services.update_event(demo_with_access_data, {"access_data_hours_before": 2}, actor=None, now=now)
    seated = services.register(zoom, person(seat="online"), channel="web", received_at=now, now=now)
    assert PASSCODE not in client.get(manage_path(seated)).text
    later = zoom.starts_at - timedelta(hours=1)
    with mock.patch.object(timezone, "now", return_value=later):
        assert PASSCODE in client.get(manage_path(seated)).text


def test_api_answers_to_organisers_and_registrants_contain_no_access_data(client, bearer, make_event, organiser, now):
    event = make_event(format="online", organiser=organiser)
    patch = client.patch(
        f"/api/events/{event.slug}",
        {
            "online_access": {"join_url": JOIN_URL, "meeting_id": MEETING_ID, "passcode": PASSCODE},
            "access_data_hours_before": None,
        },
        content_type="application/json",
        headers=bearer(organiser),
    )
    assert patch.status_code == 200
    event.refresh_from_db()
    assert (event.online_join_url, event.online_meeting_id, event.online_passcode) == (JOIN_URL, MEETING_ID, PASSCODE)
    registered = client.post(
        f"/api/events/{event.slug}/registrations",
        {"name": "Ada", "email": "ada@example.org", "seat": "online", "accept_terms": True},
        content_type="application/json",
    )
    organiser_view = client.get(f"/api/events/{event.slug}", headers=bearer(organiser))
    for response in (patch, registered, organiser_view):
        assert all(secret not in json.dumps(response.json()) for secret in SECRETS)


def test_patch_refuses_bad_access_data_and_clears_it_with_null(client, bearer, make_event, organiser):
    event = make_event(format="online", organiser=organiser)
    bad = client.patch(
        f"/api/events/{event.slug}",
        {"online_access": {"join_url": "not a url"}},
        content_type="application/json",
        headers=bearer(organiser),
    )
    assert bad.status_code == 422
    negative = client.patch(
        f"/api/events/{event.slug}",
        {"access_data_hours_before": -1},
        content_type="application/json",
        headers=bearer(organiser),
    )
    assert negative.status_code == 422
    client.patch(
        f"/api/events/{event.slug}",
        {"online_access": {"join_url": JOIN_URL}, "access_data_hours_before": 5},
        content_type="application/json",
        headers=bearer(organiser),
    )
    client.patch(
        f"/api/events/{event.slug}",
        {"online_access": None, "access_data_hours_before": None},
        content_type="application/json",
        headers=bearer(organiser),
    )
    event.refresh_from_db()
    assert (event.online_join_url, event.access_data_hours_before) == ("", None)


def test_patch_of_access_data_needs_the_events_organiser(client, bearer, make_event, organiser, other_organiser):
    event = make_event(format="online", organiser=organiser)
    body = {"online_access": {"join_url": JOIN_URL}}
    assert client.patch(f"/api/events/{event.slug}", body, content_type="application/json").status_code == 401
    other = client.patch(
        f"/api/events/{event.slug}", body, content_type="application/json", headers=bearer(other_organiser)
    )
    assert other.status_code == 404
    event.refresh_from_db()
    assert event.online_join_url == ""
