"""Rate limits for the public doors that cost us something when hammered: registering, asking
for a data export, capturing ideas, logging in.

A fixed window per (purpose, client) counted in the cache (Redis in production, so all app
servers share the counts). The client is a hash of its IP address, the real client's behind our
proxies (core/clients.py); no address is stored."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from core.clients import client_address
from core.errors import DomainError


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
    """Count one request for `purpose` by `key`; raise RateLimited when over the limit."""
    limit = settings.RATE_LIMITS.get(purpose)
    if limit is None:
        return
    requests, seconds = limit
    cache_key = f"ratelimit:{purpose}:{key}"
    if cache.add(cache_key, 1, timeout=seconds):
        return
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=seconds)
        return
    if count > requests:
        raise RateLimited(retry_after=seconds)


def check_request_rate(purpose: str, request) -> None:
    check_rate(purpose, client_key(request))
