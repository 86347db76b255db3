"""Cancelled and closed events on the public pages: no invitation to register where none is taken
(no other ways to register, no seats left, no calendar entry for a cancelled event), and never an
empty heading."""

from datetime import timedelta

import pytest

pytestmark = pytest.mark.django_db


def cancelled(event):
    event.status = "cancelled"
    event.save()
    return event


def test_a_cancelled_event_offers_no_registration_seats_or_calendar(client, make_event):
    event = cancelled(make_event(format="onsite", registration_phone="0231 123", registration_email="a@stadt.example"))
    page = client.get(event.get_absolute_url()).text
    assert "Weitere Wege zur Anmeldung" not in page and "0231 123" not in page
    assert "Plätze frei" not in page and "Platz frei" not in page
    assert "kalender.ics" not in page
    home = client.get("/").text
    assert "Abgesagt" in home and "Plätze frei" not in home


def test_an_event_without_mail_or_phone_shows_no_empty_heading(client, make_event):
    event = make_event(format="onsite", registration_phone="", registration_email="")
    assert "Weitere Wege zur Anmeldung" not in client.get(event.get_absolute_url()).text


def test_an_open_event_lists_the_other_ways(client, make_event):
    event = make_event(format="onsite", registration_phone="0231 123")
    page = client.get(event.get_absolute_url()).text
    assert "Weitere Wege zur Anmeldung" in page and "0231 123" in page


def test_a_running_event_closed_for_registration_shows_no_seats_or_waiting_list(client, make_event, now):
    event = make_event(
        format="onsite",
        onsite=1,
        starts_at=now - timedelta(minutes=30),
        opens=now - timedelta(days=5),
        closes=now - timedelta(hours=1),
    )
    home = client.get("/").text
    assert event.title in home
    assert "Warteliste" not in home and "Plätze frei" not in home and "Platz frei" not in home
    assert "Die Anmeldung für diese Veranstaltung ist geschlossen." in home
    assert "Warteliste" not in client.get(event.get_absolute_url()).text


def test_the_date_line_reads_german_on_german_pages_and_english_on_english_ones(client, make_event):
    from django.utils import timezone

    event = make_event(format="onsite")
    start = timezone.localtime(event.starts_at, timezone.get_default_timezone())
    german = client.get(f"/veranstaltungen/{event.slug}/").text
    english = client.get(f"/en/veranstaltungen/{event.slug}/").text
    assert f"{start:%A}, {start.day} {start:%B %Y, %H:%M}" in english
    assert "o’clock" not in english and "Uhr" not in english
    assert " Uhr</p>" in german
