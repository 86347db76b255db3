"""Lists cost the same number of SQL queries however many events there are."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

LISTS = [
    ("/", "upcoming"),
    ("/en/", "upcoming"),
    ("/vergangene/", "past"),
    ("/api/events", "upcoming"),
    ("/veranstaltungen.ics", "upcoming"),
]


def title(number: int) -> str:
    return f"Dialog Nr. {number:03d}"


def add_events(make_event, organiser, numbers: range, when: str):
    for number in numbers:
        starts_at = timezone.now() + timedelta(days=(10 if when == "upcoming" else -10), hours=number)
        make_event(
            title_de=title(number),
            format=("onsite", "online", "hybrid")[number % 3],
            starts_at=starts_at,
            registration_opens_at=starts_at - timedelta(days=20),
            registration_closes_at=starts_at - timedelta(days=1),
            team=[organiser],
        )


def queries_for(client, url: str) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "when"), LISTS)
def test_list_uses_as_many_queries_for_50_events_as_for_3(client, make_event, organiser, url, when):
    add_events(make_event, organiser, range(3), when)
    few, _ = queries_for(client, url)

    add_events(make_event, organiser, range(3, 50), when)
    many, content = queries_for(client, url)

    assert all(title(number).encode() in content for number in range(50)), "all 50 events must be listed"
    assert many == few
