"""A browser known without an account: a random id in a signed, HttpOnly, SameSite=Lax cookie.

Live participation (questions, their upvotes, polls) allows one vote per person; a person
without a registration link is one device. The id is random (no personal data), the cookie is
signed so that a forged one is worth nothing, and it is the same for German and English pages.
Callers keep only a hash of the id. Clearing cookies makes a new device: the budgets per network
(core/ratelimit.py) bound what that buys."""

import secrets

from django.conf import settings

DEVICE_COOKIE = "stadtdialog_device"
DEVICE_SALT = "stadtdialog.core.device"
# A technically necessary cookie that outlives one event day, and not much longer.
DEVICE_MAX_AGE = 14 * 24 * 3600


def new_device_id() -> str:
    return secrets.token_urlsafe(24)


def device_id(request) -> str | None:
    """The device id of this browser, or None without a (valid) cookie."""
    value = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)
    return value if value and len(value) <= 64 else None


def remember_device(response, device_id: str) -> None:
    """Set (or refresh) the device cookie on `response`."""
    response.set_signed_cookie(
        DEVICE_COOKIE,
        device_id,
        salt=DEVICE_SALT,
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        # Secure on HTTPS sites, as the session cookie.
        secure=settings.SESSION_COOKIE_SECURE,
    )
