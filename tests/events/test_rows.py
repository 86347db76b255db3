"""`insert_all()`: many new rows with one statement, as `bulk_create()` would write them."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import AuditEntry, Event, SeatPool
from events.rows import insert_all, select_rows

pytestmark = pytest.mark.django_db


def test_rows_are_written_with_their_values_and_get_their_keys_in_order(make_event):
    event = make_event()
    now = timezone.now()
    entries = [
        AuditEntry(at=now + timedelta(seconds=n), action=f"test.{n}", event=event, data={"n": n, "text": "Grüße „x“"})
        for n in range(300)
    ]
    with CaptureQueriesContext(connection) as queries:
        insert_all(entries)
    # One statement on PostgreSQL; on SQLite as many as its parameter limit needs, never one per row.
    assert len(queries) == 1 if connection.vendor == "postgresql" else len(queries) < 10
    stored = {entry.pk: entry for entry in AuditEntry.objects.filter(action__startswith="test.")}
    assert len(stored) == 300
    for n, entry in enumerate(entries):
        row = stored[entry.pk]
        assert (row.action, row.data, row.at, row.event_id) == (
            f"test.{n}",
            {"n": n, "text": "Grüße „x“"},
            entry.at,
            event.pk,
        )
        assert not entry._state.adding


def test_nothing_to_insert_asks_nothing():
    with CaptureQueriesContext(connection) as queries:
        assert insert_all([]) == []
    assert len(queries) == 0


def test_a_refused_row_refuses_the_whole_statement(make_event):
    event = make_event(format="onsite", onsite=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_all(
            [
                SeatPool(event=event, seat_type="online", capacity=5),
                SeatPool(event=event, seat_type="onsite", capacity=5),
            ]
        )
    assert list(event.seat_pools.values_list("seat_type", flat=True)) == ["onsite"]


def test_rows_read_back_as_the_orm_reads_them(make_event):
    event = make_event()
    now = timezone.now().replace(microsecond=123456)
    insert_all([AuditEntry(at=now, action="read.back", event=event, data={"ä": [1, 2]})])
    (entry,) = select_rows(AuditEntry, "action = %s", ["read.back"])
    assert (entry.at, entry.data, entry.event_id) == (now, {"ä": [1, 2]}, event.pk)
    assert entry == AuditEntry.objects.get(action="read.back")
    assert select_rows(AuditEntry, "action = %s", ["nothing.here"]) == []


def test_a_public_event_is_read_with_its_newest_terms_and_a_draft_not_at_all(make_event):
    event = make_event(broadcast=True)
    older = event.current_terms()
    newer = event.consent_terms.create(version=older.version + 1, text_de="Neue Bedingungen")
    found = Event.public_with_terms(event.pk)
    assert found == event and found.current_terms() == newer
    Event.objects.filter(pk=event.pk).update(status="draft")
    assert Event.public_with_terms(event.pk) is None
