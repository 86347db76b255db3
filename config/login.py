"""The organiser login (Django's admin login) with failed attempts throttled.

Failures are counted in the cache per username and per client (a hash of the IP address, as in
core/ratelimit.py). When either reaches its limit within the window, that username or client
is locked for LOGIN_LOCKOUT_SECONDS and gets a 429 page that says so, before the password is
even checked, so a guesser learns nothing more. A successful login clears the username's count.
"""

import hashlib
import math

from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.shortcuts import render

from core.ratelimit import RateLimited, check_request_rate, client_key

# A whole office may sign in from one address, so the client may fail more often than one name.
CLIENT_FAILURE_FACTOR = 4


def username_key(username: str) -> str:
    normalized = username.strip().casefold()
    return hashlib.sha256(f"{settings.SECRET_KEY}:login:{normalized}".encode()).hexdigest()[:32]


def counters(request) -> list[tuple[str, int]]:
    limit = settings.LOGIN_FAILURE_LIMIT
    return [
        (f"login-failures:user:{username_key(request.POST.get('username', ''))}", limit),
        (f"login-failures:client:{client_key(request)}", limit * CLIENT_FAILURE_FACTOR),
    ]


def is_locked(request) -> bool:
    return any(cache.get(f"{key}:locked") for key, _ in counters(request))


def record_failure(request) -> None:
    window = settings.LOGIN_LOCKOUT_SECONDS
    for key, limit in counters(request):
        if cache.add(key, 1, timeout=window):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired in between
                cache.add(key, 1, timeout=window)
                count = 1
        if count >= limit:
            cache.set(f"{key}:locked", True, timeout=window)
            cache.delete(key)


def locked_page(request, *, retry_after: int):
    response = render(request, "errors/login_locked.html", {"minutes": max(1, math.ceil(retry_after / 60))}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def throttled_login(request, extra_context=None):
    if request.method != "POST":
        return admin.site.login(request, extra_context)
    try:
        check_request_rate("login", request)
    except RateLimited as limited:
        return locked_page(request, retry_after=limited.retry_after_seconds)
    if is_locked(request):
        return locked_page(request, retry_after=settings.LOGIN_LOCKOUT_SECONDS)
    response = admin.site.login(request, extra_context)
    if request.user.is_authenticated:
        user_key, _ = counters(request)[0]
        cache.delete(user_key)
    elif response.status_code == 200:
        record_failure(request)
    return response
