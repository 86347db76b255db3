"""Sending 2,000 confirmation mails (text, HTML, calendar entry and QR ticket) through the outbox
to a local SMTP server, next to plain smtplib sending the same prepared messages in the same run.

    python bench/mail.py [--mails 2000] [--sqlite]

It runs on a fresh PostgreSQL database (BENCH_DATABASE_URL names the server, as for rush.py),
or on a temporary SQLite file with --sqlite. The SMTP server (aiosmtpd) runs in its own process,
so that it does not share the GIL with the sender. Phases, each timed on its own:

1. 2,000 registrations while no worker runs (tasks are rows for `db_worker`, as in production,
   and none runs yet), so every confirmation waits in the outbox;
2. rendering: each mail is built once (templates, .ics, QR PNG) and stored, as the first
   delivery attempt does;
3. the outbox: `deliver_due()` claims, sends and marks every mail, as `send_outbox` does;
4. the baseline: one smtplib connection sending the same stored bytes;
5. end to end, as a citizen waits for it: 2,000 more registrations for a second event while two
   `manage.py db_worker` and one `send_outbox --loop` run (as in production), timed from the first registration to
   the last mail received by the SMTP server.

The ratio compares 3 with 4 (target: at least 0.5); "end to end" compares 5 with 4. The SMTP
server counts Message-IDs: the run fails if the outbox sent any mail twice or missed one, in
phase 3 or in phase 5.
"""

import argparse
import json
import os
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BENCH_DATABASE = "stadtdialog_bench_mail"
TARGET_RATIO = 0.5
WORKER_LOG = Path(tempfile.gettempdir()) / "stadtdialog-bench-mail-workers.log"
END_TO_END_PATIENCE = 120  # seconds to wait for the last mail after the last registration


def serve(port: int) -> None:
    """The SMTP server process: accepts everything, counts mails and distinct Message-IDs, and
    answers "stats" on stdin with the counts since the last question."""
    import email.parser

    from aiosmtpd.controller import Controller

    seen: list[str] = []
    received = [0]
    headers = email.parser.BytesHeaderParser()

    class Counting:
        async def handle_DATA(self, server, session, envelope):
            seen.append(headers.parsebytes(envelope.original_content or envelope.content)["Message-ID"])
            received[0] += 1
            return "250 OK"

    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() == "stats":
            batch, seen[:] = list(seen), []
            print(json.dumps({"mails": len(batch), "distinct": len(set(batch))}), flush=True)
        elif line.strip() == "received":  # every mail since the start, without resetting
            print(received[0], flush=True)
    controller.stop()


