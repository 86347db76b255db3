"""The registration inbox read from a real Dovecot IMAP server."""

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connections

from registrations.intake import imap
from registrations.intake.imap import DONE_FLAG, fetch_new_mails
from registrations.intake.models import IntakeMail
from registrations.intake.parsing import UnreadableMail, parse_or_unreadable
from registrations.intake.services import EXCERPT_CHARS
from registrations.models import OutboxMail, Registration
from tests.registrations.dovecot import Dovecot
from tests.registrations.mail_corpus import build_corpus


@pytest.fixture(scope="session")
def dovecot():
    server = Dovecot.in_temporary_folder()
    yield server
    server.stop()


@pytest.fixture
def inbox(dovecot):
    dovecot.empty_inbox()
    return dovecot


def append(dovecot, mails):
    with dovecot.account().connect() as mailbox:
        for mail in mails:
            mailbox.append(mail.raw, "INBOX", dt=mail.internal_date, flag_set=[])


@pytest.fixture
def city_events(make_event, now):
    opens = now - timedelta(days=15)
    events = {
        "onsite": make_event(format="onsite", onsite=30, keyword="Digitalisierung 20.08.", broadcast=True, opens=opens),
        "online": make_event(format="online", online=100, keyword="Digitalisierung 31.08.", opens=opens),
        "hybrid": make_event(format="hybrid", onsite=50, online=50, keyword="Trikala", opens=opens),
        "closed": make_event(
            format="online",
            keyword="Zukunftswerkstatt",
            opens=now - timedelta(days=30),
            closes=now - timedelta(days=20),
        ),
    }
    return events


def corpus_for(city_events, now, size=200):
    keywords = {key: event.keyword for key, event in city_events.items()}
    return build_corpus(keywords, size=size, start=now - timedelta(days=10))


def shuffled(mails):
    import random

    copy = list(mails)
    random.Random(3).shuffle(copy)
    return copy


@pytest.mark.django_db
def test_a_mailbox_of_200_mails_yields_what_a_person_would_register(inbox, city_events, now):
    corpus = corpus_for(city_events, now)
    append(inbox, shuffled(corpus))  # the server's order is not the order of arrival
    result = fetch_new_mails(inbox.account(), now=now)
    assert result.processed == 200

    expected = {(m.email, city_events[m.event].pk, m.seat, m.name) for m in corpus if m.expect == "registered"}
    actual = set(Registration.objects.values_list("email", "event", "seat_type", "name"))
    assert actual == expected
    assert set(Registration.objects.values_list("channel", flat=True)) == {"email"}

    outcomes = dict(IntakeMail.objects.values_list("received_at", "outcome"))
    for mail in corpus:
        assert outcomes[mail.internal_date] == mail.expect, (mail.expect, mail.raw[:300])

    # Seats went in INTERNALDATE order: the 30 earliest on-site writers are the confirmed ones.
    onsite = [m for m in corpus if m.expect == "registered" and m.event == "onsite"]
    earliest = {m.email for m in sorted(onsite, key=lambda m: m.internal_date)[:30]}
    confirmed = set(
        Registration.objects.filter(event=city_events["onsite"], status="confirmed").values_list("email", flat=True)
    )
    assert confirmed == earliest
    registration = Registration.objects.get(email=onsite[0].email)
    assert registration.received_at == onsite[0].internal_date

    # The right answers: the registration mail for new registrations, a reply for refusals and
    # mails without keyword, nothing at all to machines and unreadable mails.
    answers = list(OutboxMail.objects.values_list("to", "kind", "facts"))
    by_outcome = {}
    for to, kind, facts in answers:
        by_outcome.setdefault(facts.get("outcome", kind), []).append(to)
    registered = [m for m in corpus if m.expect == "registered"]
    seat_mails = [to for to, kind, _ in answers if kind in ("confirmed", "waitlisted")]
    assert sorted(seat_mails) == sorted(m.email for m in registered)
    assert len(by_outcome["no_keyword"]) == sum(1 for m in corpus if m.expect == "no_keyword")
    assert len(by_outcome["refused"]) == sum(1 for m in corpus if m.expect == "refused")
    assert len(by_outcome["already_registered"]) == sum(1 for m in corpus if m.expect == "already_registered")
    silent = {m.raw for m in corpus if m.expect in ("ignored", "unreadable")}
    assert len(answers) == len(corpus) - len(silent)
    no_keyword_reply = OutboxMail.objects.filter(facts__outcome="no_keyword").first()
    assert {e["keyword"] for e in no_keyword_reply.facts["open_events"]} == {
        "Digitalisierung 20.08.",
        "Digitalisierung 31.08.",
        "Trikala",
    }


def assert_registered_as_a_person_would(corpus, city_events):
    expected = {(m.email, city_events[m.event].pk, m.seat, m.name) for m in corpus if m.expect == "registered"}
    assert set(Registration.objects.values_list("email", "event", "seat_type", "name")) == expected


