"""Parsing the mails of the next chunk in a child process while this process registers one.

Parsing is pure Python (about 0.15 ms a mail) and holds the GIL: done here, it takes about a
third of the intake's time; in a child process it runs on another core. The child only parses:
it neither reads the mailbox nor writes the database, so it cannot change what is registered or
when a chunk is flagged. A child that fails only costs time: the chunk is handed back unparsed
and `process_raw_mails` parses it here, as it does for a run of a single chunk."""

import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor

from registrations.intake.parse_child import parse_each, prepare
from registrations.intake.services import RawMail

logger = logging.getLogger(__name__)
# "forkserver", not "fork": a forked child would inherit this process's sockets, among them its
# PostgreSQL connection, and so keep a killed intake's transaction and row locks alive until the
# child noticed (parse_child.prepare). A forkserver child holds no such sockets, and it need not
# care which threads this process runs when it is started. Its price, once per process:
# 40-70 ms to start the fork server (which imports the main module, as "spawn" does: manage.py
# and bench/ keep theirs behind `if __name__ == "__main__"`), and 100-150 ms for the child to
# import the parser, while this process parses and registers the first chunk itself. In
# bench/intake.py (5,000 mails) "fork" and "forkserver" were within noise of each other.
START_METHOD = "forkserver"


class ParseAhead:
    """Parses chunks of mails in one child process (when `in_child`), one after another."""

    def __init__(self, *, in_child: bool):
        self._pool = None
        if in_child:
            self._pool = ProcessPoolExecutor(
                1,
                mp_context=multiprocessing.get_context(START_METHOD),
                initializer=prepare,
            )

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def start(self, mails: list[RawMail]) -> Callable[[], list[RawMail]]:
        """Starts parsing `mails`; the function returned gives them back, parsed, or as they
        were when there is no child or it failed."""
        if self._pool is None:
            return lambda: mails
        try:
            parsing = self._pool.submit(parse_each, [mail.raw for mail in mails])
        except Exception:  # the child has died (BrokenProcessPool): the pool takes no more work
            self._give_up()
            return lambda: mails
        return lambda: self._collect(mails, parsing)

    def _collect(self, mails: list[RawMail], parsing: Future) -> list[RawMail]:
        try:
            parsed = parsing.result()
        except Exception:  # died (BrokenProcessPool), or raised what parse_mail never should
            self._give_up()
            return mails
        return [RawMail(m.raw, m.received_at, m.source, p) for m, p in zip(mails, parsed, strict=True)]

    def _give_up(self) -> None:
        if self._pool is None:  # already, at an earlier chunk
            return
        logger.exception("intake: parsing in a child process failed; parsing in this process from now on")
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None
