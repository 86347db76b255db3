"""An event's day and start are written the way of the page's language, on public and staff pages."""

from datetime import UTC, datetime

from django.utils import translation

from core.templatetags.site import event_time

START = datetime(2027, 1, 16, 17, 0, tzinfo=UTC)  # 18:00 in Berlin


def test_german_pages_write_the_day_with_a_full_stop():
    with translation.override("de"):
        assert event_time(START) == "Samstag, 16. Januar 2027, 18:00"


def test_english_pages_write_the_day_without_one():
    with translation.override("en"):
        assert event_time(START) == "Saturday, 16 January 2027, 18:00"
