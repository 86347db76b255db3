"""A rush of citizens for 60 on-site and 40 online seats, over HTTP, against the real app.

Starts gunicorn on a fresh PostgreSQL database, sends thousands of concurrent registrations
(most of them end on the waiting list, as in a real rush), checks that nothing was overbooked
and that every request was answered, and prints throughput and latency next to a baseline
measured in the same run under the same server and database: a bare Django view that inserts
one row per request (bench/urls.py).

    python bench/rush.py [--clients 8,32,64] [--requests 2400] [--workers 2] [--threads 16]

Exits non-zero when seats were overbooked, a waiting list has gaps or a request failed; a
missed performance target is printed loudly but does not fail the run.
"""

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
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

from bench import switches  # noqa: E402

ADMIN_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
SEATS = {"onsite": 60, "online": 40}
BASELINE_PATH = "/bench/insert"
TARGET_RATIO = 0.6
TARGET_P99_MS = 250
TARGET_CLIENTS = 32
WARM_UP_REQUESTS = 300
# Baseline and registration take turns in this many rounds, so that a neighbour's load on a
# shared machine slows both alike instead of skewing their ratio.
ROUNDS = 3
# gunicorn, PostgreSQL and this client share two cores: two worker processes keep both busy,
# more only preempt each other (docs/benchmarks.md has the comparison). gthread, 16 threads each:
# the requests of one process that arrive together are registered in one transaction
# (registrations/group_commit.py); a sync worker would serve them one by one.
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 16
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    database: str
    log_path: str

    def cpu_seconds(self) -> float:
        """CPU used so far by the gunicorn workers and their PostgreSQL backends: the cost of a
        request that a busy neighbour on the machine distorts far less than the wall clock."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True) as connection:
            backends = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.database]
            ).fetchall()
        return sum(process_cpu_seconds(pid) for pid in [*children, *(row[0] for row in backends)])


@dataclass
class Run:
    endpoint: str
    clients: int
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    retried_503: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds

    @property
    def cpu_ms_per_request(self) -> float:
        return self.cpu_seconds / len(self.latencies) * 1000

    def percentile_ms(self, p: int) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000


def main() -> int:
    args = parse_args()
    # SIGTERM (e.g. from a CI timeout) must still run the clean-up below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    database = f"stadtdialog_bench_{os.getpid()}"
    server_env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": urlsplit(ADMIN_DATABASE_URL)._replace(path=f"/{database}").geturl(),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    # This process prepares and checks the same database through the same settings.
    os.environ.update(server_env)
    sys.path.insert(0, str(ROOT))
    admin_sql(f'CREATE DATABASE "{database}"')
    server = None
    problems = []
    try:
        events = prepare_database(["warm-up", *args.clients])
        server = start_gunicorn(database, args)
        kind = f"gthread workers × {args.threads} threads" if args.threads > 1 else "sync workers"
        print(f"gunicorn: {args.workers} {kind} on 127.0.0.1:{server.port}; database {database}", flush=True)
        print(f"mechanisms: {switches.describe()}", flush=True)
        for path in (BASELINE_PATH, registration_path(events["warm-up"].slug)):
            rush(server, path, Run("warm-up", TARGET_CLIENTS), WARM_UP_REQUESTS)
        runs = []
        for clients in args.clients:
            baseline, registration = Run("baseline", clients), Run("registration", clients)
            for _ in range(ROUNDS):
                rush(server, BASELINE_PATH, baseline, args.requests // ROUNDS)
                rush(server, registration_path(events[clients].slug), registration, args.requests // ROUNDS)
            problems += unanswered(baseline, BASELINE_CREATED) + unanswered(registration)
            problems += allocation_problems(events[clients])
            runs.append((baseline, registration))
            print(f"  {clients} clients done", flush=True)
        print_report(runs)
    finally:
        if problems and server is not None:
            print(f"\ngunicorn log:\n{Path(server.log_path).read_text()[-5000:]}")
        stop(server)
        admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    if problems:
        print("\nFAILED:\n  " + "\n  ".join(problems))
        return 1
    print("\nNo overbooking, gapless waiting lists, every request answered.")
    return 0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", default="8,32,64", type=lambda s: [int(n) for n in s.split(",")])
    parser.add_argument("--requests", default=2400, type=int, help="per endpoint and client count")
    parser.add_argument("--workers", default=DEFAULT_WORKERS, type=int)
    parser.add_argument("--threads", default=DEFAULT_THREADS, type=int, help="1: sync workers")
    switches.add_option(parser)
    args = parser.parse_args()
    switches.take_option(args)
    return args


def admin_sql(statement: str) -> None:
    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True) as connection:
        connection.execute(statement)


def process_cpu_seconds(pid) -> float:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return 0.0
    user, system = stat.rsplit(")", 1)[1].split()[11:13]
    return (int(user) + int(system)) / CLOCK_TICKS


def prepare_database(labels) -> dict:
    """Migrate the bench database and create one fresh event per client count, so that each
    rush starts with all seats free and is checked on its own. Returns the events by label."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from events.services import SeatPlan, VenueData, create_event

    call_command("migrate", verbosity=0)
    now = timezone.now()
    starts = now + timedelta(days=14)
    events = {}
    for label in labels:
        events[label] = create_event(
            {
                "title_de": f"Bürgerdialog unter Ansturm ({label})",
                "format": "hybrid",
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=2),
                "registration_opens_at": now - timedelta(hours=1),
                "registration_closes_at": now + timedelta(days=7),
                "allocation": "first_come",
                # A broadcast event, so that on-site registrations record both consents.
                "livestream_url": "https://example.org/live",
                "status": "published",
            },
            seats={seat: SeatPlan(capacity) for seat, capacity in SEATS.items()},
            venue=VenueData("DIEZE", "Erinstraße 6, 44575 Castrop-Rauxel"),
            actor=None,
            now=now,
        )
    connections.close_all()
    return events


