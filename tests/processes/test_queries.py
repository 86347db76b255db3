"""The process page reads a fixed number of queries, however many events, ideas and items."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ideas.models import BacklogStatus
from tests.factories import EventFactory, register, registration_data
from tests.processes.conftest import add_idea, add_working_group


def fill(process, count: int):
    make = EventFactory(format="online", title="Labor")
    now = timezone.now()
    for number in range(count):
        event = make()
        process.events.add(event)
        register(event, registration_data(number, seat="online"), now)
        add_idea(event, f"Idee {number}")
    process.working_groups.add(
        add_working_group(f"ag-{count}", items=[(f"Punkt {n}", BacklogStatus.DONE) for n in range(count)])
    )


def queries_for(url: str) -> int:
    client = Client()
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_process_page_and_its_open_data_read_as_many_queries_for_3_as_for_30_events(process):
    fill(process, 3)
    few = [
        queries_for(url)
        for url in ("/prozesse/digitalstrategie/", "/prozesse/digitalstrategie/offene-daten.json", "/prozesse/")
    ]
    fill(process, 27)
    many = [
        queries_for(url)
        for url in ("/prozesse/digitalstrategie/", "/prozesse/digitalstrategie/offene-daten.json", "/prozesse/")
    ]
    assert few == many
