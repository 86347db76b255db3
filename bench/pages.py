"""The pages everyone opens when the press release goes out, under a read rush, over HTTP.

Starts gunicorn (production settings, DEBUG off) on a fresh PostgreSQL database with many
events, ideas and registrations, and lets N concurrent readers fetch, in turns of three rounds:

- the baseline `/bench/page/<slug>/`, a bare view in the same server that reads the event and
  renders a small template (bench/urls.py);
- the event page with its registration form, `/veranstaltungen/<slug>/`;
- the home page (the upcoming events), `/`;
- the plenum wall of an event with breakout groups and ideas, `/veranstaltungen/<slug>/plenum/`.

    python bench/pages.py [--clients 8,64] [--requests 1200] [--workers 2] [--threads 16]
                          [--events 40] [--ideas 120] [--registrations 300] [--etag]
                          [--without page_cache]

With --etag the readers behave as a browser that opens the page again: each keeps the cookies it
was given (the CSRF cookie, to which the event page's ETag is bound, core/public_pages.py) and
sends back the ETag it got (If-None-Match), so that an unchanged page is answered 304 (the
baseline has no ETag and answers 200). `--without page_cache` renders every page for every
reader (bench/switches.py). Exits non-zero when a page answered other than 200 (or 304 with
--etag), the event page lacks its form or CSRF token, or the home page lacks an event; a missed target
(event page ≥ 0.5 × the baseline, p99 < 150 ms at 64 clients) is printed loudly but does not
fail the run. The machine's other load changes absolute figures: compare the ratios.
"""

import argparse
import http.client
import os
import re
import secrets
import signal
import sys
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import switches
from bench.rush import (
    ADMIN_DATABASE_URL,
    ROUNDS,
    Run,
    Server,
    admin_sql,
    citizen,
    registration_path,
    start_gunicorn,
    stop,
)

TARGET_RATIO = 0.5
TARGET_P99_MS = 150
TARGET_CLIENTS = 64
WARM_UP_REQUESTS = 100


