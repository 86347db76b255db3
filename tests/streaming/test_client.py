"""The client's token handling and error mapping."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import requests

from streaming.zoom.client import (
    Credentials,
    TokenCache,
    ZoomClient,
    ZoomRateLimited,
    ZoomUnavailable,
    retry_after,
    tokens,
)


def test_one_token_serves_many_calls_and_threads(zoom):
    client = ZoomClient()
    meeting = client.create_meeting({"topic": "T", "type": 2, "start_time": "2030-01-01T10:00:00Z"})
    barrier = threading.Barrier(8)

    def call():
        barrier.wait()
        ZoomClient().get_meeting(meeting["id"])

    tokens.clear()
    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert zoom.tokens_issued == 2  # one before clear(), one for all eight threads


def test_a_refused_token_is_renewed_once_and_the_call_repeated(zoom):
    client = ZoomClient()
    meeting = client.create_meeting({"topic": "T", "type": 2, "start_time": "2030-01-01T10:00:00Z"})
    zoom.revoke_tokens()
    assert client.get_meeting(meeting["id"])["id"] == meeting["id"]
    assert zoom.tokens_issued == 2
    zoom.fail_next(1, 401)
    assert client.get_meeting(meeting["id"])["id"] == meeting["id"]
    assert zoom.tokens_issued == 3


def test_the_token_is_renewed_a_minute_before_it_expires(zoom):
    clock = [1000.0]
    cache = TokenCache(clock=lambda: clock[0])
    credentials, session = Credentials.from_settings(), requests.Session()
    first = cache.token(credentials, session)
    clock[0] += 3599 - 61
    assert cache.token(credentials, session) == first
    clock[0] += 2
    assert cache.token(credentials, session) != first


def test_zoom_down_is_a_transient_error(settings):
    settings.ZOOM_ACCOUNT_ID, settings.ZOOM_CLIENT_ID, settings.ZOOM_CLIENT_SECRET = "a", "b", "c"
    settings.ZOOM_OAUTH_URL = "http://127.0.0.1:9/oauth/token"
    tokens.clear()
    with pytest.raises(ZoomUnavailable) as down:
        ZoomClient().get_meeting(1)
    assert down.value.transient


def test_a_rate_limit_carries_its_retry_after(zoom):
    zoom.fail_next(1, 429, retry_after="7")
    with pytest.raises(ZoomRateLimited) as limited:
        ZoomClient().get_meeting(1)
    assert limited.value.retry_after == timedelta(seconds=7)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", timedelta(seconds=120)),
        ("Sun, 22 Nov 2026 10:01:30 GMT", timedelta(seconds=90)),
        ("Sun, 22 Nov 2026 09:59:00 GMT", timedelta(0)),
        ("soon", None),
        ("", None),
    ],
)
def test_retry_after_is_read_as_seconds_or_as_an_http_date(header, expected):
    response = requests.Response()
    response.headers["Retry-After"] = header
    assert retry_after(response, now=datetime(2026, 11, 22, 10, 0, tzinfo=UTC)) == expected
