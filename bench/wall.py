"""The plenum wall under hundreds of screens: 500 viewers poll the live state document
(`/veranstaltungen/<slug>/live/zustand.json`, live/state.py) every two seconds with the ETag
they have, as the wall's script does, while a vote arrives every few seconds; the
same viewers then poll a static file of the same server (`/favicon.ico`, served by WhiteNoise
before Django) as the baseline. Printed side by side: latency, answers per second, and the
database transactions per second each phase caused, with the ratios.

    python bench/wall.py [--viewers 500] [--seconds 30] [--change-every 5] [--quick]

The state is shared by the app processes through the cache: set CACHE_URL (or REDIS_URL) to a
Redis database for the production shape; without one each gunicorn process keeps its own copy.
Exits non-zero when a request failed, or when the database saw a transaction for every fourth
state request or more (its work must not grow with the viewers).
"""

import argparse
import asyncio
import os
import secrets
import signal
import statistics
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.rush import ADMIN_DATABASE_URL, admin_sql, start_gunicorn, stop  # noqa: E402

POLL_SECONDS = 2
STATS_FLUSH_SECONDS = 11
BASELINE_PATH = "/favicon.ico"


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    transactions: int = 0
    seconds: float = 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    database = f"stadtdialog_bench_wall_{os.getpid()}"
    cache_url = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or "locmem://"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": urlsplit(ADMIN_DATABASE_URL)._replace(path=f"/{database}").geturl(),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            "CACHE_URL": cache_url,
        }
    )
    admin_sql(f'CREATE DATABASE "{database}"')
    server = None
    try:
        event = prepare_database()
        server = start_gunicorn(database, argparse.Namespace(workers=args.workers, threads=args.threads))
        print(
            f"gunicorn: {args.workers} workers × {args.threads} threads; cache {cache_url.split('://')[0]}; "
            f"{args.viewers} viewers, every {POLL_SECONDS} s, {args.seconds} s per phase",
            flush=True,
        )
        state_path = f"/veranstaltungen/{event.slug}/live/zustand.json"
        warm_up(server.port, [state_path, BASELINE_PATH])
        state = run_phase("state", server.port, state_path, args, database, votes_for=event)
        baseline = run_phase("static file", server.port, BASELINE_PATH, args, database)
    finally:
        stop(server)
        admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    print_report(state, baseline, args)
    problems = [
        f"{phase.name}: {count} × {status}"
        for phase in (state, baseline)
        for status, count in phase.statuses.items()
        if status not in (200, 304)
    ]
    if state.transactions * 4 >= len(state.latencies):
        problems.append("the database saw a transaction for every fourth state request or more")
    if problems:
        print("\nFAILED:\n  " + "\n  ".join(problems))
        return 1
    return 0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--viewers", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=30, help="per phase")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--change-every", type=float, default=5, help="seconds between two votes")
    parser.add_argument("--quick", action="store_true", help="100 viewers, 8 seconds per phase")
    args = parser.parse_args()
    if args.quick:
        args.viewers, args.seconds = min(args.viewers, 100), 8
    return args


def prepare_database():
    """An event running now, with a question on the wall, an open poll and an idea for the plenum."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from events.models import Event
    from ideas import services as ideas
    from live import services as live

    call_command("migrate", verbosity=0)
    now = timezone.now()
    event = Event.objects.create(
        slug="wand-unter-last",
        title_de="Bürgerdialog an der Wand",
        format="online",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=3),
        registration_opens_at=now - timedelta(days=20),
        registration_closes_at=now - timedelta(days=1),
        status="published",
    )
    from django.contrib.auth import get_user_model

    moderator = get_user_model().objects.create_user("bench-moderation", is_staff=True)
    event.team.add(moderator)
    group, _access = ideas.create_group(event, ideas.GroupData("Tisch 1"), actor=moderator, now=now)
    ideas.add_idea(
        group, ideas.IdeaDraft(title="Mehr Bänke", for_plenum=True), client_id=None, actor=moderator, now=now
    )
    asker = live.participant_for_device(event, "bench-asker", now=now)
    draft = ideas.LiveDraft(text="Wann kommt der Radweg?")
    question = live.ask_question(event, draft, participant=asker, now=now)
    live.approve_question(question, actor=moderator, now=now)
    live.show_question(question, actor=moderator, now=now)
    poll = live.create_poll(event, "Autofreier Markt?", "single", ["Ja", "Nein"], actor=moderator, now=now)
    live.open_poll(poll, actor=moderator, now=now)
    connections.close_all()
    event.question_id = question.pk
    return event


def vote_now_and_then(event, seconds: float, stopped: threading.Event) -> None:
    """A new vote for the question on the wall every few seconds: each one renews the state."""
    from django.db import connections
    from django.utils import timezone

    from live import services as live
    from live.models import Question

    number = 0
    while not stopped.wait(seconds):
        number += 1
        now = timezone.now()
        voter = live.participant_for_device(event, f"bench-voter-{number}", now=now)
        live.upvote(Question.objects.select_related("event").get(pk=event.question_id), participant=voter, now=now)
    connections.close_all()


def database_transactions(database: str) -> int:
    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True) as connection:
        row = connection.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s", [database]
        ).fetchone()
    return int(row[0])


def warm_up(port: int, paths: list[str]) -> None:
    """The first requests of each worker load templates and URL patterns; they are not measured."""
    import http.client

    for _ in range(20):
        for path in paths:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path)
            connection.getresponse().read()
            connection.close()


def run_phase(name: str, port: int, path: str, args, database: str, votes_for=None) -> Phase:
    """The viewers poll for `args.seconds`; with `votes_for` an event, votes arrive meanwhile — only
    then, so the transactions counted are those of the requests counted, the votes' own included."""
    phase = Phase(name)
    time.sleep(STATS_FLUSH_SECONDS)
    before = database_transactions(database)
    stop_votes = threading.Event()
    voter = threading.Thread(target=vote_now_and_then, args=(votes_for, args.change_every, stop_votes), daemon=True)
    if votes_for is not None:
        voter.start()
    started = time.monotonic()
    asyncio.run(viewers(port, path, args.viewers, args.seconds, phase))
    phase.seconds = time.monotonic() - started
    if votes_for is not None:
        stop_votes.set()
        voter.join()
    # A backend reports its counts to pg_stat_database when idle, within ten seconds.
    time.sleep(STATS_FLUSH_SECONDS)
    phase.transactions = database_transactions(database) - before - 2  # this function's own two reads
    return phase


