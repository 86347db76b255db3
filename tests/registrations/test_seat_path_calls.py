"""How deep the seat path is, as a newcomer reads it. A measurement (`-s` prints it), pinned only
where it states the design: THE seat rule (registrations/seats.py) runs no statement.

Counted while one registration (and one cancellation that moves someone up) runs: the calls into
our own code (not Django's, not the standard library's), the functions and files they lie in, how
often the path climbs back into another file when a call returns, the deepest nesting of our own
frames, the SQL statements, and how many of them run while the seat rule is on the stack."""

import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection

from registrations import services
from registrations.models import Channel

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
OURS = tuple(str(ROOT / folder) for folder in ("core", "events", "registrations", "ideas", "streaming", "reports"))
RULE = str(ROOT / "registrations" / "seats.py")


@dataclass
class Trace:
    calls: list = field(default_factory=list)
    files: set = field(default_factory=set)
    climbs: int = 0
    deepest: int = 0
    statements: int = 0
    statements_in_rule: int = 0

    def __str__(self):
        return (
            f"{len(self.calls)} calls of {len(set(self.calls))} functions in {len(self.files)} files, "
            f"climbing back {self.climbs} times, {self.deepest} deep; {self.statements} statements, "
            f"{self.statements_in_rule} of them inside the seat rule"
        )


def traced(action) -> Trace:
    trace, stack = Trace(), []

    def profile(frame, event, arg):
        if event == "return" and stack and stack[-1] is frame:
            stack.pop()
            if stack and stack[-1].f_code.co_filename != frame.f_code.co_filename:
                trace.climbs += 1
        elif event == "call":
            filename = frame.f_code.co_filename
            if filename.startswith(OURS) and "/migrations/" not in filename:
                trace.calls.append(f"{Path(filename).relative_to(ROOT)}:{frame.f_code.co_name}")
                trace.files.add(filename)
                stack.append(frame)
                trace.deepest = max(trace.deepest, len(stack))

    def count(execute, sql, params, many, context):
        trace.statements += 1
        trace.statements_in_rule += any(frame.f_code.co_filename == RULE for frame in stack)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        sys.setprofile(profile)
        try:
            action()
        finally:
            sys.setprofile(None)
    return trace


def test_the_seat_rule_runs_no_statement_when_registering_and_cancelling(make_event, person, now):
    event = make_event(format="onsite", onsite=1)
    first = services.register(event, person(), channel=Channel.WEB, received_at=now, now=now)

    registering = traced(lambda: services.register(event, person(), channel=Channel.WEB, received_at=now, now=now))
    cancelling = traced(lambda: services.cancel(first, actor=None, now=now))

    print(f"\nregistering (waits): {registering}\ncancelling (the next moves up): {cancelling}")
    assert registering.statements_in_rule == cancelling.statements_in_rule == 0


@pytest.mark.parametrize("waiting", [3, 30])
def test_a_cancellation_reads_the_waiting_line_with_statements_that_do_not_grow_with_it(
    make_event, person, now, waiting, django_assert_num_queries
):
    event = make_event(format="onsite", onsite=1)
    first = services.register(event, person(), channel=Channel.WEB, received_at=now, now=now)
    for _ in range(waiting):
        services.register(event, person(), channel=Channel.WEB, received_at=now, now=now)
    with django_assert_num_queries(18):  # the same for 3 and 30 waiting
        services.cancel(first, actor=None, now=now)
