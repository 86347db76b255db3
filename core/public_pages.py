"""The public pages everyone reads (the home page, an event's page, the plenum wall, a process's
page, the lists): rendered once per state of the database and language, and answered `304 Not
Modified` to a reader who already has the page.

When the press release goes out, thousands open the same event page within minutes, and each
rendering costs several times what reading one event does (the form, the sections of the layers
above, the template). `@public_page` keeps the rendered page and gives it to the next anonymous
reader, with only the CSRF token made for that reader.

**Never stale by construction.** A kept page is used only while the database is in the state it
was rendered in: the key holds PostgreSQL's current snapshot (`pg_current_snapshot()`, which
transactions a query sees). Every transaction that commits a write (a registration, an
organiser's edit, a vote, a moderator's approval; through the ORM, `update()` or plain SQL)
changes the snapshot, and a snapshot never comes back, so a page is not used after any change to
what it shows, and nobody has to know which change touches which page. The snapshot is read
before the page is rendered: a page may show a write made while it was rendered, never miss one
made before. What the database does not hold, the clock, is bounded by `KEEP_SECONDS` and the
time one rendering takes: a registration window that opens at 10:00 shows as open a second and a
rendering later at the latest (while a page expired only by the clock is rendered anew, the
readers asking for it meanwhile get the one before, instead of waiting).

**Rendered, not kept**, for: a logged-in user (the page may show what the public does not); a
reader with a session or flash messages (the page may greet them); anything but GET; a request
inside a transaction (its own writes are not in the snapshot); a database without snapshots
(SQLite: the demo and the first test run); an answer other than a plain 200 (a redirect, a 404, a
preview marked `no-store`, one that sets a cookie). Pages are kept per process (no network round
trip, nothing to share between releases), at most `KEPT_PAGES` of them. When a page is missing
or expired, one thread renders it and the others asking for it meanwhile wait for that one
(`Renderings`), so a busy page is rendered once, not by every reader at the moment it expires.

**Conditional GET.** Anonymous readers get a weak ETag: a digest of the page without its CSRF
token and, for a page with a form, of the reader's CSRF secret (the cookie). A 304 tells the
browser to show its stored copy, whose token was made from the secret it had then; that token is
valid exactly while the secret is the same, so a reader with a new secret gets the whole page. A
logged-in organiser gets no ETag and never a 304.
"""

import hashlib
import threading
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from core.fragments import CSRF_PLACEHOLDER, FragmentCache, without_csrf_tokens

KEEP_SECONDS = 1.0
KEPT_PAGES = 256
WAIT_SECONDS = 10.0  # at most, for another thread's rendering of a page
MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage


@dataclass(frozen=True)
class KeptPage:
    html: str  # with CSRF_PLACEHOLDER for every token
    headers: tuple[tuple[str, str], ...]
    digest: str  # of `html`
    has_token: bool
    made_at: float


PAGES = FragmentCache(KEPT_PAGES)


def database_state() -> str | None:
    """What identifies everything the database holds as a reader sees it now, or None where the
    database cannot tell (then nothing is kept)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text")
        return cursor.fetchone()[0]


def may_keep(request) -> bool:
    """Whether this anonymous reader's page may come from, and go to, the kept pages."""
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
    )


def public_answer(response) -> bool:
    stored = "no-store" not in response.get("Cache-Control", "")
    return response.status_code == 200 and not response.streaming and stored


def kept_page(response) -> KeptPage:
    html = without_csrf_tokens(response.content.decode(response.charset))
    return KeptPage(
        html=html,
        headers=tuple(response.items()),
        digest=hashlib.sha256(html.encode()).hexdigest(),
        has_token=CSRF_PLACEHOLDER in html,
        made_at=time.monotonic(),
    )


def response_of(page: KeptPage, request) -> HttpResponse:
    html = page.html.replace(CSRF_PLACEHOLDER, get_token(request)) if page.has_token else page.html
    response = HttpResponse(html)
    for name, value in page.headers:
        response[name] = value
    return response


def page_etag(page: KeptPage, csrf_secret: str | None) -> str:
    """Weak: the tokens differ byte for byte between two renderings of the same page."""
    digest = page.digest
    if page.has_token:
        digest = hashlib.sha256(f"{digest}\x00{csrf_secret or ''}".encode()).hexdigest()
    return f'W/"{digest[:32]}"'


def answered_conditionally(request, page: KeptPage, response) -> HttpResponse:
    response["ETag"] = page_etag(page, request.META.get("CSRF_COOKIE"))
    # Asked again each time (seats and ideas change); a page with a token is this browser's.
    patch_cache_control(response, no_cache=True, **({"private": True} if page.has_token else {}))
    # The page depends on the cookies (token, session, messages). Accept-Language is added by
    # the LocaleMiddleware to every page outside a language prefix, on the 304 as well.
    patch_vary_headers(response, ("Cookie",))
    return get_conditional_response(request, etag=response["ETag"], response=response)


class Renderings:
    """The page of a key is rendered by one thread at a time: the others that find no fresh page
    wait for it instead of all rendering the same page at once (every reader of a busy page does,
    the moment it expires)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._running: dict[tuple, threading.Event] = {}

    def lead(self, key: tuple, *, wait: bool) -> threading.Event | None:
        """An event to `finish()` when this thread is to render the page; else None, after
        waiting for the thread that renders it (at most WAIT_SECONDS) if `wait`."""
        with self._lock:
            running = self._running.get(key)
            if running is None:
                running = self._running[key] = threading.Event()
                return running
        if wait:
            running.wait(WAIT_SECONDS)
        return None

    def finish(self, key: tuple, rendering: threading.Event) -> None:
        with self._lock:
            del self._running[key]
        rendering.set()


RENDERINGS = Renderings()


def expired(page: KeptPage) -> bool:
    return time.monotonic() - page.made_at >= KEEP_SECONDS


def rendered(request, view, args, kwargs, key: tuple | None):
    """The view's answer for this reader, kept under `key` where it may be."""
    response = view(request, *args, **kwargs)
    if not public_answer(response):
        return response
    page = kept_page(response)
    if key is not None and not response.cookies:
        PAGES.put(key, page)
    return answered_conditionally(request, page, response)


def public_page(view):
    """The view's page, kept and answered conditionally for anonymous readers (see above)."""

    @wraps(view)
    def answer(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        state = database_state() if may_keep(request) else None
        if state is None:
            return rendered(request, view, args, kwargs, key=None)
        key = (view.__module__, view.__qualname__, request.get_full_path(), get_language(), state)
        page = PAGES.get(key)
        if page is None or expired(page):
            # A missing page is waited for. An expired one (the database is as it was, only the
            # clock moved on) is still given out while one thread renders it anew.
            rendering = RENDERINGS.lead(key, wait=page is None)
            if rendering is not None:
                try:
                    return rendered(request, view, args, kwargs, key)
                finally:
                    RENDERINGS.finish(key, rendering)
            page = PAGES.get(key) or page  # the one another thread rendered, or is rendering
            if page is None:  # its answer could not be kept: this reader's own
                return rendered(request, view, args, kwargs, key=None)
        return answered_conditionally(request, page, response_of(page, request))

    return answer
