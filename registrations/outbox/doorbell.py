"""Waking the delivery workers once for many commits.

After every change that queues mails, `send_outbox` is asked to deliver them. Where tasks are
rows in the database for `db_worker` processes (django-tasks-db), asking once per commit costs
a task row and its own commit per commit, and a claim and an SMTP connection per task: under a
rush, one per batch of registrations. Instead, the ids committed within `DELAY_SECONDS` of the
first go together into one task, enqueued by a thread of this process.

Nothing depends on that task: mails are rows, committed with their change. If the process ends
before the task is enqueued (it tries at exit) or enqueuing fails, they stay queued and
`manage.py send_outbox --loop` sends them on its next round (docs/outbox.md)."""

import atexit
import logging
import os
import threading
import time
from collections.abc import Callable

from django.db import close_old_connections

logger = logging.getLogger(__name__)

DELAY_SECONDS = 0.2


class Doorbell:
    """Collects mail ids and hands them to `enqueue` in one call, `delay` seconds after the
    first of them arrived (or at `flush()`)."""

    def __init__(self, enqueue: Callable[[list[int]], object], *, delay: float = DELAY_SECONDS):
        self._enqueue = enqueue
        self._delay = delay
        self._start()
        os.register_at_fork(after_in_child=self._start)  # a forked worker starts afresh

    def _start(self) -> None:
        self._lock = threading.Lock()
        self._rung = threading.Condition(self._lock)
        self._pending: list[int] = []
        self._thread: threading.Thread | None = None

    def ring(self, mail_ids: list[int]) -> None:
        with self._lock:
            self._pending += mail_ids
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="outbox-doorbell", daemon=True)
                self._thread.start()
                atexit.register(self.flush)
            self._rung.notify()

    def flush(self) -> None:
        """Enqueue what has been collected, now."""
        with self._lock:
            mail_ids, self._pending = self._pending, []
        if not mail_ids:
            return
        try:
            self._enqueue(mail_ids)
        except Exception:
            logger.exception("outbox: could not enqueue delivery of %d mails; send_outbox --loop will", len(mail_ids))

    def _serve(self) -> None:
        while True:
            with self._lock:
                while not self._pending:
                    self._rung.wait()
            time.sleep(self._delay)  # the commits of the next moments join this task
            self.flush()
            # This thread lives as long as its process: with a connection pool
            # (DATABASE_POOL_MAX_SIZE) it would otherwise keep one of its few connections for good.
            close_old_connections()
