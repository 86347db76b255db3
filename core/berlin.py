"""Europe/Berlin, the one time zone of the town hall: what staff read off the clock, what
exports, charts and calendar files write. `settings.TIME_ZONE` is the same zone; code that must
not depend on the active time zone (a request in another one, a test overriding it) uses these."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.utils import timezone

BERLIN = ZoneInfo("Europe/Berlin")


def in_berlin(moment: datetime) -> datetime:
    """The moment on a Berlin clock."""
    return timezone.localtime(moment, BERLIN)


def at_berlin(day: date, clock: time = time.min) -> datetime:
    """The moment a Berlin clock shows `clock` on `day`."""
    return datetime.combine(day, clock, tzinfo=BERLIN)


def spreadsheet_time(moment: datetime | None) -> str:
    """`YYYY-MM-DD HH:MM:SS` in Berlin, which every spreadsheet reads as a time; empty for none."""
    return in_berlin(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""
