"""DATABASE_POOL_MAX_SIZE turns on Django's psycopg pool: a process then holds at most that many
connections, and a connection outlives the request that used it: the next request gets it back
from the pool."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# Three "requests" on one thread, as gunicorn serves them: each ends by giving its connection
# back (Django's request_finished), the next takes one from the pool.
REQUESTS_THROUGH_THE_POOL = """
import json, django
django.setup()
from django.conf import settings
from django.db import close_old_connections, connection
from core.rows import run_statement
from events.models import Event

seen = []
for request in range(3):
    run_statement(Event, "SELECT count(*) FROM events_event WHERE id > %s", [0])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    seen.append({"pid": pid})
    close_old_connections()
    connection.close()
print(json.dumps({
    "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "pool": settings.DATABASES["default"]["OPTIONS"].get("pool"),
    "requests": seen,
}))
"""


def run_requests(**environment) -> dict:
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    env = {**os.environ, "SECRET_KEY": "x" * 50, "DATABASE_URL": url, **environment}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-c", REQUESTS_THROUGH_THE_POOL],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_with_a_pool_one_connection_serves_request_after_request():
    result = run_requests(DATABASE_POOL_MAX_SIZE="2")
    assert result["conn_max_age"] == 0
    assert result["pool"]["max_size"] == 2
    pids = {request["pid"] for request in result["requests"]}
    assert len(pids) <= 2


def test_without_a_pool_a_closed_connection_is_gone():
    """The control: the same requests with CONN_MAX_AGE and an explicit close get a new
    connection each time."""
    result = run_requests(DATABASE_POOL_MAX_SIZE="0")
    assert result["pool"] is None
    assert len({request["pid"] for request in result["requests"]}) == 3
