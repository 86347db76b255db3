"""The production settings (config/settings.py, read from the environment as in production) with
the two differences a journey server needs. Nothing else may be changed here: the journeys prove
that the pages work as deployed."""

import os
from pathlib import Path

from config.settings import *  # noqa: F403 (the production settings, unchanged but for the two below)
from config.settings import RATE_LIMITS

# Each test worker collects the static files into its own temporary folder.
STATIC_ROOT = Path(os.environ["JOURNEY_STATIC_ROOT"])

# Every journey comes from 127.0.0.1 to one long-lived server, so the per-client limits (e.g. 5
# data requests an hour) would refuse the later journeys of a run. The limits themselves are
# tested in tests/core and tests/security; here they are far out of reach. The login lockout
# (django-axes) counts only failures, so the journeys' logins leave it as deployed.
RATE_LIMITS = {purpose: (requests * 1000, seconds) for purpose, (requests, seconds) in RATE_LIMITS.items()}
