"""The stub delivers webhooks as Zoom documents it: an answer other than 2xx, or none in time,
and the notification comes again, three more times at most, each time signed anew."""

import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

from streaming.zoom.signatures import webhook_signature
from streaming.zoom.stub import ZOOM_WEBHOOK_RETRY_DELAYS

from .conftest import WEBHOOK_SECRET


class Quiet(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def receiver():
    """A webhook endpoint that answers the statuses in `answers` in turn and keeps what came."""

    class Endpoint:
        answers: list[int] = []
        received: list[dict] = []

        def __call__(self, environ, start_response):
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            stamp = environ["HTTP_X_ZM_REQUEST_TIMESTAMP"]
            valid = environ["HTTP_X_ZM_SIGNATURE"] == webhook_signature(WEBHOOK_SECRET, stamp, body)
            self.received.append({"body": body, "valid": valid})
            status = self.answers.pop(0) if self.answers else 204
            start_response(f"{status} X", [("Content-Length", "0")])
            return [b""]

    endpoint = Endpoint()
    server = make_server("127.0.0.1", 0, endpoint, handler_class=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint.url = f"http://127.0.0.1:{server.server_port}/streaming/zoom/webhook"
    yield endpoint
    server.shutdown()
    server.server_close()


def test_zoom_s_documented_waits_are_the_default():
    assert ZOOM_WEBHOOK_RETRY_DELAYS == (300, 1200, 3600)


def test_a_webhook_answered_503_is_delivered_again_with_the_same_body(zoom, meeting, receiver):
    zoom.webhook_retry_delays = (0.01, 0.01, 0.01)
    receiver.answers = [503]

    status = zoom.send_webhook(receiver.url, "meeting.started", zoom.meeting_object(meeting.meeting_id))

    assert status == 204
    assert len(receiver.received) == 2
    assert receiver.received[0]["body"] == receiver.received[1]["body"]
    assert all(delivery["valid"] for delivery in receiver.received)
    assert [attempt["status"] for attempt in zoom.webhook_attempts] == [503, 204]


def test_a_delivered_webhook_is_sent_once(zoom, meeting, receiver):
    zoom.webhook_retry_delays = (0.01, 0.01, 0.01)

    assert zoom.send_webhook(receiver.url, "meeting.started", zoom.meeting_object(meeting.meeting_id)) == 204

    assert len(receiver.received) == 1


def test_after_three_retries_the_stub_gives_up_as_zoom_does(zoom, meeting, receiver):
    zoom.webhook_retry_delays = (0.01, 0.01, 0.01)
    receiver.answers = [500, 503, 502, 503, 204]

    status = zoom.send_webhook(receiver.url, "meeting.started", zoom.meeting_object(meeting.meeting_id))

    assert status == 503
    assert len(receiver.received) == 4


def test_no_answer_at_all_counts_as_failed_and_is_retried(zoom, meeting, receiver):
    zoom.webhook_retry_delays = (0.01, 0.01, 0.01)
    unreachable = "http://127.0.0.1:9/streaming/zoom/webhook"

    assert zoom.send_webhook(unreachable, "meeting.started", zoom.meeting_object(meeting.meeting_id)) is None

    assert [attempt["status"] for attempt in zoom.webhook_attempts] == [None] * 4
