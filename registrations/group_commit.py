"""Group commit: registrations for one event that arrive at the same moment in one server
process are written together, in one transaction.

Under a rush every request for an event waits for the same seat-pool lock anyway. Instead of
taking it one after the other, the first request to arrive (the leader) takes everything
queued behind it and registers the whole batch with `register_many()`: one lock, one
statement per table, one commit. The others wait for their outcome and answer their own
client. The leader serves one batch only; whoever queued meanwhile leads the next one.

With one request at a time (or a single-threaded server) a batch is that one request. A caller
already inside a transaction registers alone, in its own transaction, so that nobody else's
registration commits or rolls back with it."""

import logging
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction

logger = logging.getLogger(__name__)

# Only tests turn this off (tests/registrations/conftest.py, `without_group_commit`), to race one
# transaction per request; a benchmark may too, to measure what batching buys.
ENABLED = True

_lock = threading.Lock()
_queues: dict[Hashable, list["_Waiter"]] = {}
_leading: set[Hashable] = set()


@dataclass(eq=False)
class _Waiter:
    item: object
    outcome: object = None
    error: BaseException | None = None
    leads: bool = False
    woken: threading.Event = field(default_factory=threading.Event)

    def result(self):
        if self.error is not None:
            raise self.error
        return self.outcome


def submit(key: Hashable, item, process: Callable[[list], list]):
    """Return `process([... item ...])`'s outcome for `item`, batched with the items submitted
    under the same `key` by other threads meanwhile. `process` must return one outcome per item
    (in order) and run its own transaction."""
    if transaction.get_connection().in_atomic_block or not ENABLED:
        return process([item])[0]
    me = _Waiter(item)
    with _lock:
        _queues.setdefault(key, []).append(me)
        if key not in _leading:
            _leading.add(key)
            me.leads = True
    if not me.leads:
        me.woken.wait()
        if not me.leads:
            return me.result()
    _lead(key, process)
    return me.result()


def _lead(key: Hashable, process: Callable[[list], list]) -> None:
    with _lock:
        batch = _queues.pop(key)
    try:
        outcomes = process([waiter.item for waiter in batch])
    except DatabaseError as error:
        if len(batch) == 1:
            batch[0].error = error
        else:
            # One bad submission must not fail its neighbours: each is tried alone.
            logger.warning("group commit: a batch of %d failed; registering them one by one", len(batch))
            for waiter in batch:
                _process_alone(waiter, process)
    except BaseException as error:  # every request of the batch fails alike (e.g. 503 busy)
        for waiter in batch:
            waiter.error = error
    else:
        for waiter, outcome in zip(batch, outcomes, strict=True):
            waiter.outcome = outcome
    with _lock:
        queued = _queues.get(key)
        if queued:
            queued[0].leads = True
            queued[0].woken.set()
        else:
            _leading.discard(key)
    for waiter in batch:
        waiter.woken.set()


def _process_alone(waiter: _Waiter, process: Callable[[list], list]) -> None:
    try:
        waiter.outcome = process([waiter.item])[0]
    except BaseException as error:
        waiter.error = error