class SMTPServerProcess:
    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(self.port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready"

    def stats(self) -> dict:
        self.process.stdin.write("stats\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def received(self) -> int:
        self.process.stdin.write("received\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def stop(self):
        self.process.stdin.close()
        self.process.wait(timeout=10)


def set_up_django(database_url: str, smtp_port: int) -> None:
    os.environ.update(
        {
            "DEBUG": "true",
            "DATABASE_URL": database_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}?timeout=10",
            # As in production: a confirmation is a task row for `db_worker` (none runs until
            # phase 5, so in phases 1-3 every mail waits in the outbox).
            "TASKS_BACKEND": "db",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    assert "DatabaseBackend" in settings.TASKS["default"]["BACKEND"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_event(mails: int, title: str = "Auftakt: Die Digitalisierungsstrategie entsteht im Bürgerdialog"):
    from django.utils import timezone

    from events.services import SeatPlan, TermsData, VenueData, create_event

    now = timezone.now()
    starts = now + timedelta(days=14)
    return create_event(
        {
            "title_de": title,
            "format": "onsite",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "registration_opens_at": now - timedelta(days=1),
            "registration_closes_at": starts - timedelta(days=1),
            "status": "published",
        },
        seats={"onsite": SeatPlan(mails)},
        venue=VenueData("DIEZE", "Erinstraße 6, 44575 Castrop-Rauxel"),
        terms=TermsData("Ich bin einverstanden.", "I agree.", True, "Ich darf gefilmt werden.", "I may be filmed."),
        actor=None,
        now=now,
    )


def start_worker(command: list[str]) -> subprocess.Popen:
    """A worker as production runs it (docs/operations.md), with this process's settings."""
    log = open(WORKER_LOG, "a")  # noqa: SIM115 - the worker writes to it until it ends
    return subprocess.Popen([sys.executable, str(ROOT / "manage.py"), *command], cwd=ROOT, stdout=log, stderr=log)


def timed(label: str, count: int, work) -> float:
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    rate = count / seconds
    print(f"{label:<42} {count:>5} in {seconds:6.2f} s = {rate:7.0f} /s", flush=True)
    return rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mails", type=int, default=2000)
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead of PostgreSQL")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args, _others = parser.parse_known_args()  # run_all.py passes every benchmark the same options
    if args.serve:
        serve(args.serve)
        return 0

    server = SMTPServerProcess()
    with tempfile.TemporaryDirectory() as folder:
        try:
            database_url = f"sqlite:///{folder}/bench.sqlite3" if args.sqlite else fresh_postgres_database()
            set_up_django(database_url, server.port)
            return run(args.mails, server, sqlite=args.sqlite)
        finally:
            server.stop()


def fresh_postgres_database() -> str:
    import psycopg

    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    return ADMIN_DATABASE_URL.rsplit("/", 1)[0] + f"/{BENCH_DATABASE}"


def run(mails: int, server: SMTPServerProcess, *, sqlite: bool) -> int:
    from django.conf import settings
    from django.utils import timezone

    from registrations import services
    from registrations.models import MailState, OutboxMail
    from registrations.outbox.delivery import deliver_due, render_and_store
    from registrations.submissions import RegistrationData

    event = make_event(mails)
    print(f"{mails} confirmation mails with calendar entry and QR ticket to aiosmtpd on 127.0.0.1:{server.port}")

    def register_everyone(event=event, first=0):
        for number in range(first, first + mails):
            now = timezone.now()
            data = RegistrationData(
                name=f"Bürgerin {number}",
                email=f"b{number}@example.org",
                seat_type="onsite",
                language="de" if number % 3 else "en",
                accept_terms=True,
                broadcast_consent=True,
            )
            services.register(event, data, channel="web", received_at=now, now=now)

    def render_everything():
        for mail in OutboxMail.objects.select_related("event", "registration").iterator():
            render_and_store(mail)

    report = {}

    def deliver_through_outbox():
        report["outbox"] = deliver_due(now=timezone.now() + timedelta(seconds=1))

    prepared: list[tuple[str, bytes]] = []  # filled after the outbox run, from what it stored

    def send_with_smtplib():
        connection = smtplib.SMTP("127.0.0.1", server.port, timeout=10)
        for to, raw in prepared:
            connection.sendmail(settings.DEFAULT_FROM_EMAIL, [to], raw)
        connection.quit()

    timed("registrations (mails queued, none sent)", mails, register_everyone)
    render_rate = timed("rendering (templates, .ics, QR PNG)", mails, render_everything)
    outbox_rate = timed("outbox: claim, send, mark sent", mails, deliver_through_outbox)
    outbox_stats = server.stats()
    prepared.extend((mail.to, bytes(mail.rendered)) for mail in OutboxMail.objects.order_by("pk"))
    smtplib_rate = timed("baseline: plain smtplib, same bytes", mails, send_with_smtplib)
    baseline_stats = server.stats()

    sent = OutboxMail.objects.filter(state=MailState.SENT).count()
    WORKER_LOG.unlink(missing_ok=True)
    second = make_event(mails, "Zweiter Termin: Die Digitalisierungsstrategie entsteht im Bürgerdialog")
    # Production runs two db_workers or more and send_outbox --loop (docs/operations.md); on
    # SQLite a second db_worker would only wait for the database's one write lock.
    workers = [
        *(
            start_worker(["db_worker", "--no-reload", "--worker-id", f"bench-{number}", "--interval", "0.1"])
            for number in range(1 if sqlite else 2)
        ),
        start_worker(["send_outbox", "--loop"]),
    ]
    try:
        before = server.received()

        def register_until_received():
            register_everyone(second, first=mails)
            waited_since = time.monotonic()
            while server.received() - before < mails and time.monotonic() - waited_since < END_TO_END_PATIENCE:
                time.sleep(0.05)

        end_to_end_rate = timed("end to end: register → mail received", mails, register_until_received)
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=30)
    end_to_end_stats = server.stats()

    ratio = outbox_rate / smtplib_rate
    print(f"{'outbox / smtplib':<42} {ratio:5.2f}×  (target ≥ {TARGET_RATIO}×)")
    print(f"{'rendering + outbox / smtplib':<42} {1 / (1 / render_rate + 1 / outbox_rate) / smtplib_rate:5.2f}×")
    print(f"{'end to end (with workers) / smtplib':<42} {end_to_end_rate / smtplib_rate:5.2f}×")
    if ratio < TARGET_RATIO:
        print(f"!!! below the target of {TARGET_RATIO}× plain smtplib")

    problems = []
    if report["outbox"].sent != mails or sent != mails:
        problems.append(f"the outbox sent {report['outbox'].sent} of {mails} mails")
    if outbox_stats != {"mails": mails, "distinct": mails}:
        problems.append(f"the server received {outbox_stats} from the outbox")
    if baseline_stats["mails"] != mails:
        problems.append(f"the baseline delivered {baseline_stats['mails']} mails")
    if end_to_end_stats != {"mails": mails, "distinct": mails}:
        problems.append(f"end to end, the server received {end_to_end_stats} for {mails} registrations")
    for problem in problems:
        print(f"FAILED: {problem}")
    if problems and WORKER_LOG.exists():
        print(f"(the workers' log: {WORKER_LOG})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
