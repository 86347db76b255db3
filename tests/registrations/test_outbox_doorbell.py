"""Waking the delivery workers once for many commits (registrations/outbox/doorbell.py)."""

import threading

import pytest
from django.test import TestCase
from django_tasks_db.models import DBTaskResult

from registrations import services
from registrations.models import OutboxMail
from registrations.outbox import queue, tasks
from registrations.outbox.doorbell import Doorbell


class Recorder:
    def __init__(self, fail_first: int = 0):
        self.calls: list[list[int]] = []
        self.fail_first = fail_first
        self.called = threading.Event()

    def __call__(self, mail_ids):
        self.calls.append(list(mail_ids))
        self.called.set()
        if len(self.calls) <= self.fail_first:
            raise RuntimeError("task table unreachable")


def test_ids_rung_before_the_delay_ends_go_in_one_task():
    enqueue = Recorder()
    doorbell = Doorbell(enqueue, delay=60)
    doorbell.ring([1, 2])
    doorbell.ring([3])
    doorbell.flush()
    doorbell.ring([4])
    doorbell.flush()
    assert enqueue.calls == [[1, 2, 3], [4]]


def test_the_doorbell_thread_enqueues_after_the_delay():
    enqueue = Recorder()
    Doorbell(enqueue, delay=0.01).ring([7, 8])
    assert enqueue.called.wait(timeout=10)
    assert enqueue.calls == [[7, 8]]


def test_a_failed_enqueue_is_logged_and_later_mails_still_ring(caplog):
    enqueue = Recorder(fail_first=1)
    doorbell = Doorbell(enqueue, delay=60)
    doorbell.ring([1])
    doorbell.flush()  # raises inside: logged, not raised into the committing request
    doorbell.ring([2])
    doorbell.flush()
    assert enqueue.calls == [[1], [2]]
    assert "could not enqueue delivery of 1 mails" in caplog.text


def test_nothing_rung_enqueues_nothing():
    enqueue = Recorder()
    Doorbell(enqueue, delay=60).flush()
    assert enqueue.calls == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_with_task_rows_two_commits_make_one_delivery_task(make_event, person, now, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    doorbell = Doorbell(lambda mail_ids: tasks.send_outbox.enqueue(mail_ids=mail_ids), delay=60)
    monkeypatch.setattr(queue, "_doorbell", lambda: doorbell)
    event = make_event(format="online", online=10)
    for _ in range(2):
        services.register(event, person(seat="online"), channel="web", received_at=now, now=now)
    assert DBTaskResult.objects.count() == 0  # nothing enqueued per commit
    doorbell.flush()
    [task] = DBTaskResult.objects.all()
    assert task.task_path.endswith("send_outbox")
    assert sorted(task.args_kwargs["kwargs"]["mail_ids"]) == sorted(OutboxMail.objects.values_list("pk", flat=True))
    assert OutboxMail.objects.count() == 2


@pytest.mark.django_db
def test_with_the_immediate_backend_mails_are_delivered_at_commit(make_event, person, now, monkeypatch):
    monkeypatch.setattr(queue, "_doorbell", lambda: pytest.fail("the immediate backend needs no doorbell"))
    delivered = []
    monkeypatch.setattr(tasks, "deliver_due", lambda **kwargs: delivered.append(kwargs["mail_ids"]) or _NoReport())
    event = make_event(format="online", online=10)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.register(event, person(seat="online"), channel="web", received_at=now, now=now)
    assert delivered == [list(OutboxMail.objects.values_list("pk", flat=True))]


class _NoReport:
    sent = retrying = failed = 0
