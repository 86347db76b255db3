"""XSS and SQL-injection strings sent through every form and API field come out escaped
wherever they are shown: pages, mails, CSV exports (formula cells neutralised), calendar files;
and the database is still whole."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events.models import Event
from ideas.models import Idea, WorkingGroup
from registrations.mail.compose import render
from registrations.models import OutboxMail, Registration
from tests.factories import bearer
from tests.security.world import build_world

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE events_event; --"
FORMULA = '=HYPERLINK("http://evil")'
PAYLOADS = [SCRIPT, IMG, SQL, FORMULA]
RAW_MARKUP = ["<script>alert(1)", "<img src=x onerror"]
FORMULA_START = ("=", "+", "-", "@")


@pytest.fixture
def world(db, settings):
    settings.RATE_LIMITS = {}
    return build_world()


def api(method: str, path: str, body: dict, token: str | None = None):
    response = Client().generic(
        method,
        path,
        data=json.dumps(body),
        content_type="application/json",
        headers=bearer(token) if token else {},
    )
    assert response.status_code in (200, 201, 202), f"{path}: {response.status_code} {response.text}"
    return response.json()


def assert_no_raw_markup(text: str, where: str):
    for raw in RAW_MARKUP:
        assert raw not in text, f"unescaped {raw!r} in {where}"


def assert_no_formula_cells(text: str, where: str):
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;")
    for row in csv.reader(io.StringIO(text), dialect):
        for cell in row:
            assert not cell.startswith(FORMULA_START), f"formula cell {cell!r} in {where}"


def send_everything(world) -> list[Event]:
    """Every payload through every field that takes free text, by API and by form."""
    now = timezone.now()
    organiser_client = Client()
    organiser_client.force_login(world.organiser)
    events = []
    for number, payload in enumerate(PAYLOADS):
        created = api(
            "POST",
            "/api/events",
            {
                "title": f"{payload} {number}",
                "title_en": payload,
                "description": payload,
                "format": "hybrid",
                "starts_at": (now + timedelta(days=10)).isoformat(),
                "ends_at": (now + timedelta(days=10, hours=2)).isoformat(),
                "registration_opens_at": (now - timedelta(days=1)).isoformat(),
                "registration_closes_at": (now + timedelta(days=5)).isoformat(),
                "venue": {"name": payload, "address": payload, "accessibility_notes": payload},
                "seats": {"onsite": {"capacity": 50}, "online": {"capacity": 50}},
                "terms": {"text": payload, "text_en": payload},
                "keyword": f"sweep {number}",
                "registration_phone": payload[:40],
                "status": "published",
            },
            world.organiser_token,
        )
        event = Event.objects.get(slug=created["slug"])
        event.team.add(world.organiser)
        events.append(event)
        api(
            "POST",
            f"/api/events/{event.slug}/registrations",
            {
                "name": payload,
                "email": f"api{number}@example.org",
                "seat": "online",
                "accept_terms": True,
                "needs": payload,
                "language": "de",
            },
        )
        web = Client().post(
            reverse("registrations:register", args=[event.slug]),
            {
                "name": payload,
                "email": f"web{number}@example.org",
                "seat_type": "onsite",
                "language": "en",
                "needs": payload,
                "accept_terms": "on",
            },
        )
        assert web.status_code == 302, web.content.decode()[:2000]
        phone = organiser_client.post(
            reverse("staff:phone", args=[event.slug]),
            {
                "received_at": timezone.localtime(now).strftime("%Y-%m-%dT%H:%M"),
                "seat_type": "onsite",
                "name": payload,
                "phone": "0231 1234",
                "language": "de",
                "needs": payload,
                "accept_terms": "on",
            },
        )
        assert phone.status_code == 302, phone.content.decode()[:2000]
        api(
            "POST",
            f"/api/groups/{world.group.pk}/ideas",
            {"title": payload, "text": payload, "theme": payload[:50]},
            world.organiser_token,
        )
        api(
            "POST",
            "/api/working-groups",
            {"title": f"{payload} {number}", "description": payload},
            world.organiser_token,
        )
    return events


def test_injection_strings_are_stored_as_text_and_shown_escaped_everywhere(world):
    events = send_everything(world)
    client = Client()
    organiser = Client()
    organiser.force_login(world.organiser)

    # The database is whole, and holds the strings as the text they are.
    assert Event.objects.count() == 2 + len(PAYLOADS)
    assert Registration.objects.filter(name=SQL).count() == 3
    assert Idea.objects.filter(title=SCRIPT).exists()
    assert WorkingGroup.objects.filter(title__startswith=IMG).exists()

    pages = [
        "/",
        "/en/",
        reverse("ideas:working_groups"),
        reverse("ideas:event_ideas", args=[world.event.slug]),
        reverse("ideas:plenum", args=[world.event.slug]),
        reverse("ideas:organise", args=[world.event.slug]),
        reverse("ideas:organised:page", args=[world.group.pk]),
    ]
    pages += [reverse("ideas:working_group", args=[group.slug]) for group in WorkingGroup.objects.all()]
    pages += [reverse("ideas:idea", args=[idea.event.slug, idea.pk]) for idea in Idea.objects.public()]
    for event in events:
        slug = event.slug
        pages += [
            reverse("events:detail", args=[slug]),
            "/en" + reverse("events:detail", args=[slug]),
            reverse("staff:event", args=[slug]),
            reverse("staff:registrations", args=[slug]),
            reverse("outbox:list", args=[slug]),
            reverse("outbox:call_list", args=[slug]),
            reverse("checkin:search", args=[slug]) + "?q=alert",
        ]
        pages += [reverse("staff:registration", args=[slug, r.pk]) for r in event.registrations.all()]
    for page in pages:
        response = organiser.get(page)
        assert response.status_code == 200, page
        assert_no_raw_markup(response.content.decode(), page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(reverse("events:detail", args=[events[0].slug])).text

    # Mails: the HTML part is escaped; the calendar part keeps the text as text.
    mails = OutboxMail.objects.filter(registration__name__in=PAYLOADS)
    assert mails.count() == 2 * len(PAYLOADS)  # the phone registrations gave no address
    for mail in mails:
        message = render(mail)
        for content, mimetype in message.alternatives:
            if mimetype == "text/html":
                assert_no_raw_markup(content, f"HTML part of mail {mail.pk}")

    # Exports: no cell starts a formula.
    for event in events:
        export = organiser.get(reverse("staff:export", args=[event.slug]))
        assert_no_formula_cells(b"".join(export.streaming_content).decode("utf-8-sig"), "registration export")
    ideas_csv = organiser.get(reverse("ideas:event_export", args=[world.event.slug, "csv"])).streaming_content
    assert_no_formula_cells(b"".join(ideas_csv).decode("utf-8-sig"), "ideas export")
    for group in WorkingGroup.objects.all():
        backlog = organiser.get(reverse("ideas:working_group_export", args=[group.slug, "csv"]))
        assert_no_formula_cells(b"".join(backlog.streaming_content).decode("utf-8-sig"), "backlog export")

    # Calendar files: icalendar escapes, so the title comes back whole and adds no property.
    for event in events:
        ics = client.get(reverse("events:ics", args=[event.slug])).content
        vevent = next(iter(Calendar.from_ical(ics).walk("VEVENT")))
        assert str(vevent["SUMMARY"]).startswith(event.title)
        assert "ATTACH" not in vevent and "URL" not in str(vevent.get("LOCATION", ""))
    feed = Calendar.from_ical(client.get(reverse("events:feed")).content)
    assert {str(v["SUMMARY"]) for v in feed.walk("VEVENT")} >= {event.title for event in events}
