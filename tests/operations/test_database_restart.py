"""PostgreSQL restarts in the middle of a rush of registrations over HTTP: every request either
succeeds fully (202, received) or fails with 503 and Retry-After, and no registration is half saved.

The app runs as in production (gunicorn, several workers and threads) against a private cluster
(tests/operations/conftest.py) that the test restarts; the shared server is never touched."""

import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.operations.private_postgres import MANAGE, app_environment, django_shell, free_port

pytestmark = pytest.mark.postgres

CLIENTS = 12
REGISTRATIONS = 240
GUNICORN = Path(sys.executable).with_name("gunicorn")

CREATE_EVENT = """
from datetime import timedelta
from django.utils import timezone
from events.services import SeatPlan, TermsData, VenueData, create_event
now = timezone.now()
event = create_event(
    {"title_de": "Bürgerdialog im Ansturm", "format": "hybrid",
     "starts_at": now + timedelta(days=10), "ends_at": now + timedelta(days=10, hours=2),
     "registration_opens_at": now - timedelta(days=1), "registration_closes_at": now + timedelta(days=5),
     "allocation": "first_come", "status": "published"},
    seats={"onsite": SeatPlan(100, 0), "online": SeatPlan(60, 0)},
    venue=VenueData("Rathaus", "Europaplatz 1, Castrop-Rauxel"),
    terms=TermsData(text_de="Ich bin einverstanden."), actor=None, now=now,
)
print(event.slug)
"""

# What the database holds after the rush, as the assertions need it.
INVENTORY = """
import json
from django.db.models import Count
from events.models import AuditEntry, Event, SeatPool
from registrations.models import OutboxMail, Registration
event = Event.objects.get(slug=%(slug)r)
registrations = Registration.objects.filter(event=event)
audited = set(AuditEntry.objects.filter(action="registration.created").values_list("target_id", flat=True))
pools = []
for pool in SeatPool.objects.filter(event=event):
    mine = registrations.filter(seat_type=pool.seat_type)
    counted = [mine.filter(status=status).count() for status in ("confirmed", "waitlisted", "pending")]
    pools.append({"counters": [pool.confirmed, pool.waitlisted, pool.pending], "rows": counted})
print(json.dumps({
    "emails": list(registrations.values_list("email", flat=True)),
    "without_consent": registrations.annotate(n=Count("consents")).filter(n=0).count(),
    "without_mail": registrations.annotate(n=Count("outbox_mails")).filter(n=0).count(),
    "unaudited": len(set(registrations.values_list("pk", flat=True)) - audited),
    "mails": OutboxMail.objects.filter(event=event).count(),
    "registrations": registrations.count(),
    "pools": pools,
}))
"""


@pytest.fixture(scope="module")
def environment(private_postgres):
    return {
        "DATABASE_URL": private_postgres.new_database("rush"),
        "ALLOWED_HOSTS": "127.0.0.1",
        # Mails stay queued rows (no worker runs); sending them is not what this test is about.
        "TASKS_BACKEND": "db",
    }


@pytest.fixture
def app(environment, tmp_path):
    """gunicorn as docs/operations.md runs it, without rate limits' shared-address effects:
    every client here is 127.0.0.1, so the registration limit is lifted for the test."""
    port = free_port()
    settings_module = tmp_path / "rush_settings.py"
    settings_module.write_text("from config.settings import *  # noqa: F403\n\nRATE_LIMITS = {}\n")
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(GUNICORN), "config.wsgi", "--workers", "2", "--threads", "4", "--bind", f"127.0.0.1:{port}"],
        cwd=MANAGE.parent,
        env=app_environment(
            {**environment, "DJANGO_SETTINGS_MODULE": "rush_settings", "PYTHONPATH": f"{tmp_path}:{MANAGE.parent}"}
        ),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/health", timeout=2)
            break
        except urllib.error.HTTPError:
            break  # it answers (503 while workers are not expected is fine)
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise AssertionError((tmp_path / "gunicorn.log").read_text()) from None
            time.sleep(0.3)
    yield url
    server.terminate()
    server.wait(timeout=20)


def register(base_url: str, slug: str, number: int) -> tuple[int, str, dict]:
    email = f"rush{number}@example.org"
    body = {
        "name": f"Citizen {number}",
        "email": email,
        "seat": "onsite" if number % 3 else "online",
        "accept_terms": True,
        "language": "de",
    }
    request = urllib.request.Request(
        f"{base_url}/api/events/{slug}/registrations",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, email, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, email, {**dict(error.headers), "body": error.read().decode()}


def test_a_restart_during_a_rush_leaves_only_whole_registrations(private_postgres, environment, app):
    slug = django_shell(CREATE_EVENT, environment).strip()
    started = threading.Event()
    restarted = []

    def restart_after_some_requests():
        started.wait()
        time.sleep(0.3)
        private_postgres.restart()
        restarted.append(True)

    restarter = threading.Thread(target=restart_after_some_requests)
    restarter.start()

    def client(number):
        if number == 20:
            started.set()
        return register(app, slug, number)

    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(client, range(REGISTRATIONS)))
    restarter.join()
    assert restarted
    private_postgres.wait_until_ready()

    statuses = {status for status, _email, _headers in answers}
    assert statuses <= {202, 503}, sorted((s, h.get("body", "")[:200]) for s, _e, h in answers if s not in (202, 503))
    assert 202 in statuses and 503 in statuses, "the restart should have refused some requests"
    for status, _email, headers in answers:
        if status == 503:
            assert json.loads(headers["body"])["code"] == "busy"
            assert headers["Retry-After"]

    held = json.loads(django_shell(INVENTORY % {"slug": slug}, environment))
    succeeded = {email for status, email, _headers in answers if status == 202}
    assert succeeded <= set(held["emails"])
    # Every row is whole: its consent, its audit line and its mail came with it.
    assert (held["without_consent"], held["without_mail"], held["unaudited"]) == (0, 0, 0)
    assert held["mails"] == held["registrations"]
    for pool in held["pools"]:
        assert pool["counters"] == pool["rows"]
