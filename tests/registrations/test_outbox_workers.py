"""Several workers draining one outbox on PostgreSQL, with real threads and connections: no mail
is sent twice. The control test claims without the row lock and shows the duplicates it prevents."""

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.db.models import F
from django.utils import timezone

from registrations.models import MailKind, MailState, OutboxMail
from registrations.outbox import delivery, queue

pytest_plugins = ["tests.registrations.mail_fixtures"]
pytestmark = [pytest.mark.usefixtures("in_english"), pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MAILS = 120
WORKERS = 4


@pytest.fixture
def full_outbox(make_event, person, now, monkeypatch):
    """MAILS queued confirmation mails that nobody has started to send yet."""
    monkeypatch.setattr(queue, "deliver_after_commit", lambda mail_ids: None)
    event = make_event(format="online", online=MAILS)
    from registrations import services

    for _ in range(MAILS):
        services.register(event, person(seat="online"), channel="web", received_at=now, now=now)
    assert OutboxMail.objects.filter(state=MailState.QUEUED).count() == MAILS
    return event


def drain_in_parallel(now):
    start = threading.Barrier(WORKERS)

    def worker():
        start.wait()
        try:
            while delivery.deliver_due(now=now, limit=10).sent:
                pass
        finally:
            connections.close_all()

    with ThreadPoolExecutor(WORKERS) as pool:
        for future in [pool.submit(worker) for _ in range(WORKERS)]:
            future.result()


def test_workers_draining_one_outbox_never_send_a_mail_twice(smtp_server, full_outbox):
    assert connection.vendor == "postgresql"
    drain_in_parallel(timezone.now() + timedelta(seconds=1))
    received = [message["Message-ID"] for message in smtp_server.messages]
    assert len(received) == MAILS
    assert len(set(received)) == MAILS
    assert OutboxMail.objects.filter(state=MailState.SENT).count() == MAILS


def test_control_without_the_row_lock_workers_send_mails_twice(smtp_server, full_outbox, monkeypatch):
    def claim_without_lock(*, now, size, mail_ids=None):
        token = uuid.uuid4()
        ids = list(delivery.due_mails(now).order_by("pk").values_list("pk", flat=True)[:size])
        time.sleep(0.02)  # the time between reading and claiming, in which another worker reads too
        with transaction.atomic():
            OutboxMail.objects.filter(pk__in=ids).update(
                state=MailState.SENDING,
                claim_token=token,
                claimed_until=now + delivery.LEASE,
                attempts=F("attempts") + 1,
            )
        return list(OutboxMail.objects.filter(pk__in=ids).select_related("event")), token

    monkeypatch.setattr(delivery, "claim", claim_without_lock)
    drain_in_parallel(timezone.now() + timedelta(seconds=1))
    received = [message["Message-ID"] for message in smtp_server.messages]
    assert len(received) > len(set(received)), "without the lock some mails go out twice"


def test_two_schedulers_at_once_queue_the_access_data_once(make_event, person, organiser, now, monkeypatch):
    from events import services as event_services
    from registrations import services
    from registrations.outbox.schedule import queue_scheduled_mails

    monkeypatch.setattr(queue, "deliver_after_commit", lambda mail_ids: None)
    event = make_event(format="online", online=30, organiser=organiser)
    event_services.update_event(
        event,
        {"online_join_url": "https://zoom.example/j/1", "access_data_hours_before": 2},
        actor=organiser,
        now=now,
    )
    for _ in range(30):
        services.register(event, person(seat="online"), channel="web", received_at=now, now=now)
    due = event.starts_at - timedelta(hours=1)
    start = threading.Barrier(2)

    def scheduler():
        start.wait()
        try:
            return queue_scheduled_mails(now=due).access_data
        finally:
            connections.close_all()

    with ThreadPoolExecutor(2) as pool:
        counts = [future.result() for future in [pool.submit(scheduler) for _ in range(2)]]
    assert sum(counts) == 30
    assert OutboxMail.objects.filter(kind=MailKind.ACCESS_DATA).count() == 30


def test_a_rush_while_the_mail_server_is_down_loses_no_mail_and_sends_none_twice(smtp_server, make_event, person, now):
    """Real concurrent registrations, each trying to deliver its mail after commit and failing;
    then the server is back and two workers drain the outbox."""
    from registrations import services
    from registrations.models import Registration

    event = make_event(format="hybrid", onsite=30, online=30)
    smtp_server.stop()
    people = [person(seat=seat) for seat in ["onsite", "online"] * 40]
    start = threading.Barrier(8)
    work = iter(people)
    lock = threading.Lock()

    def citizen():
        start.wait()
        try:
            while True:
                with lock:
                    data = next(work, None)
                if data is None:
                    return
                moment = timezone.now()
                services.register(event, data, channel="web", received_at=moment, now=moment)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(8) as pool:
        for future in [pool.submit(citizen) for _ in range(8)]:
            future.result()

    assert Registration.objects.count() == 80
    assert OutboxMail.objects.count() == 80
    assert set(OutboxMail.objects.values_list("state", flat=True)) == {MailState.QUEUED}
    assert smtp_server.messages == []

    smtp_server.start()
    drain_in_parallel(timezone.now() + timedelta(hours=1))
    received = [message["Message-ID"] for message in smtp_server.messages]
    assert sorted(received) == sorted(OutboxMail.objects.values_list("message_id", flat=True))
    assert OutboxMail.objects.filter(state=MailState.SENT).count() == 80
