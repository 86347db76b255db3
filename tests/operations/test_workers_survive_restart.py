"""The five long-running workers outlive a PostgreSQL restart: `send_outbox --loop`,
`release_seats --loop`, `sync_zoom --loop`, `fetch_registrations --loop` and `db_worker` keep
running, and do their work afterwards. Each runs as its own process against a private cluster
(tests/operations/conftest.py) that the test restarts; the shared server is never touched."""

import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.operations.private_postgres import MANAGE, app_environment, django_shell, free_port
from tests.registrations.dovecot import Dovecot
from tests.registrations.mail_corpus import plain

KEYWORD = "Neustart 12.12."

SETUP = """
from datetime import timedelta
from django.utils import timezone
from events.services import SeatPlan, TermsData, VenueData, create_event
now = timezone.now()
create_event(
    {"title_de": "Dialog nach dem Neustart", "format": "online", "keyword": %(keyword)r,
     "starts_at": now + timedelta(days=10), "ends_at": now + timedelta(days=10, hours=2),
     "registration_opens_at": now - timedelta(days=1), "registration_closes_at": now + timedelta(days=5),
     "allocation": "first_come", "status": "published"},
    seats={"online": SeatPlan(50, 0)}, venue=VenueData("Rathaus", "Europaplatz 1"),
    terms=TermsData(text_de="Ich bin einverstanden."), actor=None, now=now,
)
"""

PROGRESS = """
import json
from datetime import datetime
from django_tasks_db.models import DBTaskResult
from registrations.intake.models import IntakeMail
from registrations.models import OutboxMail, Registration
print(json.dumps({
    "intake": IntakeMail.objects.filter(sender_email="after-restart@example.org").count(),
    "registered": Registration.objects.filter(email="after-restart@example.org").count(),
    "mails": list(OutboxMail.objects.filter(to="after-restart@example.org").values_list("state", flat=True)),
    "tasks": list(
        DBTaskResult.objects.filter(enqueued_at__gt=datetime.fromisoformat(%(restarted)r))
        .values_list("status", flat=True)
    ),
}))
"""

WORKERS = {
    "send_outbox": ["send_outbox", "--loop", "--interval", "1"],
    "release_seats": ["release_seats", "--loop", "--interval", "1"],
    "sync_zoom": ["sync_zoom", "--loop", "--interval", "1"],
    "fetch_registrations": ["fetch_registrations", "--loop", "--idle-seconds", "2"],
    "db_worker": ["db_worker", "--interval", "0.5", "--no-startup-delay", "--no-reload"],
}

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def dovecot():
    server = Dovecot.in_temporary_folder()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def environment(private_postgres, dovecot, tmp_path_factory):
    mail_folder = tmp_path_factory.mktemp("mail")
    environment = {
        "DATABASE_URL": private_postgres.new_database("workers"),
        "TASKS_BACKEND": "db",
        "EMAIL_URL": f"file://{mail_folder}",
        "INTAKE_IMAP_URL": dovecot.url,
        # API mode, so that sync_zoom runs its rounds; nothing is due, so Zoom is never called.
        "ZOOM_ACCOUNT_ID": "account",
        "ZOOM_CLIENT_ID": "client",
        "ZOOM_CLIENT_SECRET": "secret",
        "ZOOM_API_URL": f"http://127.0.0.1:{free_port()}/v2",
        "ZOOM_OAUTH_URL": f"http://127.0.0.1:{free_port()}/oauth/token",
    }
    django_shell(SETUP % {"keyword": KEYWORD}, environment)
    return environment


@pytest.fixture
def workers(environment, tmp_path):
    running = {}
    for name, arguments in WORKERS.items():
        output = (tmp_path / f"{name}.log").open("w")
        running[name] = (
            subprocess.Popen(
                [sys.executable, str(MANAGE), *arguments],
                env=app_environment(environment),
                stdout=output,
                stderr=subprocess.STDOUT,
            ),
            tmp_path / f"{name}.log",
        )
    yield running
    for process, _log in running.values():
        process.terminate()
    for process, _log in running.values():
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_for(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.5)


def round_lines(log: Path) -> int:
    return log.read_text(errors="replace").count("catch-up")


def test_every_worker_goes_on_working_after_the_database_restarts(private_postgres, environment, dovecot, workers):
    zoom_log = workers["sync_zoom"][1]
    wait_for(lambda: round_lines(zoom_log) >= 2, timeout=60, what="sync_zoom's first rounds")
    wait_for(lambda: "processed" in workers["fetch_registrations"][1].read_text(), timeout=60, what="first intake")
    time.sleep(2)  # the db_worker and send_outbox are polling now

    private_postgres.restart()
    restarted = datetime.now(UTC).isoformat()
    time.sleep(5)  # every worker meets the cut connections

    dead = {name: log.read_text(errors="replace")[-2000:] for name, (p, log) in workers.items() if p.poll() is not None}
    assert not dead, dead

    rounds_before = round_lines(zoom_log)
    with dovecot.account().connect() as mailbox:
        raw = plain("Nach Neustart <after-restart@example.org>", f"Anmeldung {KEYWORD}", "Hallo,\nich komme.\n")
        mailbox.append(raw, "INBOX", dt=datetime.now(UTC), flag_set=[])

    # The mail is read (fetch_registrations), registers its writer and queues the confirmation,
    # whose delivery task the db_worker runs; send_outbox --loop sends whatever is left.
    def progress():
        state = json.loads(django_shell(PROGRESS % {"restarted": restarted}, environment))
        sent = state["mails"] and set(state["mails"]) == {"sent"}
        done = sent and state["tasks"] and set(state["tasks"]) == {"SUCCESSFUL"}
        return state if done else None

    state = wait_for(progress, timeout=120, what="the work queued after the restart")
    assert (state["intake"], state["registered"]) == (1, 1)
    wait_for(lambda: round_lines(zoom_log) > rounds_before, timeout=60, what="sync_zoom rounds after the restart")
    assert all(process.poll() is None for process, _log in workers.values())
    for name in WORKERS:
        assert "database error" in workers[name][1].read_text(errors="replace"), name
