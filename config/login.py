"""Failed staff logins, counted and locked by django-axes.

Axes counts every failed `authenticate(request=…)`: the admin's login, the site's own login
page and any other view built on Django's LoginView. Only failures count; a success clears the
count of that username. Attempts are rows (`axes.AccessAttempt`, visible in the admin);
`manage.py axes_reset_username <name>` unlocks one person (docs/operations.md).

Two locks, as before axes: LOGIN_FAILURE_LIMIT failures lock a username from every address, and
CLIENT_FAILURE_FACTOR times as many lock one client (the real one behind our proxies,
core/clients.py), which stops one guesser trying many names without letting a city hall's
shared address lock its own staff out after a few typos. Either lasts LOGIN_LOCKOUT_SECONDS.
A locked login gets a 429 page that says so, before the password is even checked."""

import math

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render

from core.clients import client_address

# A whole office may sign in from one address, so the client may fail more often than one name.
CLIENT_FAILURE_FACTOR = 4


def username_for_lockout(request, credentials) -> str:
    """`ORGA ` and `orga` are one username to the lock."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().casefold()


def login_client_address(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the client as every rate limit sees it; None when unknown (a
    Unix socket), which the address column takes where an empty string would fail."""
    return client_address(request) or None


class LoginAttempts(AxesDatabaseHandler):
    """Axes compares one count with one limit; the client's failures count a fraction each, so
    that the client reaches the username's limit at CLIENT_FAILURE_FACTOR times as many.
    Expects AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"], in this order."""

    def get_failures(self, request, credentials=None) -> int:
        by_username, by_client = (
            attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return max(by_username, by_client // CLIENT_FAILURE_FACTOR)


def locked_out(request, original_response=None, credentials=None):
    retry_after = settings.LOGIN_LOCKOUT_SECONDS
    response = render(request, "errors/login_locked.html", {"minutes": max(1, math.ceil(retry_after / 60))}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
