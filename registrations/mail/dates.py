"""Dates and times in mails: one format per language, in Europe/Berlin.

Django's English DATETIME_FORMAT ("Feb. 17, 2027, 6 p.m.") ends with a full stop and abbreviates
the month, so a sentence ending with a date got two full stops. Mails spell the month out and
write the time as on a timetable, in both languages.
"""

from datetime import datetime

from django.utils import timezone, translation
from django.utils.dateformat import format as format_date

DATETIME_FORMATS = {"de": "j. F Y, H:i \\U\\h\\r", "en": "j F Y, H:i"}
TIME_FORMATS = {"de": "H:i \\U\\h\\r", "en": "H:i"}


def mail_datetime(value: datetime | None) -> str:
    return _formatted(value, DATETIME_FORMATS)


def mail_time(value: datetime | None) -> str:
    return _formatted(value, TIME_FORMATS)


def _formatted(value: datetime | None, formats: dict[str, str]) -> str:
    if value is None:
        return ""
    language = (translation.get_language() or "de")[:2]
    local = timezone.localtime(value, timezone.get_default_timezone())
    return format_date(local, formats.get(language, formats["de"]))
