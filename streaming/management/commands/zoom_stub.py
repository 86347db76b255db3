import argparse
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from streaming.zoom.stub import ZOOM_WEBHOOK_RETRY_DELAYS, ZoomStub, make_stub_server

DEFAULT_ADDRESS = "127.0.0.1:8001"


class Command(BaseCommand):
    help = (
        "Serve a local Zoom stand-in (OAuth token endpoint and Meetings API) for tests and the demo. "
        "It accepts the credentials in ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET; point the app at "
        "it with ZOOM_OAUTH_URL=http://ADDR:PORT/oauth/token and ZOOM_API_URL=http://ADDR:PORT/v2."
    )

    def add_arguments(self, parser):
        parser.add_argument("address", nargs="?", default=DEFAULT_ADDRESS, help="[ADDR:]PORT, default 127.0.0.1:8001")
        parser.add_argument(
            "--webhook-url",
            default=f"{settings.SITE_URL}/streaming/zoom/webhook",
            help="Where joins and starts through the stub's links are reported (signed with ZOOM_WEBHOOK_SECRET).",
        )
        parser.add_argument(
            "--webhook-retry-seconds",
            type=retry_delays,
            default=ZOOM_WEBHOOK_RETRY_DELAYS,
            help="Waits before each resend of a webhook that was not answered 2xx, comma-separated "
            "(default Zoom's: 300,1200,3600; the demo shortens them).",
        )
        parser.add_argument(
            "--state", type=Path, help="Keep meetings and registrants in this JSON file across restarts."
        )

    def handle(self, *args, address, webhook_url, webhook_retry_seconds, state=None, **options):
        host, _, port = address.rpartition(":")
        if not port.isdigit():
            raise CommandError(f"{address!r} is not [ADDR:]PORT.")
        if not (settings.ZOOM_ACCOUNT_ID and settings.ZOOM_CLIENT_ID and settings.ZOOM_CLIENT_SECRET):
            raise CommandError(
                "Set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET: the stub accepts exactly the credentials "
                "the app sends."
            )
        stub = ZoomStub(
            account_id=settings.ZOOM_ACCOUNT_ID,
            client_id=settings.ZOOM_CLIENT_ID,
            client_secret=settings.ZOOM_CLIENT_SECRET,
            webhook_secret=settings.ZOOM_WEBHOOK_SECRET,
            webhook_url=webhook_url if settings.ZOOM_WEBHOOK_SECRET else "",
            webhook_retry_delays=webhook_retry_seconds,
        )
        if state is not None:
            stub.keep_state_in(state)
        server = make_stub_server(stub, host or "127.0.0.1", int(port))
        self.stdout.write(f"Zoom stub at {stub.base_url} (OAuth: {stub.base_url}/oauth/token, API: {stub.base_url}/v2)")
        if stub.webhook_url:
            self.stdout.write(f"Joins and starts are reported to {stub.webhook_url}")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()


def retry_delays(value: str) -> tuple[float, ...]:
    try:
        return tuple(float(part) for part in value.split(","))
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a comma-separated list of seconds.") from error
