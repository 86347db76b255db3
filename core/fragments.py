"""Parts of pages rendered once and reused, with only what varies filled in per request.

The registration form on an event page is the same for every citizen who opens it in the same
language (the same fields, labels, hints and choices) except for the CSRF token: rendering it
field by field was most of the page's cost. `FragmentCache` keeps such HTML per key in this
process (bounded, least recently used first out); `with_csrf_token` stores it with the token
replaced by a placeholder and puts the request's own token back in.

The key must name everything the HTML depends on: a key that misses something shows a stale
form. `form_fingerprint` is such a key for an unbound form: every field's type, widget,
label, hint, choices, initial value and attributes, so that a changed question, consent or seat
type gives a new key without anyone remembering to clear the cache.
"""

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django import forms
from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe

CSRF_PLACEHOLDER = "\x00csrf-token\x00"
TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class FragmentCache:
    """A bounded map of rendered HTML (or whatever is kept with it), least recently used first out,
    shared by the threads of a process."""

    def __init__(self, size: int = 256):
        self.size = size
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable):
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value) -> None:
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def get_or_render(self, key: Hashable, render: Callable[[], str]) -> str:
        html = self.get(key)
        if html is None:
            html = render()  # outside the lock: two threads may render the same once each
            self.put(key, html)
        return html

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def without_csrf_tokens(html: str) -> str:
    """The HTML with every CSRF token of its forms replaced by the placeholder: what is left is
    the same for every reader."""
    for token in set(TOKEN_FIELD.findall(html)):
        html = html.replace(token, CSRF_PLACEHOLDER)
    return html


def with_csrf_token(cache: FragmentCache, key: Hashable, request, render: Callable[[], str]) -> str:
    """The fragment with the request's CSRF token. `render()` renders it for this request; the
    token it wrote (masked, unique to that rendering) is stored as a placeholder, so the stored
    HTML is nobody's."""
    html = cache.get_or_render(key, lambda: without_csrf_tokens(render()))
    # Safe: the fragment was rendered (escaped) by a template, the token is letters and digits.
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308


def form_fingerprint(form: forms.Form, *extra) -> str:
    """A digest of everything an unbound form renders from, and of `extra` (what the template
    around it shows, such as texts of the event)."""
    parts = [type(form).__name__, str(form.prefix), str(form.auto_id), repr(extra)]
    for name, field in form.fields.items():
        widget = field.widget
        parts.append(
            repr(
                (
                    name,
                    type(field).__name__,
                    type(widget).__name__,
                    str(field.label),
                    str(field.help_text),
                    [(value, str(label)) for value, label in getattr(field, "choices", ())],
                    form.get_initial_for_field(field, name),
                    field.required,
                    field.disabled,
                    sorted((key, str(value)) for key, value in widget.attrs.items()),
                )
            )
        )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()
