"""German formats the site sets apart from Django's: only the short day of a chart's axis
("08.09."); every other format is Django's German one."""

MONTH_DAY_FORMAT = "d.m."
