"""Running saves at the same moment, each in its own thread and database connection."""

import threading
from collections.abc import Callable

from django.db import IntegrityError, connections

from core.errors import ValidationFailed


def at_once(saves, outcome_of: Callable[[object], str]) -> list[str]:
    """Runs each save in its own thread and connection, all released together. Returns the sorted
    outcomes: `outcome_of(what the save returned)`, the code of its refusal, or "IntegrityError"."""
    start = threading.Barrier(len(saves))
    outcomes = []
    lock = threading.Lock()

    def run(save):
        start.wait()
        try:
            outcome = outcome_of(save())
        except ValidationFailed as refusal:
            outcome = refusal.code
        except IntegrityError:
            outcome = "IntegrityError"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(save,)) for save in saves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)
