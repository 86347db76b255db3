"""English dates as the site writes them: day before month, the month spelled out, the time on
a 24-hour clock ("21 December 2026, 18:00"), as `event_time` and the mails do.

Django's own English formats are American ("Dec. 21, 2026, 6 p.m.", "12/21/2026"); every
`berlin`/`date` filter and `date_format` call without an explicit format reads these instead.
The short forms name the month too, so that no reader takes 03/04 for 4 March or 3 April.
Input formats are Django's (ISO first), which the date fields render and read.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j M"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1
