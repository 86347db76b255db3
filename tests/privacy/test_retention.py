"""Retention: after an event's period its registrants' personal data is gone from every table,
while the counts that reports are built from stay."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client

from events.models import AuditEntry, SeatPool
from ideas.models import Idea
from registrations import consents, services
from registrations.links import manage_path
from registrations.models import ConsentRecord, OutboxMail, Registration
from registrations.outbox.delivery import render_and_store
from registrations.privacy.services import evidence_digest, purge_expired
from registrations.tasks import purge_expired_data
from tests.privacy.privacy_helpers import end_event, idea_with_address, intake_mail_from, register

pytestmark = pytest.mark.django_db

PEOPLE = [
    ("Zacharias Quellbrunn", "Zacharias.Quellbrunn@example.org", "+49 2305 9876541", "Gebärdensprache bitte"),
    ("Hedwig Trautenau", "hedwig.trautenau@example.net", "", "Rollstuhlplatz für Hedwig Trautenau"),
    ("Ottilie Wespenreuth", "ottilie@wespenreuth.example", "0231 5550199", ""),
]


def all_database_text() -> str:
    """Every value of every column of every table, as one lower-case text."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview | bytes):
                        value = bytes(value).decode("utf-8", errors="replace")
                    chunks.append(str(value))
    return "\n".join(chunks).casefold()


def traces_of(people) -> list[str]:
    found = []
    text = all_database_text()
    for name, email, phone, needs in people:
        found += [part for part in (name, email, phone, needs, email.split("@")[0]) if part and part.casefold() in text]
    return found


def counts(event) -> dict:
    rows = Registration.objects.filter(event=event).values("seat_type", "status", "channel", "checked_in_at")
    return {
        "registrations": Counter(tuple(row.values()) for row in rows),
        "pools": list(SeatPool.objects.filter(event=event).values("seat_type", "confirmed", "waitlisted", "pending")),
        "mails": list(OutboxMail.objects.filter(event=event).values("kind").annotate(n=Count("pk")).order_by("kind")),
        "consents": ConsentRecord.objects.filter(registration__event=event).count(),
    }


@pytest.fixture
def busy_event(make_event, person, organiser, now):
    """An event with every kind of trace its registrants leave: web and phone registrations, a
    waiting list, a cancellation, a withdrawn consent, an incoming and rendered outgoing mails,
    an idea with an address for updates."""
    event = make_event(format="hybrid", onsite=1, online=5, broadcast=True, organiser=organiser)
    first = register(
        event, person(name=PEOPLE[0][0], email=PEOPLE[0][1], phone=PEOPLE[0][2], needs=PEOPLE[0][3]), now=now
    )
    second = register(event, person(name=PEOPLE[1][0], email=PEOPLE[1][1], needs=PEOPLE[1][3]), now=now)
    third = register(
        event,
        person(seat="online", name=PEOPLE[2][0], email="", phone=PEOPLE[2][2]),
        now=now,
        channel="phone",
        actor=organiser,
    )
    consents.withdraw_consent(first.consents.get(kind="broadcast"), now=now)
    services.cancel(second, actor=None, now=now, reason=f"{PEOPLE[1][0]} ist krank")
    intake_mail_from(first, now=now)
    for mail in OutboxMail.objects.filter(event=event):
        render_and_store(mail)
    idea_with_address(event, PEOPLE[0][1], now=now)
    Registration.objects.filter(pk=third.pk).update(personal_join_url="https://zoom.example/j/1?tk=ottilie")
    return event


def test_the_retention_task_leaves_no_name_email_or_phone_of_the_registrants_while_the_counts_remain(busy_event):
    assert len(traces_of(PEOPLE)) >= 10  # the scan does find them while they are there
    before = counts(busy_event)
    end_event(busy_event, days_ago=91)

    result = purge_expired_data.enqueue()

    assert result.return_value[busy_event.slug]["registrations"] == 3
    assert traces_of(PEOPLE) == []
    assert counts(busy_event) == before
    assert Registration.objects.filter(event=busy_event, personal_data_erased_at__isnull=False).count() == 3
    assert AuditEntry.objects.filter(event=busy_event, action="privacy.purged").exists()


def test_an_event_within_its_period_keeps_its_data_and_a_shorter_period_set_by_the_organiser_counts(busy_event, now):
    end_event(busy_event, days_ago=30)
    assert purge_expired(now=now) == []
    assert traces_of(PEOPLE[:1])

    busy_event.retention_days = 14
    busy_event.save()
    [report] = purge_expired(now=now)
    assert report.event == busy_event and traces_of(PEOPLE) == []


def test_a_second_run_finds_nothing_more_to_erase(busy_event, now):
    end_event(busy_event, days_ago=91)
    assert purge_expired(now=now)
    assert purge_expired(now=now) == []


def test_the_dry_run_shows_counts_per_event_without_personal_data_and_changes_nothing(busy_event):
    end_event(busy_event, days_ago=91)
    before = all_database_text()
    output = StringIO()

    call_command("purge_expired", "--dry-run", stdout=output)

    assert all_database_text() == before
    text = output.getvalue()
    assert busy_event.slug in text and "would erase" in text and "registrations: 3" in text
    assert "idea_addresses: 1" in text
    assert not any(part.casefold() in text.casefold() for name, email, *_ in PEOPLE for part in (name, email))


def test_the_command_erases_and_says_so(busy_event):
    end_event(busy_event, days_ago=91)
    output = StringIO()
    call_command("purge_expired", stdout=output)
    assert f"{busy_event.slug}: erased" in output.getvalue()
    assert traces_of(PEOPLE) == []


def test_consents_stay_as_evidence_with_a_hash_of_the_address_until_their_own_period_ends(busy_event, now, settings):
    end_event(busy_event, days_ago=91)
    purge_expired(now=now)
    evidence = ConsentRecord.objects.filter(registration__event=busy_event, kind="terms").order_by("pk").first()
    assert evidence.text == "Ich bin einverstanden."
    assert evidence.subject_digest == evidence_digest(" zacharias.quellbrunn@EXAMPLE.org ")

    settings.CONSENT_EVIDENCE_DAYS = 60
    [report] = purge_expired(now=now)
    assert report.counts == {"consent_records": 5}
    assert set(ConsentRecord.objects.values_list("text", "subject_digest")) == {("", "")}


def test_links_of_an_erased_registration_stop_working_and_its_idea_stays_without_address(busy_event, person, now):
    registration = Registration.objects.filter(event=busy_event).first()
    link = manage_path(registration)
    end_event(busy_event, days_ago=91)
    purge_expired(now=now)
    assert Client().get(link).status_code == 404
    idea = Idea.objects.get(event=busy_event)
    assert idea.submitter_email == "" and idea.updates_consent_at is None and idea.title == "Mehr Bänke"


def test_mails_of_no_event_are_erased_after_their_own_period(make_event, person, now, settings):
    from datetime import timedelta

    from registrations.intake.models import IntakeMail, Outcome

    IntakeMail.objects.create(
        message_key="<x@y>",
        received_at=now - timedelta(days=100),
        processed_at=now,
        sender_name="Quirin Unbekannt",
        sender_email="quirin@example.org",
        subject="Hallo",
        body_excerpt="Quirin hier",
        outcome=Outcome.NO_KEYWORD,
    )
    settings.UNASSIGNED_MAIL_RETENTION_DAYS = 90
    [report] = purge_expired(now=now)
    assert report.event is None and report.counts["intake_mails"] == 1
    assert "quirin" not in all_database_text()
