"""Settings of the benchmark server: the production settings plus one bench-only URL, so that
the baseline view is served by the same gunicorn process as the API it is compared with."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# Connections live as long as their worker, so that bench/rush.py can read the CPU time of
# each PostgreSQL backend before and after a round (a closed backend takes its count along).
DATABASES["default"]["CONN_MAX_AGE"] = None  # noqa: F405
