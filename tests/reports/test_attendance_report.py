"""Attendance reports: per event and per period, as a page with SVG charts and tables, and as CSV."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registrations.models import Status
from reports.attendance import event_report, period_report
from tests.registrations.staff_helpers import client_of
from tests.reports.report_helpers import checked_in, past_event, sign_up, stay

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_figures_of_an_event_count_channels_seats_shows_and_the_waiting_list(held, now):
    figures = event_report(held.event, now=now).total
    assert figures.registrations == 7 and figures.cancelled == 1
    assert dict(figures.channels) == {"web": 5, "phone": 1, "email": 1}
    assert dict(figures.seat_types) == {"onsite": 4, "online": 2}
    assert (figures.expected, figures.came, figures.no_shows, figures.show_rate) == (5, 3, 2, 60)
    assert (figures.checked_in, figures.joined_online) == (1, 2)
    assert figures.online_minutes == 30 + 45 + 60 and figures.average_online_minutes == 68
    assert (figures.promoted, figures.still_waiting, figures.left_waiting_list) == (1, 1, 0)
    assert figures.conversion_rate == 50
    assert held.frieda.status == Status.CONFIRMED and held.gustav.status == Status.WAITLISTED


def test_registrations_over_time_has_one_column_per_day_with_empty_days(held, now):
    over_time = event_report(held.event, now=now).over_time
    assert [count for _label, count in over_time] == [2, 1, 2, 1, 0, 1]


def test_before_the_event_ends_there_are_no_no_shows_yet(organiser, now):
    event = past_event(organiser, slug="bald", now=now)
    sign_up(event, "Anna Ahrens")
    figures = event_report(event, now=event.ends_at - timedelta(minutes=1)).total
    assert figures.expected == 1 and figures.no_shows is None and figures.show_rate is None


def test_the_event_page_shows_accessible_charts_with_tables_and_the_figures(client, held, organiser, english):
    response = client_of(organiser).get(reverse("reports:event", args=[held.event.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') == 5
    assert html.count('<title id="chart-') == 5 and html.count('<desc id="chart-') == 5
    assert html.count('<table class="kern-table kern-table--small">') == 6  # five charts and the figures
    assert "Registrations over time" in html and "Channels of the registrations" in html
    assert "60 %" in html and "50 %" in html
    assert "Bernd Bauer" not in html  # figures only, no names


def test_the_event_csv_has_a_line_per_registration_with_zoom_times_and_minutes(held, organiser):
    response = client_of(organiser).get(reverse("reports:event_csv", args=[held.event.slug]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    head, *rows = rows_of(response)
    assert len(rows) == 7
    by_name = {row[1]: dict(zip(head, row, strict=True)) for row in rows}
    clara = by_name["Clara Conrad"]
    start = timezone.localtime(held.event.starts_at, timezone.get_default_timezone())
    assert clara["Minuten online anwesend"] == "75"
    assert clara["Online zuerst beigetreten um"] == start.strftime("%Y-%m-%d %H:%M:%S")
    assert clara["Online zuletzt verlassen um"] == (start + timedelta(minutes=85)).strftime("%Y-%m-%d %H:%M:%S")
    assert clara["Online-Aufenthalte (beigetreten–verlassen)"].count("–") == 2
    assert clara["Gekommen"] == "ja"
    assert by_name["Anna Ahrens"]["Eingecheckt um"] and by_name["Anna Ahrens"]["Gekommen"] == "ja"
    assert by_name["Bernd Bauer"]["Gekommen"] == "nein"
    assert by_name["Frieda Fink"]["Von der Warteliste nachgerückt"] == "ja"


def test_a_stay_without_a_leave_counts_until_the_meeting_ended_and_overlaps_count_once(organiser, now):
    event = past_event(organiser, slug="zoom", now=now)
    person = sign_up(event, "Hanna Holz", seat="online")
    open_stay = stay(person, start_minute=0, minutes=None, key="laptop")
    stay(person, start_minute=10, minutes=20, key="phone")  # inside the first stay: counts once
    open_stay.meeting.ended_at = event.starts_at + timedelta(minutes=50)
    open_stay.meeting.save()
    assert event_report(event, now=now).online[person.pk].minutes == 50


def test_the_period_report_adds_up_the_organisers_events_in_the_period_only(client, held, organiser, outsider, now):
    older = past_event(organiser, slug="frueher", now=now, days_ago=40)
    checked_in(sign_up(older, "Ida Igel"))
    foreign = past_event(outsider, slug="fremd", now=now)
    sign_up(foreign, "Jens Jäger")
    today = timezone.localdate()
    recent = period_report([held.event], now=now).total
    response = client_of(organiser).get(
        reverse("reports:period"), {"start": (today - timedelta(days=10)).isoformat(), "end": today.isoformat()}
    )
    assert response.status_code == 200
    assert [event for event, _row in response.context["report"].events] == [held.event]
    assert response.context["figures"].registrations == recent.registrations == 7
    wide = client_of(organiser).get(
        reverse("reports:period"), {"start": (today - timedelta(days=60)).isoformat(), "end": today.isoformat()}
    )
    assert wide.context["figures"].registrations == 8 and wide.context["figures"].came == 4
    assert b"fremd" not in wide.content


def test_the_period_csv_has_a_line_per_event(held, organiser):
    today = timezone.localdate()
    response = client_of(organiser).get(
        reverse("reports:period_csv"), {"start": (today - timedelta(days=30)).isoformat(), "end": today.isoformat()}
    )
    head, *rows = rows_of(response)
    assert len(rows) == 1
    line = dict(zip(head, rows[0], strict=True))
    assert line["Anmeldungen"] == "7" and line["Gekommen"] == "3" and line["Quote der Erschienenen (%)"] == "60"
    assert line["Minuten online anwesend"] == "135" and line["Umwandlungsquote (%)"] == "50"


@pytest.mark.parametrize(
    "params, message",
    [
        ({"start": "2026-05-10", "end": "2026-05-01"}, "The last day must not be before the first day."),
        ({"start": "2020-01-01", "end": "2026-01-01"}, "A report covers at most three years"),
        ({"start": "gestern", "end": "2026-05-01"}, "Enter a valid date."),
        ({"start": "2026-05-01"}, "This field is required."),
    ],
    ids=["reversed", "too long", "not a date", "missing end"],
)
@pytest.mark.parametrize("name", ["reports:period", "reports:period_csv"])
def test_a_bad_period_is_refused_with_the_form_and_its_error(held, organiser, english, params, message, name):
    response = client_of(organiser).get(reverse(name), params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "report" not in response.context or response.context.get("report") is None


def test_the_report_pages_refuse_another_team_and_anonymous(held, organiser, outsider):
    for name in ("reports:event", "reports:event_csv"):
        url = reverse(name, args=[held.event.slug])
        assert client_of(organiser).get(url).status_code == 200
        assert client_of(outsider).get(url).status_code == 404
        anonymous = client_of(None).get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("staff:login"))
    assert client_of(None).get(reverse("reports:period")).status_code == 302


def queries_for(client, url: str, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


def grow(event, count: int, *, first: int = 0) -> None:
    for number in range(first, first + count):
        person = sign_up(event, f"Person Nummer{number}", day=number % 6, seat="online" if number % 2 else "onsite")
        if person.status == Status.CONFIRMED and person.seat_type == "online":
            stay(person, start_minute=number, minutes=10)
        elif person.status == Status.CONFIRMED:
            checked_in(person)


def test_query_counts_do_not_grow_with_registrations_or_events(organiser, now):
    client = client_of(organiser)
    event = past_event(organiser, slug="gross", now=now, onsite=100, online=100)
    grow(event, 3)
    today = timezone.localdate()
    period = {"start": (today - timedelta(days=60)).isoformat(), "end": today.isoformat()}
    pages = [
        (reverse("reports:event", args=[event.slug]), None),
        (reverse("reports:event_csv", args=[event.slug]), None),
        (reverse("reports:period"), period),
        (reverse("reports:period_csv"), period),
    ]
    few = [queries_for(client, url, params) for url, params in pages]
    grow(event, 40, first=3)
    for number in range(3):
        grow(past_event(organiser, slug=f"weitere-{number}", now=now, days_ago=3 + number), 5)
    many = [queries_for(client, url, params) for url, params in pages]
    assert many == few
    assert max(few) <= 16
