"""One bad submission never fails its neighbours: in a group commit, in `register_many`, or in a
chunk of the e-mail intake. The bad one gets a clear refusal; the intake goes on.

The bad input is the address of the reliability audit (H1): valid as typed, but 382 characters
once case-folded, too long for its column on PostgreSQL. Its validation is not the point here
(and may refuse it earlier): whatever the cause, one row must not take down the others."""

import threading
from datetime import timedelta

import pytest
from django.db import DatabaseError, DataError
from django.test import Client
from django.utils import timezone

from core.errors import Busy, DomainError
from registrations import group_commit, services
from registrations.intake import services as intake
from registrations.intake.imap import DONE_FLAG, fetch_new_mails
from registrations.intake.models import IntakeMail, Outcome
from registrations.intake.services import RawMail, process_raw_mails
from registrations.models import Registration
from registrations.submissions import Submission
from tests.factories import registration_data
from tests.registrations.dovecot import Dovecot
from tests.registrations.mail_corpus import plain

# The audit's address (227 characters) no longer harms anyone: addresses are compared lower-cased,
# and "ß" stays one letter. "İ" becomes two letters when lower-cased, so this one still outgrows the
# column: it must be refused alone, whatever refuses it (the address check or the database).
POISON = "a" * 64 + "@" + ".".join(["İ" * 31] * 5) + ".de"


def submissions(count, *, poison_at=(), now):
    made = []
    for number in range(count):
        overrides = {"email": POISON, "name": f"Eszett {number}"} if number in poison_at else {}
        made.append(Submission(registration_data(number, "online", **overrides), "web", now, None))
    return made


