"""The Zoom access data the streaming layer holds (the meeting's ID and passcode, a registrant's
personal join link) shows on exactly one page: the confirmed online registrant's own personal
page. No public page, feed or API answer, no other registrant's page, and no page of another
event's organisers contains it.

The data is stored as the Zoom sync stores it (tests/streaming covers the sync itself)."""

from datetime import timedelta
from urllib.parse import urlsplit

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from events.models import Event
from registrations.links import consent_url, manage_path
from registrations.mail.calendar import REQUEST, registration_calendar
from registrations.mail.compose import personal_links
from registrations.models import Registration
from streaming.models import SyncState, ZoomMeeting
from tests.factories import bearer
from tests.registrations.staff_helpers import enter
from tests.registrations.test_mail_access_data_never_public import START, crawl
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

MEETING_ID = 86420975310
PASSCODE = "Zq7Kw2Xp"
JOIN_URL = "https://zoom.example/w/86420975310?tk=NurFuerErika.Einwahl"
SECRETS = [str(MEETING_ID), "864 2097 5310", PASSCODE, "NurFuerErika.Einwahl"]


@pytest.fixture
def zoom_world(db):
    world = build_world()
    ZoomMeeting.objects.create(event=world.event, meeting_id=MEETING_ID, passcode=PASSCODE, state=SyncState.SYNCED)
    online = enter(world.event, "Erika Online", seat="online", at=world.now - timedelta(minutes=30))
    assert online.status == "confirmed"
    Registration.objects.filter(pk=online.pk).update(personal_join_url=JOIN_URL)
    online.refresh_from_db()
    return world, online


def leaks(bodies: dict[str, bytes]) -> dict[str, str]:
    return {path: secret for path, body in bodies.items() for secret in SECRETS if secret.encode() in body}


def test_the_confirmed_online_registrant_sees_it_on_the_personal_page(zoom_world):
    _world, online = zoom_world
    page = Client().get(manage_path(online)).content.decode()
    assert PASSCODE in page and str(MEETING_ID) in page and "NurFuerErika.Einwahl" in page


def test_no_public_page_feed_or_api_answer_contains_it(client, zoom_world):
    world, _online = zoom_world
    bodies = crawl(client, START + [f"/api/events/{event.slug}" for event in Event.objects.all()])
    assert any(path.startswith(f"/veranstaltungen/{world.event.slug}") for path in bodies)
    assert any(path.endswith(".ics") for path in bodies) and f"/api/events/{world.event.slug}" in bodies
    assert leaks(bodies) == {}


def test_no_other_personal_page_contains_it(client, zoom_world):
    world, online = zoom_world
    pages = [
        manage_path(world.registration),
        urlsplit(consent_url(online)).path,
        urlsplit(consent_url(world.registration)).path,
    ]
    bodies = {path: client.get(path).content for path in pages}
    assert all(client.get(path).status_code == 200 for path in pages)
    assert leaks(bodies) == {}


def test_a_cancelled_registrant_no_longer_sees_it(client, zoom_world):
    _world, online = zoom_world
    path = manage_path(online)
    Registration.objects.filter(pk=online.pk).update(status="cancelled")
    assert leaks({path: client.get(path).content}) == {}


def test_the_organisers_of_another_event_and_their_api_see_none_of_it(zoom_world):
    world, online = zoom_world
    outsider = Client()
    outsider.force_login(world.outsider)
    slug = world.event.slug
    paths = [
        reverse("staff:dashboard"),
        reverse("staff:event", args=[slug]),
        reverse("staff:registration", args=[slug, online.pk]),
        reverse("streaming:organiser_overview"),
        reverse("streaming:organiser_event", args=[slug]),
    ]
    bodies = {path: outsider.get(path).content for path in paths}
    headers = bearer(world.outsider_token)
    for path in (f"/api/events/{world.event.slug}", f"/api/events/{world.event.slug}/registrations"):
        bodies["api " + path] = Client().get(path, headers=headers).content
    assert leaks(bodies) == {}


def test_the_join_link_goes_into_the_registrants_own_calendar_entry_and_no_public_file(client, zoom_world):
    world, online = zoom_world
    Registration.objects.filter(pk=online.pk).update(access_data_sent_at=world.now)
    online.refresh_from_db()
    with translation.override(online.language):
        ics = registration_calendar(online, sequence=1, method=REQUEST, stamp=world.now, links=personal_links(online))
    own_entry = str(icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]["DESCRIPTION"])
    token = manage_path(online).rstrip("/").rsplit("/", 1)[1].split(":")[0]
    assert "NurFuerErika.Einwahl" in own_entry and token in own_entry, "the control: the entry has both"

    slug = world.event.slug
    public_files = [f"{prefix}/veranstaltungen.ics" for prefix in ("", "/en")] + [
        f"{prefix}/veranstaltungen/{slug}/kalender.ics" for prefix in ("", "/en")
    ]
    # Unfolded, so that a secret cut by a line fold is still found.
    bodies = {path: client.get(path).content.replace(b"\r\n ", b"") for path in public_files}
    assert all(client.get(path).status_code == 200 for path in public_files)
    assert leaks(bodies) == {}
    assert not any(token.encode() in body or b"/anmeldung/" in body for body in bodies.values())