def start_gunicorn(database: str, args) -> Server:
    """Serve the app as in production; the environment set in main() points it at the bench."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False) as log:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ]
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=log)
    server = Server(process, port, database, log.name)
    wait_until_ready(server)
    return server


def wait_until_ready(server: Server, timeout: float = 180) -> None:  # a loaded machine starts slowly
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited with {server.process.returncode}:\n{Path(server.log_path).read_text()}"
            )
        try:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=2)
            connection.request("GET", "/api/events")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{Path(server.log_path).read_text()}")


def stop(server: Server | None) -> None:
    if server is None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    Path(server.log_path).unlink(missing_ok=True)


# What the API answers a citizen whose registration was received (docs/api.md, "Registering"),
# and what the baseline answers for its row.
ACCEPTED = 202
BASELINE_CREATED = 201


def registration_path(slug: str) -> str:
    return f"/api/events/{slug}/registrations"


def citizen(run_id: str, number: int) -> bytes:
    return json.dumps(
        {
            "name": f"Bürgerin {number}",
            "email": f"{run_id}-{number}@example.org",
            "seat": "onsite" if number % 5 < 3 else "online",
            "accept_terms": True,
            "broadcast_consent": True,
            "language": "de",
        }
    ).encode()


def rush(server: Server, path: str, run: Run, requests: int) -> None:
    """`run.clients` threads, each with its own connection (kept alive where the server allows),
    send `requests` POSTs in all, each as soon as its previous one is answered; the outcome is
    added to `run`. A 503 is retried after its Retry-After, as a browser would; a request's
    latency runs until its final answer, waits included."""
    run_id = secrets.token_hex(4)
    numbers = iter(range(requests))
    numbers_lock = threading.Lock()
    start = threading.Barrier(run.clients + 1)
    results: list[Run] = []

    def client() -> Run:
        mine = Run(run.endpoint, run.clients)
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        headers = {"Content-Type": "application/json"}
        start.wait()
        while True:
            with numbers_lock:
                number = next(numbers, None)
            if number is None:
                connection.close()
                return mine
            body = citizen(run_id, number)
            began = time.perf_counter()
            while True:
                try:
                    connection.request("POST", path, body, headers)
                    response = connection.getresponse()
                    response.read()
                    status, retry_after = response.status, response.getheader("Retry-After")
                except (OSError, http.client.HTTPException):
                    connection.close()
                    status, retry_after = 0, None
                if status == 503 and retry_after:
                    mine.retried_503 += 1
                    time.sleep(float(retry_after))
                    continue
                break
            mine.latencies.append(time.perf_counter() - began)
            mine.statuses[status] += 1

    # Daemon threads, so that an interrupted bench goes straight to its clean-up.
    threads = [threading.Thread(target=lambda: results.append(client()), daemon=True) for _ in range(run.clients)]
    for thread in threads:
        thread.start()
    cpu_before = server.cpu_seconds()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    run.seconds += time.perf_counter() - began
    run.cpu_seconds += server.cpu_seconds() - cpu_before
    for mine in results:
        run.latencies += mine.latencies
        run.statuses += mine.statuses
        run.retried_503 += mine.retried_503


def unanswered(run: Run, expected: int = ACCEPTED) -> list[str]:
    wrong = {status: count for status, count in run.statuses.items() if status != expected}
    if not wrong:
        return []
    return [f"{run.endpoint} at {run.clients} clients: answers other than {expected} (0 = no answer): {wrong}"]


def allocation_problems(event) -> list[str]:
    """Compare the rows with the seats: exactly the capacity confirmed, everybody else on the
    waiting list at positions 1..N without gaps, and the seat-pool counters telling the same."""
    from django.db import connections

    from registrations.models import Registration, Status

    problems = []
    for seat, capacity in SEATS.items():
        rows = Registration.objects.filter(event=event, seat_type=seat)
        confirmed = rows.filter(status=Status.CONFIRMED).count()
        waiting = rows.filter(status=Status.WAITLISTED).order_by("waitlist_position")
        positions = list(waiting.values_list("waitlist_position", flat=True))
        others = rows.exclude(status__in=[Status.CONFIRMED, Status.WAITLISTED]).count()
        pool = event.seat_pools.get(seat_type=seat)
        where = f"{event.slug} {seat}"
        if confirmed != capacity:
            problems.append(f"{where}: {confirmed} confirmed for {capacity} seats")
        if positions != list(range(1, len(positions) + 1)):
            problems.append(f"{where}: waiting list positions are not 1..{len(positions)}")
        if others:
            problems.append(f"{where}: {others} registrations neither confirmed nor waitlisted")
        if (pool.confirmed, pool.waitlisted) != (confirmed, len(positions)):
            counted = f"{pool.confirmed}/{pool.waitlisted}"
            problems.append(
                f"{where}: seat pool counts {counted} confirmed/waitlisted, rows {confirmed}/{len(positions)}"
            )
    connections.close_all()
    return problems


def print_report(runs: list[tuple[Run, Run]]) -> None:
    print(
        f"\nBaseline and registration took turns in {ROUNDS} rounds. Latency until the final answer, 503 retries"
        "\nincluded. CPU: gunicorn workers and their PostgreSQL backends, per request.\n"
    )
    print(
        f"{'endpoint':<13} {'clients':>7} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'CPU ms':>7} {'503 retried':>11} {'req/s ratio':>11}"
    )
    for baseline, registration in runs:
        for run in (baseline, registration):
            ratio = f"{registration.throughput / baseline.throughput:.2f}" if run is registration else ""
            print(
                f"{run.endpoint:<13} {run.clients:>7} {len(run.latencies):>8} {run.throughput:>7.1f} "
                f"{run.percentile_ms(50):>7.1f} {run.percentile_ms(95):>7.1f} {run.percentile_ms(99):>7.1f} "
                f"{run.cpu_ms_per_request:>7.2f} {run.retried_503:>11} {ratio:>11}"
            )
    at_target = next(((b, r) for b, r in runs if r.clients == TARGET_CLIENTS), None)
    if at_target is None:
        print(f"\nNo run at {TARGET_CLIENTS} clients, so the targets were not checked.")
        return
    baseline, registration = at_target
    ratio = registration.throughput / baseline.throughput
    p99 = registration.percentile_ms(99)
    targets = [
        (f"registration throughput {ratio:.2f} × baseline (target ≥ {TARGET_RATIO})", ratio >= TARGET_RATIO),
        (f"registration p99 {p99:.0f} ms at {TARGET_CLIENTS} clients (target < {TARGET_P99_MS})", p99 < TARGET_P99_MS),
    ]
    print()
    for text, met in targets:
        print(f"{'met   ' if met else 'MISSED'}  {text}")
    cost = registration.cpu_ms_per_request / baseline.cpu_ms_per_request
    print(f"        a registration costs {cost:.1f} × the server CPU of a baseline insert")
    if not all(met for _, met in targets):
        print("\n!!! PERFORMANCE TARGET MISSED: see docs/benchmarks.md for where the time goes !!!")


if __name__ == "__main__":
    sys.exit(main())
