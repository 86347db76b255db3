import threading
import time
from datetime import timedelta

import pytest
from django.db import connection

from registrations import services as registration_services
from registrations.signals import registration_status_changed
from streaming.models import ZoomMeeting
from streaming.zoom.client import tokens
from streaming.zoom.stub import ZoomStub, start_in_thread
from streaming.zoom.sync import sync_due
from tests.factories import DIEZE, EventFactory, agreement, make_user, registration_data

ACCOUNT_ID = "stadtdialog-account"
CLIENT_ID = "stadtdialog-client"
CLIENT_SECRET = "client-secret-for-tests"
WEBHOOK_SECRET = "webhook-secret-for-tests"


@pytest.fixture
def zoom(settings):
    """The Zoom stub as a real HTTP server on a free port, and the app pointed at it."""
    stub = ZoomStub(
        account_id=ACCOUNT_ID, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, webhook_secret=WEBHOOK_SECRET
    )
    server = start_in_thread(stub)
    settings.ZOOM_ACCOUNT_ID = ACCOUNT_ID
    settings.ZOOM_CLIENT_ID = CLIENT_ID
    settings.ZOOM_CLIENT_SECRET = CLIENT_SECRET
    settings.ZOOM_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.ZOOM_API_URL = f"{stub.base_url}/v2"
    settings.ZOOM_OAUTH_URL = f"{stub.base_url}/oauth/token"
    tokens.clear()
    yield stub
    server.shutdown()
    server.server_close()
    tokens.clear()


@pytest.fixture
def held_tasks(settings):
    """Tasks are enqueued and kept, never run: what a request does with TASKS_BACKEND=db."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import default_task_backend

    return default_task_backend


@pytest.fixture
def make_organiser(db):
    def make(username):
        return make_user(username, password="x-secret-pass-1")

    return make


@pytest.fixture
def organiser(make_organiser):
    return make_organiser("anna")


@pytest.fixture
def other_organiser(make_organiser):
    return make_organiser("bernd")


@pytest.fixture
def make_event(db, now, organiser):
    """Zoom dialogues (online unless a test says otherwise), organised by `organiser`."""
    return EventFactory(
        title="Zoom-Dialog",
        keyword_prefix="Zoom",
        onsite=30,
        venue=DIEZE,
        terms=agreement(),
        actor=organiser,
        now=now,
        starts_in=timedelta(days=10),
        duration=timedelta(hours=2, minutes=30),
        closes_after=timedelta(days=5),
        description_de="Ihre Erfahrungen mit digitalen Angeboten der Stadt.",
        livestream_url="",
    )


@pytest.fixture
def register(now):
    """Register through the real service and tell streaming, as registrations will on merge."""
    counter = iter(range(1, 1_000_000))

    def make(event, *, seat="online", **overrides):
        number = next(counter)
        data = registration_data(number, seat, **{"name": f"Person Nummer{number}", **overrides})
        registration = registration_services.register(event, data, channel="web", received_at=now, now=now)
        registration_status_changed.send(
            sender=type(registration), registration=registration, previous_status="", now=now
        )
        return registration

    return make


@pytest.fixture
def cancel(now):
    def run(registration):
        previous = registration.status
        registration = registration_services.cancel(registration, actor=None, now=now)
        registration_status_changed.send(
            sender=type(registration), registration=registration, previous_status=previous, now=now
        )
        return registration

    return run


@pytest.fixture
def meeting(zoom, make_event, now):
    """A published online event whose meeting exists at Zoom (the stub)."""
    event = make_event()
    sync_due(now=now)
    return ZoomMeeting.objects.get(event=event)


class WebhookReceiver:
    """The live server as the stub's webhook receiver, and a way to wait for what it records."""

    # The stub delivers from its own threads: up to 30 s on a loaded machine.
    PATIENCE_SECONDS = 30

    def __init__(self, url: str, lock: threading.Lock):
        self.url, self.lock = url, lock

    def wait_until(self, recorded) -> bool:
        """Poll `recorded()` (a database read) until it is true; False if it never became true."""
        deadline = time.monotonic() + self.PATIENCE_SECONDS
        while time.monotonic() < deadline:
            with self.lock:
                if recorded():
                    return True
            time.sleep(0.05)
        return False


@pytest.fixture
def webhook_receiver(zoom, live_server):
    """The stub reports joins, leaves and ends to the live server, retrying as Zoom does (with
    short waits).

    On in-memory SQLite the live server's request threads and this test share one database
    connection: two webhooks at once would run their transactions interleaved on it (one's commit
    ends the other's savepoint, and its request answers 503, or its work is silently rolled back).
    In production every request has its own connection; so here, on that one shared connection,
    requests and the test's reads take turns. On PostgreSQL they run side by side."""
    zoom.webhook_url = f"{live_server.url}/streaming/zoom/webhook"
    zoom.webhook_retry_delays = (0.2, 0.5, 1.0)
    lock = threading.Lock()
    server = live_server.thread.httpd
    app = server.get_app()
    if connection.vendor == "sqlite" and connection.is_in_memory_db():

        def one_at_a_time(environ, start_response):
            with lock:
                answer = app(environ, start_response)
                try:
                    return [b"".join(answer)]
                finally:
                    getattr(answer, "close", lambda: None)()

        server.set_app(one_at_a_time)
    yield WebhookReceiver(zoom.webhook_url, lock)
    server.set_app(app)
