"""The CSV export of the registration list: streamed, spreadsheet-safe, readable in Excel."""

import codecs
import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.csv import CHUNK_SIZE, neutralise
from registrations.models import Registration
from tests.registrations.staff_helpers import enter

pytest_plugins = ["tests.registrations.staff_fixtures"]
pytestmark = pytest.mark.usefixtures("staff_english")

BERLIN = ZoneInfo("Europe/Berlin")


def read_csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content)
    assert content.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_the_export_streams_every_registration_in_order_of_receipt(staff_client, staff_event, staff_now):
    enter(staff_event, "Jürgen Größe", seat="online", at=staff_now - timedelta(hours=2))
    call = staff_now - timedelta(hours=3)
    enter(staff_event, "Anna Anruf", seat="onsite", channel="phone", email="", phone="02305 1", at=call)

    response = staff_client.get(reverse("staff:export", args=[staff_event.slug]))

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="anmeldungen-digitalisierung-')
    assert response["Cache-Control"].startswith("max-age=0, no-cache, no-store")
    header, *rows = read_csv(response)
    assert header[:4] == ["No.", "Received at", "Name", "E-mail address"]
    assert [row[2] for row in rows] == ["Anna Anruf", "Jürgen Größe"]
    anna = dict(zip(header, rows[0], strict=True))
    received = Registration.objects.get(name="Anna Anruf").received_at
    assert anna["Received at"] == timezone.localtime(received, BERLIN).strftime("%Y-%m-%d %H:%M:%S")
    assert (anna["Channel"], anna["Seat"], anna["Status"]) == ("phone", "on-site seat", "confirmed")


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(staff_client, staff_event, staff_now):
    enter(
        staff_event,
        '=HYPERLINK("http://evil.example","Klick")',
        email="formel@example.org",
        phone="+49 2305 106",
        seat="online",
        at=staff_now - timedelta(hours=1),
    )
    enter(staff_event, "-2+3", email="minus@example.org", seat="online", at=staff_now - timedelta(minutes=50))
    Registration.objects.filter(name="-2+3").update(needs="@SUM(A1:A9)")

    header, *rows = read_csv(staff_client.get(reverse("staff:export", args=[staff_event.slug])))

    formula, minus = (dict(zip(header, row, strict=True)) for row in rows)
    assert formula["Name"] == '\'=HYPERLINK("http://evil.example","Klick")'
    assert formula["Phone number"] == "'+49 2305 106"
    assert minus["Name"] == "'-2+3"
    assert minus["Accessibility or interpretation needs"] == "'@SUM(A1:A9)"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Müller", "Müller"),
        ("a=b", "a=b"),
        ("", ""),
        (7, 7),
    ],
)
def test_neutralise_prefixes_only_cells_that_start_a_formula(value, expected):
    assert neutralise(value) == expected


def test_the_export_follows_the_filters_of_the_list(staff_client, staff_event, staff_now):
    for minutes, name in ((30, "Erste"), (20, "Zweite"), (10, "Dritte")):
        enter(staff_event, name, seat="online", at=staff_now - timedelta(minutes=minutes))

    url = reverse("staff:export", args=[staff_event.slug])
    _header, *rows = read_csv(staff_client.get(url, {"status": "waitlisted", "seat_type": "online"}))

    assert [row[2] for row in rows] == ["Dritte"]


def test_the_rows_are_read_while_streaming_not_before(staff_client, staff_event, staff_now):
    enter(staff_event, "Erste", seat="online", at=staff_now - timedelta(minutes=30))

    with CaptureQueriesContext(connection) as before_streaming:
        response = staff_client.get(reverse("staff:export", args=[staff_event.slug]))
    with CaptureQueriesContext(connection) as while_streaming:
        rows = read_csv(response)

    assert not any("registrations_registration" in query["sql"] for query in before_streaming)
    assert any("registrations_registration" in query["sql"] for query in while_streaming)
    assert len(rows) == 2


def test_a_long_list_leaves_in_chunks(staff_client, staff_event, staff_now):
    now = timezone.now()
    Registration.objects.bulk_create(
        Registration(
            event=staff_event,
            seat_type="online",
            name=f"Person {number}",
            channel="web",
            status="waitlisted",
            waitlist_position=number,
            received_at=staff_now - timedelta(seconds=number),
            queued_at=staff_now - timedelta(seconds=number),
            entered_at=now,
            status_changed_at=now,
        )
        for number in range(1, 2 * CHUNK_SIZE + 2)
    )

    response = staff_client.get(reverse("staff:export", args=[staff_event.slug]))
    chunks = list(response.streaming_content)

    assert len(chunks) == 1 + 3
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 2 * CHUNK_SIZE + 1
    assert rows[1][2] == f"Person {2 * CHUNK_SIZE + 1}"