def test_a_batch_that_the_database_refuses_is_retried_one_by_one():
    def process(items):
        if "bad" in items:
            raise DataError("value too long for type character varying(254)")
        return [f"outcome of {item}" for item in items]

    callers = ["a", "b", "bad", "c", "d"]
    start = threading.Barrier(len(callers))
    results = {}

    def call(item):
        start.wait()
        try:
            results[item] = group_commit.submit("event-9", item, process)
        except DatabaseError as error:
            results[item] = error

    threads = [threading.Thread(target=call, args=(item,)) for item in callers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert isinstance(results.pop("bad"), DataError)
    assert results == {item: f"outcome of {item}" for item in "abcd"}


@pytest.mark.django_db
def test_an_injected_database_error_for_one_submission_leaves_the_others_registered(make_event, now, monkeypatch):
    event = make_event(format="online", online=50)
    original = services._insert

    def refusing(event, batch, *, now):
        if any(submission.data.name == "Person 3" for submission in batch):
            raise DatabaseError("injected")
        return original(event, batch, now=now)

    monkeypatch.setattr(services, "_insert", refusing)
    outcomes = services.register_many(event, submissions(8, now=now), now=now)
    assert isinstance(outcomes[3], Busy) and outcomes[3].status == 503
    assert all(isinstance(outcome, Registration) for index, outcome in enumerate(outcomes) if index != 3)
    assert Registration.objects.count() == 7


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_poison_address_is_refused_alone_in_its_batch(make_event, now):
    event = make_event(format="online", online=50)
    outcomes = services.register_many(event, submissions(10, poison_at={2, 7}, now=now), now=now)
    for index in (2, 7):
        assert isinstance(outcomes[index], DomainError)
        assert 400 <= outcomes[index].status < 500
    assert sum(isinstance(outcome, Registration) for outcome in outcomes) == 8
    assert Registration.objects.count() == 8
    assert not Registration.objects.filter(name__startswith="Eszett").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_rush_with_poison_requests_registers_every_good_one(make_event, settings):
    """40 citizens at once through the API, every tenth with the poison address."""
    settings.RATE_LIMITS = {}
    event = make_event(format="online", online=100)
    url = f"/api/events/{event.slug}/registrations"
    start = threading.Barrier(40)
    answers = {}

    def citizen(number):
        email = POISON if number % 10 == 0 else f"c{number}@example.org"
        body = {"name": f"C {number}", "email": email, "seat": "online", "accept_terms": True}
        start.wait()
        answers[number] = Client(raise_request_exception=False).post(url, body, content_type="application/json")

    threads = [threading.Thread(target=citizen, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    good = [answers[n].status_code for n in range(40) if n % 10]
    poison = [answers[n] for n in range(40) if n % 10 == 0]
    assert good == [202] * 36
    for answer in poison:
        assert 400 <= answer.status_code < 500
        assert set(answer.json()) >= {"code", "detail"}
    assert Registration.objects.count() == 36


def keyword_mail(sender, keyword, number):
    return plain(sender, f"Anmeldung {keyword}", f"Hallo,\nich komme. ({number})\n")


def poison_mail(keyword):
    """As the audit sent it: the address as 8-bit UTF-8 in the header, not encoded."""
    return (
        f"From: Eszett Person <{POISON}>\r\nSubject: Anmeldung {keyword}\r\nMessage-ID: <eszett@beispiel.de>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nHallo\r\n"
    ).encode()


@pytest.fixture
def open_event(make_event, now):
    return make_event(format="online", online=100, keyword="Digitalisierung 31.08.", opens=now - timedelta(days=15))


def raw_mails(event, now, *, poison_at):
    mails = []
    for number in range(12):
        sender = f"Person {number} <p{number}@example.org>"
        raw = poison_mail(event.keyword) if number == poison_at else keyword_mail(sender, event.keyword, number)
        mails.append(RawMail(raw, now - timedelta(hours=1), f"INBOX/{number}"))
    return mails


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_poison_mail_in_an_intake_chunk_leaves_the_others_registered(open_event, now):
    outcomes = process_raw_mails(raw_mails(open_event, now, poison_at=4), now=now)
    assert all(isinstance(outcome, IntakeMail) for outcome in outcomes)
    assert Registration.objects.count() == 11
    assert outcomes[4].outcome in {Outcome.REFUSED, Outcome.UNREADABLE}


@pytest.mark.django_db
def test_a_database_error_of_one_mail_marks_it_unreadable_and_the_intake_goes_on(open_event, now, monkeypatch):
    original = intake._apply

    def refusing(intake_mail, event, outcome, *, now):
        if intake_mail.sender_email == "p4@example.org":
            raise DataError("injected")
        return original(intake_mail, event, outcome, now=now)

    monkeypatch.setattr(intake, "_apply", refusing)
    mails = raw_mails(open_event, now, poison_at=None)
    outcomes = process_raw_mails(mails, now=now)
    assert outcomes[4].outcome == Outcome.UNREADABLE
    assert "DataError" in outcomes[4].detail
    assert IntakeMail.objects.count() == 12
    assert Registration.objects.count() == 11
    assert not Registration.objects.filter(email="p4@example.org").exists()
    # Processed once: the next run knows all twelve.
    assert process_raw_mails(mails, now=timezone.now()) == [None] * 12


@pytest.mark.django_db
def test_a_lost_connection_during_the_intake_is_raised_and_records_nothing(open_event, now, monkeypatch):
    from django.db import OperationalError

    def gone(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(intake, "_apply", gone)
    with pytest.raises(OperationalError):
        process_raw_mails(raw_mails(open_event, now, poison_at=None), now=now)
    assert not IntakeMail.objects.exists()


@pytest.fixture(scope="module")
def dovecot():
    server = Dovecot.in_temporary_folder()
    yield server
    server.stop()


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_poison_mail_in_the_inbox_does_not_stop_the_intake(dovecot, open_event, now):
    """The audit's intake halt: one such mail beside 50 ordinary ones stopped every run."""
    dovecot.empty_inbox()
    arrived = (now - timedelta(hours=1)).replace(microsecond=0)
    with dovecot.account().connect() as mailbox:
        mailbox.append(poison_mail(open_event.keyword), "INBOX", dt=arrived, flag_set=[])
        for number in range(50):
            raw = keyword_mail(f"Person {number} <p{number}@example.org>", open_event.keyword, number)
            mailbox.append(raw, "INBOX", dt=arrived, flag_set=[])

    result = fetch_new_mails(dovecot.account(), now=now)

    assert result.processed == 51
    assert Registration.objects.count() == 50
    assert IntakeMail.objects.count() == 51
    with dovecot.account().connect() as mailbox:
        assert len(mailbox.uids(f"KEYWORD {DONE_FLAG}")) == 51