async def viewers(port: int, path: str, count: int, seconds: int, phase: Phase) -> None:
    deadline = time.monotonic() + seconds
    await asyncio.gather(
        *(viewer(port, path, deadline, number * POLL_SECONDS / count, phase) for number in range(count))
    )


async def viewer(port: int, path: str, deadline: float, offset: float, phase: Phase) -> None:
    """One screen: a GET every POLL_SECONDS with the ETag it has, on a keep-alive connection that
    it opens again when the server closed it (gunicorn's keep-alive is shorter than the poll)."""
    await asyncio.sleep(offset)
    connection = None
    etag = None
    while time.monotonic() < deadline:
        tick = time.monotonic()
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: de\r\n"
        if etag:
            request += f"If-None-Match: {etag}\r\n"
        for attempt in (1, 2):
            try:
                if connection is None:
                    connection = await asyncio.open_connection("127.0.0.1", port)
                reader, writer = connection
                writer.write((request + "\r\n").encode())
                await writer.drain()
                status, headers = await read_response(reader)
                break
            except (ConnectionError, asyncio.IncompleteReadError, IndexError, ValueError):
                if connection is not None:
                    connection[1].close()
                connection = None
                if attempt == 2:
                    status, headers = 0, {}
        phase.latencies.append(time.monotonic() - tick)
        phase.statuses[status] += 1
        etag = headers.get("etag", etag)
        if headers.get("connection", "").lower() == "close" and connection is not None:
            connection[1].close()
            connection = None
        await asyncio.sleep(max(0.0, POLL_SECONDS - (time.monotonic() - tick)))
    if connection is not None:
        connection[1].close()


async def read_response(reader) -> tuple[int, dict]:
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        key, _, value = line.decode("latin-1").partition(":")
        headers[key.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    if length:
        await reader.readexactly(length)
    return status, headers


def print_report(state: Phase, baseline: Phase, args) -> None:
    def rate(phase: Phase) -> float:
        return len(phase.latencies) / phase.seconds

    print(f"\n{'':14}{'answers/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'304 share':>11}{'DB tx/s':>9}")
    for phase in (baseline, state):
        share = phase.statuses[304] / max(1, len(phase.latencies))
        print(
            f"{phase.name:14}{rate(phase):>10.0f}{phase.percentile(0.5):>9.1f}{phase.percentile(0.99):>9.1f}"
            f"{share:>11.0%}{phase.transactions / phase.seconds:>9.1f}"
        )
    p50 = state.percentile(0.5) / max(baseline.percentile(0.5), 0.001)
    p99 = state.percentile(0.99) / max(baseline.percentile(0.99), 0.001)
    print(f"\nratio state / static file: answers/s {rate(state) / rate(baseline):.2f}, p50 {p50:.1f}×, p99 {p99:.1f}×")
    per_viewer = args.viewers / POLL_SECONDS
    print(
        f"database: {state.transactions / state.seconds:.1f} transactions/s for {per_viewer:.0f} viewer requests/s "
        f"(the votes' own included); "
        f"{state.statuses[200]} full answers, {state.statuses[304]} × 304"
    )
    mean = statistics.fmean(state.latencies) * 1000 if state.latencies else 0
    print(f"state mean latency {mean:.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
