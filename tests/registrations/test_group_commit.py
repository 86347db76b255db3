"""Group commit: requests for one event that arrive together are processed as one batch, and
each caller gets exactly its own outcome back."""

import threading
import time

import pytest
from django.db import transaction

from registrations import group_commit

CALLERS = 12


def submit_together(process, keys=None):
    """CALLERS threads submit at the same moment; returns {item: outcome or error}."""
    start = threading.Barrier(CALLERS)
    results = {}

    def caller(number):
        start.wait()
        key = keys(number) if keys else "event-1"
        try:
            results[number] = group_commit.submit(key, number, process)
        except Exception as error:  # the test inspects what each caller got
            results[number] = error

    threads = [threading.Thread(target=caller, args=(n,)) for n in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    return results


class SlowProcess:
    """Takes a while per batch, as a transaction waiting for the database does."""

    def __init__(self):
        self.batches = []
        self.running = 0
        self.most_at_once = 0
        self.lock = threading.Lock()

    def __call__(self, items):
        with self.lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
            self.batches.append(list(items))
        time.sleep(0.05)
        with self.lock:
            self.running -= 1
        return [f"outcome of {item}" for item in items]


def test_callers_arriving_together_are_served_in_few_batches_each_with_its_own_outcome():
    process = SlowProcess()
    results = submit_together(process)
    assert results == {n: f"outcome of {n}" for n in range(CALLERS)}
    assert sorted(item for batch in process.batches for item in batch) == list(range(CALLERS))
    assert len(process.batches) < CALLERS
    assert max(len(batch) for batch in process.batches) > 1
    assert process.most_at_once == 1  # batches of one key never overlap


def test_batches_of_different_events_run_side_by_side():
    process = SlowProcess()
    results = submit_together(process, keys=lambda n: f"event-{n % 2}")
    assert results == {n: f"outcome of {n}" for n in range(CALLERS)}
    assert process.most_at_once == 2
    for batch in process.batches:
        assert len({n % 2 for n in batch}) == 1


def test_a_failed_batch_fails_every_caller_in_it_and_the_next_batch_still_runs():
    failed_once = threading.Event()

    def process(items):
        time.sleep(0.02)
        if not failed_once.is_set():
            failed_once.set()
            raise RuntimeError("database went away")
        return [f"outcome of {item}" for item in items]

    results = submit_together(process)
    errors = [n for n, result in results.items() if isinstance(result, RuntimeError)]
    assert errors  # the first batch
    assert all(results[n] == f"outcome of {n}" for n in results if n not in errors)
    assert len(results) == CALLERS
    assert group_commit.submit("event-1", "later", lambda items: ["fine"]) == "fine"


@pytest.mark.django_db
def test_a_caller_inside_a_transaction_is_processed_alone_in_it():
    batches = []
    with transaction.atomic():
        outcome = group_commit.submit("event-1", "mine", lambda items: batches.append(items) or ["done"])
    assert (outcome, batches) == ("done", [["mine"]])


def test_without_group_commit_every_caller_is_its_own_batch(without_group_commit):
    process = SlowProcess()
    results = submit_together(process)
    assert results == {n: f"outcome of {n}" for n in range(CALLERS)}
    assert all(len(batch) == 1 for batch in process.batches)
