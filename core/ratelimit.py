"""Rate limits for the public doors that cost us something when hammered: registering, asking
for a data export, capturing ideas, logging in.

A fixed window per (purpose, client) counted in the cache (Redis in production, so all app
servers share the counts). The client is a hash of its IP address, the real client's behind our
proxies (core/clients.py); no address is stored."""

import hashlib
import logging
import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from core.clients import client_address
from core.errors import DomainError

logger = logging.getLogger(__name__)


class RateLimited(DomainError):
    status = 429

    def __init__(self, retry_after: int):
        super().__init__("rate_limited", _("Too many requests. Please wait a moment and try again."))
        self.retry_after_seconds = retry_after


@dataclass(frozen=True)
class Limit:
    requests: int
    seconds: int


def client_key(request) -> str:
    address = client_address(request)
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]


def check_rate(purpose: str, key: str) -> None:
    """Count one request for `purpose` by `key`; raise RateLimited when over the limit.

    Fails open: with the cache unreachable (Redis down) the request goes through, because a
    limit is a guard against abuse and no reason to turn every citizen away."""
    limit = settings.RATE_LIMITS.get(purpose)
    if limit is None:
        return
    requests, seconds = limit
    try:
        count = _count(f"ratelimit:{purpose}:{key}", seconds)
    except Exception as error:  # each cache backend raises errors of its own
        _cache_outage.failed(error)
        return
    _cache_outage.recovered()
    if count > requests:
        raise RateLimited(retry_after=seconds)


def _count(cache_key: str, seconds: int) -> int:
    if cache.add(cache_key, 1, timeout=seconds):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=seconds)
        return 1


class _CacheOutage:
    """Logs the first failure of an outage and the recovery, not every request in between."""

    def __init__(self):
        self._lock = threading.Lock()
        self.down = False

    def failed(self, error: Exception) -> None:
        with self._lock:
            first, self.down = not self.down, True
        if first:
            logger.error("rate limits off: the cache is unreachable (%s: %s)", type(error).__name__, error)

    def recovered(self) -> None:
        if not self.down:
            return
        with self._lock:
            was_down, self.down = self.down, False
        if was_down:
            logger.warning("rate limits on again: the cache answers")


_cache_outage = _CacheOutage()


def check_request_rate(purpose: str, request) -> None:
    check_rate(purpose, client_key(request))
