"""A real SMTP server for the mail tests: aiosmtpd on a free loopback port, in a thread.

Load with `pytest_plugins = ["tests.registrations.mail_fixtures"]`. The server keeps every
message it accepted as raw bytes; it can be stopped and started again (an outage) and told to
answer certain recipients with an SMTP error code (4xx transient, 5xx permanent).
"""

import email
import email.policy
import socket
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone, translation

from registrations.outbox.delivery import deliver_due


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingHandler:
    def __init__(self):
        self.raw: list[bytes] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: dict[str, str] = {}  # recipient → SMTP answer, e.g. "450 try later"
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.raw.append(envelope.original_content or envelope.content)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self):
        self.port = free_port()
        self.handler = RecordingHandler()
        self.controller = None

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        with self.handler.lock:
            raw = list(self.handler.raw)
        return [email.message_from_bytes(item, policy=email.policy.default) for item in raw]

    def messages_to(self, address: str) -> list[email.message.EmailMessage]:
        return [message for message in self.messages if message["To"] == address]

    def refuse(self, address: str, answer: str) -> None:
        self.handler.refuse[address] = answer


@pytest.fixture
def in_english(client, german_unless_a_test_says_otherwise):
    """These tests read the English texts: registrants write in English (see `person`), pages
    are reversed under /en/, and the API is asked in English."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def smtp_server(settings):
    """A running SMTP server, and MAILERS pointed at it."""
    server = SMTPServer()
    server.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    yield server
    server.stop()


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed, with the delivery it starts (the tests'
    own transaction never commits, so on_commit callbacks are run by hand)."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


@pytest.fixture
def deliver():
    """Deliver everything due at `now` (default: a year ahead, past every backoff and every
    mail the tests queue at a future `now`)."""

    def run(now=None):
        return deliver_due(now=now or timezone.now() + timedelta(days=365))

    return run
