"""E-mail intake throughput: 5,000 mails from a real Dovecot, processed into registrations,
against a plain imap-tools fetch of the same mails in the same run.

Run: python bench/intake.py [--mails 5000]   (needs dovecot-imapd and PostgreSQL at 127.0.0.1)
"""

import argparse
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret")
# As in production: answers are delivered by the outbox workers, not inside the intake run
# (bench/mail.py measures delivery).
os.environ["TASKS_BACKEND"] = "db"
DATABASE = f"stadtdialog_bench_intake_{os.getpid()}"
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"


def create_database():
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{DATABASE}"')


def drop_database():
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def main():
    from bench import switches

    parser = argparse.ArgumentParser()
    parser.add_argument("--mails", type=int, default=5000)
    switches.add_option(parser)
    args = parser.parse_args()
    count = args.mails
    switches.take_option(args)
    print(f"mechanisms: {switches.describe()}")
    create_database()
    server = None
    try:
        import django

        django.setup()
        switches.apply_to_code()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from tests.registrations.dovecot import Dovecot

        server = Dovecot.in_temporary_folder()
        run(server, count)
    finally:
        if server is not None:
            server.stop()
        from django.db import connections

        connections.close_all()
        drop_database()


def run(server, count):
    from imap_tools import MailBoxUnencrypted

    from events import services
    from events.services import SeatPlan
    from registrations.intake.imap import DONE_FLAG, fetch_new_mails
    from registrations.models import Registration
    from tests.registrations.mail_corpus import build_corpus

    now = datetime.now(UTC)
    keywords = {
        "onsite": "Digitalisierung 20.08.",
        "online": "Digitalisierung 31.08.",
        "hybrid": "Trikala",
        "closed": "Zukunftswerkstatt",
    }
    for key, keyword in keywords.items():
        fmt = {"onsite": "onsite", "hybrid": "hybrid"}.get(key, "online")
        seats = {
            t: SeatPlan(count)
            for t in ({"onsite"} if fmt == "onsite" else {"online"} if fmt == "online" else {"onsite", "online"})
        }
        services.create_event(
            {
                "title_de": key,
                "format": fmt,
                "starts_at": now + timedelta(days=30),
                "ends_at": now + timedelta(days=30, hours=2),
                "keyword": keyword,
                "registration_opens_at": now - timedelta(days=60),
                "registration_closes_at": now - timedelta(days=40) if key == "closed" else now + timedelta(days=20),
                "status": "published",
            },
            seats=seats,
            venue=services.VenueData("DIEZE", "Erinstraße 6") if fmt != "online" else None,
            actor=None,
            now=now,
        )
    corpus = build_corpus(keywords, size=count, start=now - timedelta(days=10))
    with server.account().connect() as mailbox:
        for mail in corpus:
            mailbox.append(mail.raw, "INBOX", dt=mail.internal_date, flag_set=[])

    account = server.account()
    started = time.perf_counter()
    with MailBoxUnencrypted(account.host, account.port).login(account.user, account.password) as mailbox:
        fetched = sum(1 for _ in mailbox.fetch("ALL", mark_seen=False))
    baseline = time.perf_counter() - started

    started = time.perf_counter()
    result = fetch_new_mails(account)
    intake = time.perf_counter() - started

    with MailBoxUnencrypted(account.host, account.port).login(account.user, account.password) as mailbox:
        left = len(mailbox.uids(f"NOT KEYWORD {DONE_FLAG}"))
    expected = sum(1 for m in corpus if m.expect == "registered")
    registered = Registration.objects.count()
    print(f"mails: {count}   fetched by plain imap-tools: {fetched}   processed by intake: {result.processed}")
    print(f"plain imap-tools fetch : {count / baseline:8.1f} mails/s  ({baseline:6.2f} s)")
    print(f"Stadtdialog intake     : {count / intake:8.1f} mails/s  ({intake:6.2f} s, parse + register + flag)")
    ratio = baseline / intake
    print(f"ratio intake/baseline  : {ratio:8.2f}×   target ≥ 0.5× → {'met' if ratio >= 0.5 else 'MISSED'}")
    print(f"registrations: {registered} (expected {expected}); unflagged left: {left}")
    if registered != expected or left:
        sys.exit("intake lost or duplicated mails")


if __name__ == "__main__":
    main()
