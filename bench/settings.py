"""Settings of the benchmark server: the production settings plus one bench-only URL, so that
the baseline view is served by the same gunicorn process as the API it is compared with."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# Connections live as long as their worker, so that bench/rush.py can read the CPU time of
# each PostgreSQL backend before and after a round (a closed backend takes its count along).
# With DATABASE_POOL_MAX_SIZE the pool keeps them (Django requires CONN_MAX_AGE=0 then).
if "pool" not in DATABASES["default"]["OPTIONS"]:  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = None  # noqa: F405

# One client machine sends the whole rush; in production the citizens come from many addresses.
RATE_LIMITS = {}

# As in production: mails and Zoom calls are queued as task rows for `db_worker`, not run in the
# request (the immediate backend would send each confirmation inside the measured request).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Benchmark switches (bench/switches.py): a fast path turned off to measure what it buys.
from bench import switches  # noqa: E402

switches.apply_to_settings(globals())