@pytest.mark.django_db
def test_mails_parsed_ahead_in_a_child_process_are_read_as_when_parsed_inline(inbox, city_events, now, monkeypatch):
    corpus = corpus_for(city_events, now)
    append(inbox, shuffled(corpus))
    monkeypatch.setattr(imap, "CHUNK", 50)  # four chunks: the last three are parsed in the child
    assert fetch_new_mails(inbox.account(), now=now).processed == 200

    assert_registered_as_a_person_would(corpus, city_events)
    assert dict(IntakeMail.objects.values_list("received_at", "outcome")) == {m.internal_date: m.expect for m in corpus}
    # What was stored of each mail is what parsing it here gives (the server's copy: it has CRLF).
    with inbox.account().connect() as mailbox:
        served = imap.fetch_raw(mailbox, mailbox.uids("ALL"))
    for intake_mail in IntakeMail.objects.all():
        parsed = parse_or_unreadable(served[intake_mail.source.rsplit(":", 1)[1]])
        if isinstance(parsed, UnreadableMail):
            assert intake_mail.detail == str(parsed)
        else:
            stored = (intake_mail.sender_email, intake_mail.sender_name, intake_mail.subject, intake_mail.body_excerpt)
            assert stored == (parsed.sender_email, parsed.sender_name, parsed.subject, parsed.text[:EXCERPT_CHARS])
            assert intake_mail.message_key == parsed.message_key
    onsite = [m for m in corpus if m.expect == "registered" and m.event == "onsite"]
    earliest = {m.email for m in sorted(onsite, key=lambda m: m.internal_date)[:30]}
    confirmed = Registration.objects.filter(event=city_events["onsite"], status="confirmed")
    assert set(confirmed.values_list("email", flat=True)) == earliest


@pytest.mark.django_db
def test_processed_mails_are_flagged_and_kept_on_the_server(inbox, city_events, now):
    append(inbox, corpus_for(city_events, now, size=20))
    fetch_new_mails(inbox.account(), now=now)
    with inbox.account().connect() as mailbox:
        assert len(mailbox.uids("ALL")) == 20
        assert mailbox.uids(f"NOT KEYWORD {DONE_FLAG}") == []
    assert fetch_new_mails(inbox.account(), now=now).processed == 0


@pytest.mark.django_db
def test_a_crash_in_the_middle_of_a_batch_loses_nothing_and_duplicates_nothing(inbox, city_events, now, monkeypatch):
    corpus = corpus_for(city_events, now, size=60)
    append(inbox, corpus)
    monkeypatch.setattr(imap, "CHUNK", 50)
    original = imap.process_raw_mails

    def killed_before_commit(*args, **kwargs):
        original(*args, **kwargs)
        raise KeyboardInterrupt("killed after registering the chunk, before commit and flagging")

    monkeypatch.setattr(imap, "process_raw_mails", killed_before_commit)
    with pytest.raises(KeyboardInterrupt):
        fetch_new_mails(inbox.account(), now=now)
    assert IntakeMail.objects.count() == 0
    assert Registration.objects.count() == 0
    monkeypatch.setattr(imap, "process_raw_mails", original)
    second = fetch_new_mails(inbox.account(), now=now)
    # The interrupted chunk was rolled back as a whole and is read again.
    assert (second.processed, second.skipped) == (60, 0)
    assert IntakeMail.objects.count() == 60
    expected = {m.email for m in corpus if m.expect == "registered"}
    assert set(Registration.objects.values_list("email", flat=True)) == expected


@pytest.mark.django_db
def test_a_crash_after_registering_but_before_flagging_repeats_nothing(inbox, city_events, now, monkeypatch):
    corpus = corpus_for(city_events, now, size=60)
    append(inbox, corpus)
    from imap_tools import MailBoxUnencrypted

    def lost_connection(*args, **kwargs):
        raise ConnectionResetError("killed before the flag reached the server")

    monkeypatch.setattr(imap, "CHUNK", 50)
    monkeypatch.setattr(MailBoxUnencrypted, "flag", lost_connection)
    with pytest.raises(ConnectionResetError):
        fetch_new_mails(inbox.account(), now=now)
    monkeypatch.undo()
    second = fetch_new_mails(inbox.account(), now=now)
    # The first chunk was committed but never flagged: read again, it is skipped. (The second
    # chunk may have been processed too: it was fetched before the failed flag came back.)
    assert second.skipped >= 50 and second.processed + second.skipped == 60
    assert IntakeMail.objects.count() == 60
    assert Registration.objects.count() == sum(1 for m in corpus if m.expect == "registered")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_intakes_at_once_process_each_mail_once(inbox, city_events, now):
    corpus = corpus_for(city_events, now, size=80)
    append(inbox, corpus)
    start = threading.Barrier(2)

    def intake():
        start.wait()
        try:
            fetch_new_mails(inbox.account(), now=now)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=intake) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert IntakeMail.objects.count() == 80
    registered = [m.email for m in corpus if m.expect == "registered"]
    assert Registration.objects.count() == len(registered)


@pytest.mark.django_db
def test_fetch_command_reads_the_configured_inbox(inbox, city_events, now, settings, capsys):
    settings.INTAKE_IMAP_URL = inbox.url
    append(inbox, corpus_for(city_events, now, size=10))
    call_command("fetch_registrations")
    assert "processed 10" in capsys.readouterr().out


def test_chunks_hold_at_most_chunk_mails_and_chunk_bytes_and_a_large_mail_goes_alone(monkeypatch):
    from datetime import UTC, datetime

    monkeypatch.setattr(imap, "CHUNK", 3)
    monkeypatch.setattr(imap, "CHUNK_BYTES", 100)
    at = datetime(2027, 8, 1, tzinfo=UTC)
    sizes = [10, 10, 10, 10, 60, 50, 500, 10]
    queue = [imap.Queued(str(n), at, size) for n, size in enumerate(sizes)]
    chunks = [[int(mail.uid) for mail in chunk] for chunk in imap.in_chunks(queue)]
    assert chunks == [[0, 1, 2], [3, 4], [5], [6], [7]]
    assert imap.in_chunks([]) == []
