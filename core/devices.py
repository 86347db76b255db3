"""One anonymous device: a random id in a signed, HttpOnly, SameSite=Lax cookie, for whatever
counts per device without an account (the live channel's budget of ideas, one vote per person
for questions and polls where no registration link names the person).

The cookie holds nothing but the id (no personal data) and is the same for German and English
pages; whoever keeps it in the database keeps a hash of it. A request without the cookie, or with
a forged one, has no device (None): the caller decides whether that refuses the action or sets a
new id with `remember_device`. Clearing cookies makes a new device: the budgets per network
(core/ratelimit.py) bound what that buys."""

import secrets

from django.conf import settings

DEVICE_COOKIE = "stadtdialog_device"
DEVICE_SALT = "stadtdialog.core.device"
# A technically necessary cookie: long enough for an event and its follow-up, no longer.
DEVICE_COOKIE_MAX_AGE = 30 * 24 * 3600


def new_device_id() -> str:
    return secrets.token_urlsafe(24)


def device_id(request) -> str | None:
    """The id of the device that sent `request`, or None without a valid signed cookie."""
    value = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)
    return value if value and len(value) <= 64 else None


def remember_device(response, device_id: str) -> None:
    """Set (or renew) the device's cookie on `response` (Secure on HTTPS sites, as the session cookie)."""
    response.set_signed_cookie(
        DEVICE_COOKIE,
        device_id,
        salt=DEVICE_SALT,
        max_age=DEVICE_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
