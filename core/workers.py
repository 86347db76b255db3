"""Long-running workers that outlive the database's restarts.

A restart, a failover or a connection cut by a firewall turns every query of a worker into a
DatabaseError until the server is back. The loops (`send_outbox --loop`, `sync_zoom --loop`,
`fetch_registrations --loop`, `db_worker`) run their rounds through `surviving_database_errors`:
it closes the broken connections, waits (doubling the wait up to MAX_BACKOFF_SECONDS) and tries
again. One error line when an outage starts and one line when it ends, not one per try.
`RoundsCommand` is the management command of such a loop."""

import logging
import time
from collections.abc import Callable

from django.core.management.base import BaseCommand
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

FIRST_BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 30.0


def backoff_seconds(failures: int) -> float:
    return min(MAX_BACKOFF_SECONDS, FIRST_BACKOFF_SECONDS * 2 ** (failures - 1))


def surviving_database_errors[T](run: Callable[[], T], *, worker: str) -> T:
    """`run()`'s result, calling it again after every DatabaseError until it succeeds."""
    failures = 0
    while True:
        try:
            result = run()
        except DatabaseError as error:
            failures += 1
            # Django reconnects lazily, but only once the broken connection is closed; outside a
            # request nothing else closes it.
            connections.close_all()
            if failures == 1:
                logger.error("%s: database error, retrying until it answers: %s", worker, error)
            else:
                logger.info("%s: database still failing (%d tries): %s", worker, failures, error)
            time.sleep(backoff_seconds(failures))
            continue
        if failures:
            logger.warning("%s: the database answers again after %d failed tries", worker, failures)
        return result


class RoundsCommand(BaseCommand):
    """A worker that does its work in rounds (`run_round`): one round, or with --loop one every
    --interval seconds, through the database's outages."""

    worker: str  # the name in the log lines

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running, one round every --interval seconds.")
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between rounds (default 30).")

    def handle(self, *args, loop=False, interval=30.0, **options):
        if not loop:
            self.run_round()
            return
        while True:
            surviving_database_errors(self.run_round, worker=self.worker)
            time.sleep(interval)

    def run_round(self) -> None:
        raise NotImplementedError
