"""`insert_all()`: many new rows with one statement, as `bulk_create()` would write them."""

import uuid
from datetime import timedelta

import pytest
from django.db import DataError, IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.rows import insert_all, select_rows
from events.models import AuditEntry, Event, SeatPool

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


def test_values_of_every_kind_are_written_as_the_orm_writes_them(make_event):
    """Texts with quotes and umlauts, JSON, bytes, keys, NULLs and datetimes to the microsecond:
    rows written together read back like a row the ORM saved."""
    from registrations.models import OutboxMail

    event = make_event()
    at = timezone.now().replace(microsecond=654321)

    def mail(n, **values):
        return OutboxMail(
            event=event,
            kind="intake",
            to=f"p{n}@example.org",
            language="de",
            facts={"outcome": "no_keyword", "open": [{"title": 'Grüße „x“ \\ "y"', "n": n}], "none": None},
            message_id=f"<{n}.{uuid.uuid4().hex}@example.org>",
            subject='Betreff mit "Anführung" und \\ und \x7f',
            next_attempt_at=at,
            created_at=at,
            **values,
        )

    token = uuid.uuid4()
    together = [mail(n, rendered=b"\x00\xffbytes" if n else None, claim_token=token if n else None) for n in range(3)]
    insert_all(together)
    alone = mail(9, rendered=b"\x00\xffbytes", claim_token=token)
    alone.save()
    fields = [f.attname for f in OutboxMail._meta.concrete_fields if f.attname not in ("id", "to", "message_id")]

    def stored(pk):
        row = OutboxMail.objects.values(*fields).get(pk=pk)
        row["rendered"] = None if row["rendered"] is None else bytes(row["rendered"])
        row["facts"]["open"][0].pop("n")
        return row

    assert stored(together[1].pk) == stored(together[2].pk) == stored(alone.pk)
    assert stored(together[0].pk) == {**stored(alone.pk), "rendered": None, "claim_token": None}


@pytest.mark.postgres
def test_any_number_of_rows_is_one_and_the_same_statement(make_event):
    """The statement's text does not grow with the batch: one JSON document carries the rows."""
    event = make_event()
    now = timezone.now()
    sent = []
    for count in (2, 50):
        with CaptureQueriesContext(connection) as queries:
            insert_all([AuditEntry(at=now, action="same.text", event=event, data={}) for _ in range(count)])
        sent += [query["sql"].split(" FROM ")[0] for query in queries]
    assert len(sent) == 2 and sent[0] == sent[1]


@pytest.mark.postgres  # SQLite does not hold texts to their length
def test_a_too_long_text_is_refused_not_cut(make_event):
    event = make_event()
    now = timezone.now()
    entries = [AuditEntry(at=now, action="x" * 500, event=event, data={}) for _ in range(2)]
    with pytest.raises(DataError), transaction.atomic():
        insert_all(entries)
    assert not AuditEntry.objects.filter(action__startswith="xxx").exists()


def test_values_present_names_the_values_the_column_holds(make_event):
    from core.rows import values_present

    event = make_event()
    assert values_present(Event, "slug", [event.slug, "nirgends", event.slug]) == {event.slug}
    with CaptureQueriesContext(connection) as queries:
        assert values_present(Event, "slug", []) == set()
    assert len(queries) == 0
