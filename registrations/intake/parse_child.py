"""What runs in the intake's child process (`registrations.intake.parse_ahead`). The child does
not set Django up, so this module and what it imports must not need models or settings."""

import multiprocessing
import os
import signal
import threading

from registrations.intake.parsing import ParsedMail, UnreadableMail, parse_or_unreadable


def prepare() -> None:
    # Ctrl-C stops the intake, which then ends the child: no second traceback from here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, daemon=True).start()


def _exit_with_parent() -> None:
    """A killed intake (SIGKILL, out of memory) cannot tell its child to stop, and the child
    would wait for work forever; it notices instead that its parent has ended."""
    multiprocessing.parent_process().join()
    os._exit(1)


def parse_each(raws: list[bytes]) -> list[ParsedMail | UnreadableMail]:
    return [parse_or_unreadable(raw) for raw in raws]  # both kinds of result pickle
