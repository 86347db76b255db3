"""Redis down: the rate limits give way (logged once) and /health says so."""

import logging
import socket

import pytest
from django.core.cache import cache
from django.test import override_settings

from core.ratelimit import _CacheOutage
from registrations.models import Registration

pytestmark = pytest.mark.django_db


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_cache(url):
    return override_settings(
        CACHE_URL=url,
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        },
    )


@pytest.fixture
def dead_redis(monkeypatch):
    monkeypatch.setattr("core.ratelimit._cache_outage", _CacheOutage())
    with redis_cache(f"redis://127.0.0.1:{unused_port()}/0"):
        yield


@pytest.fixture
def live_redis():
    with redis_cache("redis://127.0.0.1:6379/5"):
        cache.clear()
        yield
        cache.clear()


def body(number):
    return {"name": f"P {number}", "email": f"p{number}@example.org", "seat": "online", "accept_terms": True}


def test_registering_works_with_the_cache_down_and_the_outage_is_logged_once(client, make_event, dead_redis, caplog):
    event = make_event(format="online")
    url = f"/api/events/{event.slug}/registrations"
    with caplog.at_level(logging.ERROR, logger="core.ratelimit"):
        codes = [client.post(url, body(n), content_type="application/json").status_code for n in range(5)]
    assert codes == [202] * 5
    assert Registration.objects.count() == 5
    outage_lines = [record for record in caplog.records if "cache is unreachable" in record.getMessage()]
    assert len(outage_lines) == 1


def test_the_limits_are_back_when_the_cache_is(client, make_event, live_redis, settings):
    settings.RATE_LIMITS = {"register": (2, 60)}
    event = make_event(format="online")
    url = f"/api/events/{event.slug}/registrations"
    codes = [client.post(url, body(n), content_type="application/json").status_code for n in range(3)]
    assert codes == [202, 202, 429]


def test_health_reports_the_unreachable_cache(client, dead_redis):
    response = client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["cache"]
    assert body["checks"]["cache"] == {"ok": False, "backend": "redis"}


def test_health_reports_a_working_cache(client, live_redis):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["checks"]["cache"] == {"ok": True, "backend": "redis"}