@dataclass
class Page:
    name: str
    path: str
    must_contain: tuple[str, ...]


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    database = f"stadtdialog_bench_pages_{os.getpid()}"
    server_env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": urlsplit(ADMIN_DATABASE_URL)._replace(path=f"/{database}").geturl(),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(server_env)
    admin_sql(f'CREATE DATABASE "{database}"')
    server = None
    problems: list[str] = []
    try:
        pages = prepare_database(args)
        server = start_gunicorn(database, args)
        print(f"gunicorn: {args.workers} workers × {args.threads} threads on 127.0.0.1:{server.port}", flush=True)
        print(f"mechanisms: {switches.describe()}", flush=True)
        for page in pages:
            problems += check_page(server, page)
            read(server, page, Run("warm-up", 8), WARM_UP_REQUESTS, etag=args.etag)
        results = []
        for clients in args.clients:
            runs = {page.name: Run(page.name, clients) for page in pages}
            for _ in range(ROUNDS):
                for page in pages:
                    read(server, page, runs[page.name], args.requests // ROUNDS, etag=args.etag)
            for run in runs.values():
                problems += unanswered(run, etag=args.etag)
            results.append(runs)
            print(f"  {clients} clients done", flush=True)
        problems += check_seats_shown_after_a_registration(server, pages[1], slug=pages[1].path.split("/")[2])
        print_report(results, pages[0].name)
    finally:
        if problems and server is not None:
            print(f"\ngunicorn log:\n{Path(server.log_path).read_text()[-5000:]}")
        stop(server)
        admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    if problems:
        print("\nFAILED:\n  " + "\n  ".join(problems))
        return 1
    print("\nEvery page answered, with its content.")
    return 0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", default="8,64", type=lambda s: [int(n) for n in s.split(",")])
    parser.add_argument("--requests", default=1200, type=int, help="per page and client count")
    parser.add_argument("--workers", default=2, type=int)
    parser.add_argument("--threads", default=16, type=int)
    parser.add_argument("--events", default=40, type=int, help="published upcoming events")
    parser.add_argument("--ideas", default=120, type=int, help="ideas on the plenum wall")
    parser.add_argument("--registrations", default=300, type=int, help="registrations of the event read")
    parser.add_argument("--etag", action="store_true", help="send If-None-Match, as a browser reopening the page")
    switches.add_option(parser)
    args = parser.parse_args()
    switches.take_option(args)
    return args


def prepare_database(args) -> list[Page]:
    """Events (the first one read, with registrations, groups and ideas for the plenum)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from events.services import SeatPlan, TermsData, VenueData, create_event
    from ideas.models import BreakoutGroup, Idea, IdeaSource, Moderation
    from registrations import services
    from registrations.submissions import RegistrationData

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: the pages need the manifest
    now = timezone.now()
    events = []
    for number in range(args.events):
        starts = now + timedelta(days=7 + number)
        events.append(
            create_event(
                {
                    "title_de": f"Bürgerdialog Nr. {number}: Wie digital soll das Rathaus werden?",
                    "description_de": "Die Stadt lädt ein.\n\nWir sammeln Ideen in Gruppen und stimmen ab.",
                    "format": "hybrid",
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=2),
                    "registration_opens_at": now - timedelta(hours=1),
                    "registration_closes_at": starts - timedelta(days=1),
                    "livestream_url": "https://example.org/live",
                    "status": "published",
                },
                seats={"onsite": SeatPlan(200), "online": SeatPlan(200)},
                venue=VenueData("DIEZE", "Erinstraße 6, 44575 Castrop-Rauxel"),
                terms=TermsData("Ich bin einverstanden.", "I agree.", True, "Ich darf gefilmt werden.", "I may be."),
                actor=None,
                now=now,
            )
        )
    event = events[0]
    for number in range(args.registrations):
        data = RegistrationData(
            name=f"Bürgerin {number}",
            email=f"b{number}@example.org",
            seat_type="onsite" if number % 2 else "online",
            language="de",
            accept_terms=True,
            broadcast_consent=True,
        )
        services.register(event, data, channel="web", received_at=now, now=now)
    groups = [
        BreakoutGroup.objects.create(event=event, name=f"Tisch {number}", position=number, created_at=now)
        for number in range(1, 7)
    ]
    Idea.objects.bulk_create(
        Idea(
            event=event,
            group=groups[number % len(groups)],
            title=f"Idee {number}: Termine online buchen",
            text="Damit niemand mehr anstehen muss.",
            for_plenum=True,
            marked_for_plenum_at=now,
            source=IdeaSource.MODERATOR,
            moderation=Moderation.APPROVED,
            created_at=now,
            updated_at=now,
        )
        for number in range(args.ideas)
    )
    connections.close_all()
    return [
        Page("baseline", f"/bench/page/{event.slug}/", (event.title,)),
        Page("event page", f"/veranstaltungen/{event.slug}/", (event.title, 'name="csrfmiddlewaretoken"', "<form")),
        Page("home page", "/", tuple(e.title for e in events)),
        Page("plenum wall", f"/veranstaltungen/{event.slug}/plenum/", ("Idee 0:", f"Idee {args.ideas - 1}:")),
    ]


def check_page(server: Server, page: Page) -> list[str]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", page.path)
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    if response.status != 200:
        return [f"{page.name}: {response.status} for {page.path}"]
    text = re.sub(r"&#x27;|&#39;", "'", body).replace("&quot;", '"').replace("&amp;", "&")
    return [f"{page.name}: {wanted!r} missing" for wanted in page.must_contain if wanted not in text]


FREE_SEATS = re.compile(r"(\d+) Pl(?:atz|ätze) frei")


def free_seats_read(server: Server, page: Page, readers: int) -> set[int]:
    """The free seats the page shows to `readers` new readers (each on a connection of its own, so
    that both workers answer), summed over the seat types."""
    shown = set()
    for _ in range(readers):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.request("GET", page.path, headers={"Accept-Language": "de"})
        shown.add(sum(int(n) for n in FREE_SEATS.findall(connection.getresponse().read().decode())))
        connection.close()
    return shown


def check_seats_shown_after_a_registration(server: Server, event_page: Page, *, slug: str) -> list[str]:
    """The kept pages (core/public_pages.py) never show what the database held before a write: a
    registration committed, every reader after it sees one seat fewer."""
    before = free_seats_read(server, event_page, 12)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    body = citizen("after-the-rush", 0)
    connection.request("POST", registration_path(slug), body, {"Content-Type": "application/json"})
    status = connection.getresponse().status
    connection.close()
    after = free_seats_read(server, event_page, 12)
    if len(before) != 1 or status != 202 or after != {min(before) - 1}:
        shown = f"{sorted(before)} before a registration (answered {status}), {sorted(after)} after"
        return [f"event page: free seats shown {shown}"]
    print(f"  free seats shown: {min(before)} before a registration, {min(after)} right after", flush=True)
    return []


def read(server: Server, page: Page, run: Run, requests: int, *, etag: bool) -> None:
    """`run.clients` threads, each with its own kept-alive connection, GET the page `requests`
    times in all, each as soon as its previous answer is read."""
    remaining = [requests]
    lock = threading.Lock()
    start = threading.Barrier(run.clients + 1)
    results: list[Run] = []

    def client() -> Run:
        mine = Run(run.endpoint, run.clients)
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        tag = None
        cookies: dict[str, str] = {}
        start.wait()
        while True:
            with lock:
                if remaining[0] == 0:
                    connection.close()
                    return mine
                remaining[0] -= 1
            headers = {"Accept-Language": "de"}
            if etag and tag:
                headers["If-None-Match"] = tag
            if etag and cookies:
                headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
            began = time.perf_counter()
            try:
                connection.request("GET", page.path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
                tag = response.getheader("ETag") or tag
                for header in response.msg.get_all("Set-Cookie") or ():
                    cookies.update((name, morsel.value) for name, morsel in SimpleCookie(header).items())
            except (OSError, http.client.HTTPException):
                connection.close()
                status = 0
            mine.latencies.append(time.perf_counter() - began)
            mine.statuses[status] += 1

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


def unanswered(run: Run, *, etag: bool) -> list[str]:
    allowed = {200, 304} if etag else {200}
    wrong = {status: count for status, count in run.statuses.items() if status not in allowed}
    return [f"{run.endpoint} at {run.clients} clients: answers other than {sorted(allowed)}: {wrong}"] if wrong else []


def print_report(results: list[dict[str, Run]], baseline_name: str) -> None:
    print(f"\nThe pages took turns in {ROUNDS} rounds. CPU: gunicorn workers and their PostgreSQL backends.\n")
    print(
        f"{'page':<13} {'clients':>7} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'CPU ms':>7} {'ratio':>6}"
    )
    for runs in results:
        baseline = runs[baseline_name]
        for run in runs.values():
            ratio = "" if run is baseline else f"{run.throughput / baseline.throughput:.2f}"
            print(
                f"{run.endpoint:<13} {run.clients:>7} {len(run.latencies):>8} {run.throughput:>7.1f} "
                f"{run.percentile_ms(50):>7.1f} {run.percentile_ms(95):>7.1f} {run.percentile_ms(99):>7.1f} "
                f"{run.cpu_ms_per_request:>7.2f} {ratio:>6}"
            )
    at_target = next((runs for runs in results if runs[baseline_name].clients == TARGET_CLIENTS), None)
    if at_target is None:
        print(f"\nNo run at {TARGET_CLIENTS} clients, so the targets were not checked.")
        return
    baseline, event_page = at_target[baseline_name], at_target["event page"]
    ratio = event_page.throughput / baseline.throughput
    p99 = event_page.percentile_ms(99)
    targets = [
        (f"event page throughput {ratio:.2f} × baseline (target ≥ {TARGET_RATIO})", ratio >= TARGET_RATIO),
        (f"event page p99 {p99:.0f} ms at {TARGET_CLIENTS} clients (target < {TARGET_P99_MS})", p99 < TARGET_P99_MS),
    ]
    print()
    for text, met in targets:
        print(f"{'met   ' if met else 'MISSED'}  {text}")
    if not all(met for _, met in targets):
        print("\n!!! PERFORMANCE TARGET MISSED (on a loaded machine, re-measure on a quiet one) !!!")


if __name__ == "__main__":
    sys.exit(main())
