"""The database server's clock, the one clock that every web host shares."""

from datetime import datetime

from django.db import connection
from django.utils import timezone


def database_now() -> datetime:
    """The time at the database server (`statement_timestamp()`), so that hosts whose clocks
    disagree still agree on which of two requests came first. SQLite has no server: there,
    the app's clock."""
    if connection.vendor != "postgresql":
        return timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement_timestamp()")
        return cursor.fetchone()[0]
