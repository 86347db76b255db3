"""A small client for the parts of Zoom's REST API Stadtdialog uses, with Server-to-Server OAuth.

One access token per account is cached for the whole process and shared by all threads; it is
renewed a minute before it expires, and once more when Zoom answers 401 (a token can be revoked
early, e.g. when someone else requested a new one for the same app). Every failure becomes a
`ZoomError` that says whether trying again later can help; the sync decides what to do with it.
"""

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import requests
from django.conf import settings

# Connect quickly or give up; Zoom's slowest calls (create meeting) answer within seconds.
TIMEOUT = (3.05, 15)
TOKEN_RENEWAL_MARGIN = 60
REGISTRANTS_PAGE_SIZE = 300
ZOOM_INVALID_TOKEN = 124


class ZoomError(Exception):
    """A call to Zoom failed. `transient`: the same call may succeed later."""

    transient = False

    def __init__(self, message: str, *, status: int | None = None, code: int | None = None):
        super().__init__(message)
        self.status = status
        self.code = code


class ZoomUnavailable(ZoomError):
    """Zoom could not be reached, timed out or failed on its side (5xx)."""

    transient = True


class ZoomRateLimited(ZoomError):
    transient = True

    def __init__(self, message: str, *, retry_after: timedelta | None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ZoomUnauthorized(ZoomError):
    """The credentials were refused. Transient: an operator may fix the settings meanwhile."""

    transient = True


class ZoomNotFound(ZoomError):
    pass


class ZoomRejected(ZoomError):
    """Zoom refused the request itself (400 and the like); sending it again will not help."""


@dataclass(frozen=True)
class Credentials:
    account_id: str
    client_id: str
    client_secret: str
    oauth_url: str
    api_url: str

    @classmethod
    def from_settings(cls) -> "Credentials":
        return cls(
            account_id=settings.ZOOM_ACCOUNT_ID,
            client_id=settings.ZOOM_CLIENT_ID,
            client_secret=settings.ZOOM_CLIENT_SECRET,
            oauth_url=settings.ZOOM_OAUTH_URL,
            api_url=settings.ZOOM_API_URL.rstrip("/"),
        )

    @property
    def complete(self) -> bool:
        return bool(self.account_id and self.client_id and self.client_secret)


def api_configured() -> bool:
    """API mode: all three S2S OAuth credentials are set. Otherwise organisers paste links by hand."""
    return Credentials.from_settings().complete


class TokenCache:
    """Access tokens by account and app, shared by every thread of the process."""

    def __init__(self, clock=time.monotonic):
        self._lock = threading.Lock()
        self._tokens: dict[tuple, tuple[str, float]] = {}
        self._clock = clock

    def token(self, credentials: Credentials, session: requests.Session, *, stale: str | None = None) -> str:
        """A valid token. `stale`: a token Zoom just refused; it is replaced, unless another
        thread already did so, so a burst of 401s fetches one new token, not one each."""
        key = (credentials.oauth_url, credentials.account_id, credentials.client_id)
        with self._lock:
            cached = self._tokens.get(key)
            if cached and cached[0] != stale and self._clock() < cached[1] - TOKEN_RENEWAL_MARGIN:
                return cached[0]
            token, expires_in = request_token(credentials, session)
            self._tokens[key] = (token, self._clock() + expires_in)
            return token

    def clear(self) -> None:
        with self._lock:
            self._tokens.clear()


tokens = TokenCache()


def request_token(credentials: Credentials, session: requests.Session) -> tuple[str, float]:
    try:
        response = session.post(
            credentials.oauth_url,
            data={"grant_type": "account_credentials", "account_id": credentials.account_id},
            auth=(credentials.client_id, credentials.client_secret),
            timeout=TIMEOUT,
        )
    except requests.RequestException as error:
        raise ZoomUnavailable(f"Zoom OAuth not reachable: {error}") from error
    if response.status_code != 200:
        body = json_or_empty(response)
        reason = body.get("reason") or body.get("error") or response.reason
        error_class = ZoomUnavailable if response.status_code >= 500 else ZoomUnauthorized
        if response.status_code == 429:
            raise ZoomRateLimited(f"Zoom OAuth: {reason}", retry_after=retry_after(response), status=429)
        raise error_class(f"Zoom OAuth refused the credentials: {reason}", status=response.status_code)
    body = response.json()
    return body["access_token"], float(body.get("expires_in", 3600))


class ZoomClient:
    def __init__(self, credentials: Credentials | None = None, *, session: requests.Session | None = None):
        self.credentials = credentials or Credentials.from_settings()
        self.session = session or requests.Session()

    def create_meeting(self, meeting: dict) -> dict:
        return self.call("POST", "/users/me/meetings", json=meeting).json()

    def get_meeting(self, meeting_id: int) -> dict:
        return self.call("GET", f"/meetings/{meeting_id}").json()

    def update_meeting(self, meeting_id: int, changes: dict) -> None:
        self.call("PATCH", f"/meetings/{meeting_id}", json=changes)

    def delete_meeting(self, meeting_id: int) -> None:
        self.call("DELETE", f"/meetings/{meeting_id}", params={"cancel_meeting_reminder": "false"})

    def add_registrant(self, meeting_id: int, registrant: dict) -> dict:
        return self.call("POST", f"/meetings/{meeting_id}/registrants", json=registrant).json()

    def registrants(self, meeting_id: int, *, status: str) -> Iterator[dict]:
        """Every registrant of one status, page after page."""
        params = {"status": status, "page_size": REGISTRANTS_PAGE_SIZE}
        while True:
            page = self.call("GET", f"/meetings/{meeting_id}/registrants", params=params).json()
            yield from page.get("registrants", [])
            token = page.get("next_page_token")
            if not token:
                return
            params = {**params, "next_page_token": token}

    def set_registrant_status(self, meeting_id: int, action: str, registrants: list[dict]) -> None:
        body = {"action": action, "registrants": registrants}
        self.call("PUT", f"/meetings/{meeting_id}/registrants/status", json=body)

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        token = tokens.token(self.credentials, self.session)
        response = self._send(method, path, token, **kwargs)
        if response.status_code == 401:
            token = tokens.token(self.credentials, self.session, stale=token)
            response = self._send(method, path, token, **kwargs)
        if response.status_code >= 400:
            raise error_for(response, f"{method} {path}")
        return response

    def _send(self, method: str, path: str, token: str, **kwargs) -> requests.Response:
        try:
            return self.session.request(
                method,
                self.credentials.api_url + path,
                headers={"Authorization": f"Bearer {token}"},
                timeout=TIMEOUT,
                **kwargs,
            )
        except requests.RequestException as error:
            raise ZoomUnavailable(f"{method} {path}: Zoom not reachable: {error}") from error


def error_for(response: requests.Response, what: str) -> ZoomError:
    body = json_or_empty(response)
    code = body.get("code")
    message = f"{what}: {response.status_code} {body.get('message') or response.reason}"
    if code is not None:
        message += f" (code {code})"
    status = response.status_code
    if status == 429:
        return ZoomRateLimited(message, retry_after=retry_after(response), status=status, code=code)
    if status == 401:
        return ZoomUnauthorized(message, status=status, code=code)
    if status == 404:
        return ZoomNotFound(message, status=status, code=code)
    if status >= 500:
        return ZoomUnavailable(message, status=status, code=code)
    return ZoomRejected(message, status=status, code=code)


def retry_after(response: requests.Response, *, now: datetime | None = None) -> timedelta | None:
    """`Retry-After` as seconds or as an HTTP date (RFC 9110); None when absent or unreadable."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(timedelta(0), moment - (now or datetime.now(UTC)))


def json_or_empty(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
