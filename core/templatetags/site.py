import contextlib
import re

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, language_code: str) -> str:
    """The current page in another language (German lives at `/`, English at `/en/`)."""
    return translate_url(context["request"].get_full_path(), language_code)


@register.filter
def berlin(value, fmt: str = "DATETIME_FORMAT") -> str:
    """A date/time shown in Europe/Berlin, whatever the active time zone is."""
    if not value:
        return ""
    # A time at the very edge of the calendar (year 1 or 9999) has no Berlin time: shown as stored.
    with contextlib.suppress(OverflowError):
        value = timezone.localtime(value, timezone.get_default_timezone())
    return date_format(value, fmt)


@register.filter
def webcal(path: str) -> str:
    """The address to subscribe to a calendar file: calendar programs open webcal: links as a
    subscription they keep polling, where an https link only downloads the file once."""
    return re.sub(r"^https?://", "webcal://", settings.SITE_URL) + path


@register.filter
def summary_label(label) -> str:
    """A field's label as the start of "<label>: <error>" in an error summary: without the full
    stop, colon or space a sentence-like label ends with ("… gehen.: Es gibt …")."""
    return str(label).rstrip(" .:")


# An event's day and start as people write it in each language ("Samstag, 16. Januar 2027" /
# "Saturday, 16 January 2027").
EVENT_TIME_FORMATS = {"de": "l, j. F Y, H:i", "en": "l, j F Y, H:i"}


@register.filter
def event_time(value) -> str:
    """When an event starts, in Berlin time, written the way of the active language."""
    return berlin(value, EVENT_TIME_FORMATS.get(get_language(), EVENT_TIME_FORMATS["de"]))


@register.filter
def long_day(value) -> str:
    """A date written out the way of the active language ("16. Januar 2027" / "16 January 2027")."""
    return date_format(value, "DATE_FORMAT") if value else ""


@register.filter
def event_span(event) -> str:
    """An event's day, start and end ("Montag, 21. Dezember 2026, 18:00–20:00 Uhr" / "Monday,
    21 December 2026, 18:00–20:00"): English writes a 24-hour time without "o'clock"."""
    text = f"{event_time(event.starts_at)}–{berlin(event.ends_at, 'H:i')}"
    return f"{text} Uhr" if get_language() == "de" else text
