from datetime import timedelta

import pytest

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
