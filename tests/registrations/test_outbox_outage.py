"""The outbox when the mail server is down, answers with errors, or a worker dies mid-send."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from registrations import services
from registrations.models import MailState, OutboxMail, Registration
from registrations.outbox import delivery
from registrations.outbox.bulk import resend

from .mail_helpers import outbox_rows

pytest_plugins = ["tests.registrations.mail_fixtures"]
pytestmark = [pytest.mark.usefixtures("in_english"), pytest.mark.django_db]


def test_smtp_down_during_a_rush_every_registration_succeeds_and_every_mail_waits_then_goes_exactly_once(
    smtp_server, after_commit, deliver, make_event, person, now
):
    event = make_event(format="hybrid", onsite=20, online=20)
    smtp_server.stop()
    registrations = [
        after_commit(services.register, event, person(seat=seat), channel="web", received_at=now, now=now)
        for seat in ["onsite", "online"] * 25
    ]
    assert Registration.objects.count() == 50
    assert {r.status for r in registrations} == {"confirmed", "waitlisted"}
    rows = outbox_rows()
    assert len(rows) == 50
    assert {(row.state, row.attempts) for row in rows} == {(MailState.QUEUED, 1)}
    assert all("Connection refused" in row.last_error or "Errno" in row.last_error for row in rows)
    assert all(row.next_attempt_at >= now + delivery.FIRST_RETRY for row in rows)

    assert deliver(now=now).sent == 0  # nothing is due before its backoff
    smtp_server.start()
    report = deliver()
    assert report.sent == 50
    assert deliver().sent == 0
    received = [message["Message-ID"] for message in smtp_server.messages]
    assert sorted(received) == sorted(row.message_id for row in rows)
    assert len(set(received)) == 50
    assert OutboxMail.objects.filter(state=MailState.SENT).count() == 50


def test_the_send_outbox_command_delivers_what_waited_for_the_server(
    smtp_server, after_commit, make_event, person, now
):
    event = make_event(format="onsite")
    smtp_server.stop()
    after_commit(services.register, event, person(), channel="web", received_at=now, now=now)
    smtp_server.start()
    call_command("send_outbox")
    assert smtp_server.messages == []  # still waiting for its backoff
    call_command("send_outbox", "--retry-now")
    assert len(smtp_server.messages) == 1
    assert OutboxMail.objects.get().state == MailState.SENT


def test_a_4xx_answer_is_retried_with_growing_waits_and_a_5xx_answer_fails_at_once(
    smtp_server, after_commit, deliver, make_event, person, now
):
    event = make_event(format="onsite")
    smtp_server.refuse("later@example.org", "451 4.3.0 Mailbox busy, try again later")
    smtp_server.refuse("nobody@example.org", "550 5.1.1 No such user")
    after_commit(services.register, event, person(email="later@example.org"), channel="web", received_at=now, now=now)
    after_commit(services.register, event, person(email="nobody@example.org"), channel="web", received_at=now, now=now)
    after_commit(services.register, event, person(email="fine@example.org"), channel="web", received_at=now, now=now)

    later, nobody, fine = outbox_rows()
    assert (later.state, later.attempts) == (MailState.QUEUED, 1) and "451" in later.last_error
    first_wait = later.next_attempt_at - now
    assert timedelta(minutes=1) <= first_wait < timedelta(minutes=1, seconds=5)
    assert (nobody.state, nobody.attempts) == (MailState.FAILED, 1) and "550" in nobody.last_error
    assert fine.state == MailState.SENT

    second_try = later.next_attempt_at
    deliver(now=second_try)
    later.refresh_from_db()
    assert later.attempts == 2 and later.next_attempt_at == second_try + timedelta(minutes=2)

    del smtp_server.handler.refuse["later@example.org"]
    deliver()
    later.refresh_from_db()
    assert later.state == MailState.SENT and later.last_error == ""


def test_organisers_resend_a_failed_mail_and_it_arrives(smtp_server, after_commit, make_event, person, organiser, now):
    event = make_event(format="onsite")
    smtp_server.refuse("typo@example.org", "550 5.1.1 No such user")
    registration = after_commit(
        services.register, event, person(email="typo@example.org"), channel="web", received_at=now, now=now
    )
    failed = OutboxMail.objects.get()
    assert failed.state == MailState.FAILED
    Registration.objects.filter(pk=registration.pk).update(email="right@example.org")
    after_commit(resend, failed, actor=organiser, now=timezone.now())
    failed.refresh_from_db()
    assert failed.state == MailState.SENT and failed.to == "right@example.org"
    [message] = smtp_server.messages_to("right@example.org")
    assert message["Message-ID"] == failed.message_id


def test_after_max_attempts_a_mail_is_marked_failed_for_the_organisers(
    smtp_server, after_commit, deliver, make_event, person, now
):
    event = make_event(format="onsite")
    smtp_server.stop()
    after_commit(services.register, event, person(), channel="web", received_at=now, now=now)
    OutboxMail.objects.update(attempts=delivery.MAX_ATTEMPTS - 1)
    deliver()
    mail = OutboxMail.objects.get()
    assert mail.state == MailState.FAILED and mail.last_error.startswith(f"gave up after {delivery.MAX_ATTEMPTS}")


def test_a_mail_whose_worker_died_while_sending_is_sent_again_after_its_lease(smtp_server, make_event, person, now):
    event = make_event(format="onsite")
    services.register(event, person(), channel="web", received_at=now, now=now)
    batch, _token = delivery.claim(now=now, size=10)
    assert [mail.state for mail in batch] == [MailState.SENDING]  # and then the worker died
    assert delivery.deliver_due(now=now + timedelta(minutes=5)).sent == 0  # the lease still holds
    assert delivery.deliver_due(now=now + delivery.LEASE + timedelta(seconds=1)).sent == 1
    assert len(smtp_server.messages) == 1


def test_retries_send_the_same_bytes_under_the_same_message_id(
    smtp_server, after_commit, deliver, make_event, person, now
):
    event = make_event(format="onsite")
    smtp_server.refuse("flaky@example.org", "421 4.7.0 Try again later")
    after_commit(services.register, event, person(email="flaky@example.org"), channel="web", received_at=now, now=now)
    stored = bytes(OutboxMail.objects.get().rendered)
    del smtp_server.handler.refuse["flaky@example.org"]
    deliver()
    assert smtp_server.handler.raw[0].replace(b"\r\n", b"\n") == stored.replace(b"\r\n", b"\n")


def test_backoff_doubles_and_is_capped():
    waits = [delivery.backoff(attempt) for attempt in range(1, 12)]
    assert waits[:4] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4), timedelta(minutes=8)]
    assert waits[-1] == delivery.LONGEST_WAIT


def test_a_mail_that_no_longer_applies_is_not_sent_and_says_why(
    smtp_server, deliver, make_event, person, organiser, now
):
    from events import services as event_services

    event = make_event(format="online", organiser=organiser)
    event = event_services.update_event(
        event,
        {"online_join_url": "https://zoom.example/j/7", "access_data_hours_before": None},
        actor=organiser,
        now=now,
    )
    registration = services.register(event, person(seat="online"), channel="web", received_at=now, now=now)
    services.cancel(registration, actor=None, now=now)  # before any worker ran
    deliver()
    access = OutboxMail.objects.get(kind="access_data")
    assert access.state == MailState.FAILED and access.last_error.startswith("not sent: ")
    assert all("zoom.example" not in message.as_string() for message in smtp_server.messages)
