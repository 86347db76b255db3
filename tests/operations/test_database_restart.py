"""PostgreSQL restarts in the middle of a rush of registrations over HTTP: every request either
succeeds fully (202, received) or fails with 503 and Retry-After, and no registration is half saved."""

import json
import subprocess
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connections
from django.db.models import Count
from django.utils import timezone

from events.models import AuditEntry, SeatPool
from events.services import SeatPlan, TermsData, VenueData, create_event
from registrations.models import OutboxMail, Registration
from registrations.outbox import queue

pytestmark = [pytest.mark.postgres, pytest.mark.disruptive, pytest.mark.django_db(transaction=True)]

CLIENTS = 12
REGISTRATIONS = 240
RESTART = ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"]


def wait_until_postgres_answers(timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False).returncode != 0:
        if time.monotonic() > deadline:
            raise AssertionError("PostgreSQL did not come back")
        time.sleep(0.2)


@pytest.fixture
def postgres_running_afterwards():
    yield
    if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False).returncode != 0:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "start"], check=False)
    wait_until_postgres_answers()
    # The test's own connection died with the server; the teardown needs a fresh one.
    connections.close_all()


@pytest.fixture
def event(db, settings, monkeypatch):
    settings.RATE_LIMITS = {}
    # Mails stay queued rows; sending them is not what this test is about.
    monkeypatch.setattr(queue, "deliver_after_commit", lambda mail_ids: None)
    now = timezone.now()
    return create_event(
        {
            "title_de": "Bürgerdialog im Ansturm",
            "format": "hybrid",
            "starts_at": now + timedelta(days=10),
            "ends_at": now + timedelta(days=10, hours=2),
            "registration_opens_at": now - timedelta(days=1),
            "registration_closes_at": now + timedelta(days=5),
            "allocation": "first_come",
            "status": "published",
        },
        seats={"onsite": SeatPlan(100, 0), "online": SeatPlan(60, 0)},
        venue=VenueData("Rathaus", "Europaplatz 1, Castrop-Rauxel"),
        terms=TermsData(text_de="Ich bin einverstanden."),
        actor=None,
        now=now,
    )


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


def test_a_restart_during_a_rush_leaves_only_whole_registrations(live_server, event, postgres_running_afterwards):
    started = threading.Event()
    restarted = []

    def restart_after_some_requests():
        started.wait()
        time.sleep(0.3)
        restarted.append(subprocess.run(RESTART, capture_output=True, text=True, check=False))

    restarter = threading.Thread(target=restart_after_some_requests)
    restarter.start()

    def client(number):
        if number == 20:
            started.set()
        return register(live_server.url, event.slug, number)

    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(client, range(REGISTRATIONS)))
    restarter.join()
    assert restarted[0].returncode == 0, restarted[0].stderr
    wait_until_postgres_answers()
    connections.close_all()

    statuses = {status for status, _email, _headers in answers}
    assert statuses <= {202, 503}, sorted((s, h.get("body", "")[:200]) for s, _e, h in answers if s not in (202, 503))
    assert 202 in statuses and 503 in statuses, "the restart should have refused some requests"
    for status, _email, headers in answers:
        if status == 503:
            assert json.loads(headers["body"])["code"] == "busy"
            assert headers["Retry-After"]

    registrations = Registration.objects.filter(event=event)
    succeeded = {email for status, email, _headers in answers if status == 202}
    assert succeeded <= set(registrations.values_list("email", flat=True))
    # Every row is whole: its consent, its audit line and its mail came with it.
    without_consent = registrations.annotate(n=Count("consents")).filter(n=0)
    without_mail = registrations.annotate(n=Count("outbox_mails")).filter(n=0)
    audited = set(AuditEntry.objects.filter(action="registration.created").values_list("target_id", flat=True))
    assert not without_consent.exists()
    assert not without_mail.exists()
    assert set(registrations.values_list("pk", flat=True)) <= audited
    assert OutboxMail.objects.filter(event=event).count() == registrations.count()
    for pool in SeatPool.objects.filter(event=event):
        mine = registrations.filter(seat_type=pool.seat_type)
        counted = (
            mine.filter(status="confirmed").count(),
            mine.filter(status="waitlisted").count(),
            mine.filter(status="pending").count(),
        )
        assert (pool.confirmed, pool.waitlisted, pool.pending) == counted
