"""Conditional GET for the public pages everyone reads (the home page, an event's page, a
process's page, the lists): a citizen who opens a page again gets `304 Not Modified` while the
page is the same, instead of the whole page once more.

The ETag is a digest of the rendered page, so whatever the page shows (seat counts, a new idea, a
flash message) gives a new one without anyone keeping a version. The page is still rendered; what
a 304 saves is sending it and the browser's work of reading it.

A page with a form carries a CSRF token, masked anew in every rendering, so a digest of the bytes
would never match. The digest is taken over the page with the tokens replaced by a placeholder
(`core.fragments.without_csrf_tokens`) and over the reader's CSRF secret (the cookie): a 304 tells
the browser to show its stored copy, whose token was made from the secret it had then, and that
token is valid exactly while the secret is the same. A reader with a new secret (no cookie yet,
or a new one after logging in and out) gets the whole page with a token that fits it.

Only for anonymous readers: a logged-in organiser's page may show what the public does not, and
gets no ETag and never a 304. Never for a page that must not be stored (a preview).
"""

import hashlib
from functools import wraps

from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from core.fragments import TOKEN_FIELD, without_csrf_tokens


def page_etag(html: str, csrf_secret: str | None) -> str:
    """A weak ETag (the tokens differ byte for byte between two renderings of the same page)."""
    digest = hashlib.sha256(without_csrf_tokens(html).encode())
    if TOKEN_FIELD.search(html):
        digest.update(b"\x00" + (csrf_secret or "").encode())
    return f'W/"{digest.hexdigest()[:32]}"'


def answers_conditionally(request, response) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and not response.streaming
        and "no-store" not in response.get("Cache-Control", "")
        and not request.user.is_authenticated
    )


def conditional_for_anonymous(view):
    """The view's page with an ETag for anonymous readers, or 304 when they already have it."""

    @wraps(view)
    def with_etag(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if not answers_conditionally(request, response):
            return response
        html = response.content.decode(response.charset)
        has_token = TOKEN_FIELD.search(html) is not None
        response["ETag"] = page_etag(html, request.META.get("CSRF_COOKIE"))
        # Asked again each time (seats and ideas change); a page with a token is this browser's.
        patch_cache_control(response, no_cache=True, **({"private": True} if has_token else {}))
        # The page depends on the cookies (token, session, messages). Accept-Language is added by
        # the LocaleMiddleware to every page outside a language prefix, on the 304 as well.
        patch_vary_headers(response, ("Cookie",))
        return get_conditional_response(request, etag=response["ETag"], response=response)

    return with_etag
