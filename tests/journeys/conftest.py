"""The journey harness: a person's whole task in Debian's Chromium against gunicorn with the
production settings, on PostgreSQL. See README.md in this folder for how to write a journey.

Per test worker (session scope): an SMTP sink on a free port, the static files collected into a
temporary STATIC_ROOT, and one gunicorn serving `config.wsgi` on a free port from the worker's
test database. Per test: a clean database (transactional: gunicorn sees what the test writes),
an empty mailbox, and browsers opened with `browse(language)`.
"""

import logging
import re
from urllib.parse import quote

import pytest

from tests.journeys.browser import KNOWN_DEFECTS, Journey
from tests.journeys.mailbox import start_smtp_sink
from tests.journeys.server import collect_static, free_port, server_environment, start_gunicorn


@pytest.fixture(scope="session")
def smtp_sink():
    # aiosmtpd logs every connection at INFO; a journey's report needs none of it.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    port = free_port()
    controller, mailbox = start_smtp_sink(port)
    yield port, mailbox
    controller.stop()


def database_url(settings_dict: dict) -> str:
    user = quote(settings_dict.get("USER") or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"


@pytest.fixture(scope="session")
def journey_server(django_db_setup, smtp_sink, tmp_path_factory):
    """gunicorn on this worker's test database (its name is known only after django_db_setup);
    stopped before pytest-django drops that database."""
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("journeys run on PostgreSQL only: DATABASE_URL=postgres://…")
    folder = tmp_path_factory.mktemp("journey-server")
    port = free_port()
    environment = server_environment(
        port=port,
        database_url=database_url(connection.settings_dict),
        smtp_port=smtp_sink[0],
        static_root=folder / "static",
        secret_key=settings.SECRET_KEY,
    )
    collect_static(environment)
    server = start_gunicorn(environment, port=port, log=folder / "gunicorn.log")
    yield server
    server.stop()


ZOOM_CREDENTIALS = {
    "ZOOM_ACCOUNT_ID": "journey-account",
    "ZOOM_CLIENT_ID": "journey-client",
    "ZOOM_CLIENT_SECRET": "journey-client-secret",
    "ZOOM_WEBHOOK_SECRET": "journey-webhook-secret",
}


@pytest.fixture(scope="session")
def zoom_stub():
    """The Zoom stub (streaming/zoom/stub.py) as an HTTP server on a free port, for this worker."""
    from streaming.zoom.stub import ZoomStub, start_in_thread

    stub = ZoomStub(
        account_id=ZOOM_CREDENTIALS["ZOOM_ACCOUNT_ID"],
        client_id=ZOOM_CREDENTIALS["ZOOM_CLIENT_ID"],
        client_secret=ZOOM_CREDENTIALS["ZOOM_CLIENT_SECRET"],
        webhook_secret=ZOOM_CREDENTIALS["ZOOM_WEBHOOK_SECRET"],
    )
    server = start_in_thread(stub)
    yield stub
    server.shutdown()
    server.server_close()


def zoom_settings(stub) -> dict[str, str]:
    return {**ZOOM_CREDENTIALS, "ZOOM_API_URL": f"{stub.base_url}/v2", "ZOOM_OAUTH_URL": f"{stub.base_url}/oauth/token"}


@pytest.fixture(scope="session")
def zoom_server(journey_server, zoom_stub, tmp_path_factory):
    """A second gunicorn on the same database, with the Zoom API pointed at the stub: only the
    journeys that use Zoom see it (with the API configured, every online registration talks to
    Zoom). Started when a journey first asks for it."""
    folder = tmp_path_factory.mktemp("journey-zoom-server")
    port = free_port()
    environment = {
        **journey_server.environment,
        **zoom_settings(zoom_stub),
        "SITE_URL": f"http://127.0.0.1:{port}",
    }
    server = start_gunicorn(environment, port=port, log=folder / "gunicorn.log")
    yield server
    server.stop()


@pytest.fixture
def zoom(settings, zoom_stub):
    """The test's own calls to the services talk to the same stub as `zoom_server`."""
    from streaming.zoom.client import tokens

    for name, value in zoom_settings(zoom_stub).items():
        setattr(settings, name, value)
    tokens.clear()
    yield zoom_stub
    tokens.clear()


@pytest.fixture
def mailbox(smtp_sink):
    """The mails the app sent during this test (see mailbox.Mailbox.wait_for and Mail.link)."""
    mailbox = smtp_sink[1]
    with mailbox.condition:
        mailbox.messages.clear()
    return mailbox


@pytest.fixture
def app_mails_to_sink(settings, smtp_sink, journey_server):
    """Mails the test itself causes through the services (a reconfirmation run, a survey) go to
    the same SMTP sink as the server's, with links to the server."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": smtp_sink[0]},
        }
    }
    settings.SITE_URL = journey_server.url


@pytest.fixture
def browse(transactional_db, journey_server, browser, request):
    """`browse("de")` opens a new person's browser in that language; a journey may open several
    (the person who moves up from the waiting list); `server=zoom_server` browses the server that
    talks to the Zoom stub. Every browser is checked once more at the end."""
    journeys: list[Journey] = []

    def open_browser(language: str = "de", *, who: str = "", server=None) -> Journey:
        test = re.sub(r"[^\w-]+", "-", request.node.name.replace("chromium-", "")).strip("-")
        name = test + (f"-{who}" if who else "")
        url = (server or journey_server).url
        journey = Journey(browser, url, language=language, name=name, item=request.node)
        journeys.append(journey)
        return journey

    yield open_browser
    try:
        for journey in journeys:
            journey.check("at the end")
    finally:
        for journey in journeys:
            journey.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A journey that passed but for steps marked `known_defect` counts as an expected failure."""
    report = yield
    known = item.stash.get(KNOWN_DEFECTS, [])
    if report.when == "call" and report.passed and known:
        report.outcome = "skipped"
        report.wasxfail = "known defect " + "\n".join(known)
    return report
