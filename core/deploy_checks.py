"""`manage.py check --deploy`: the development defaults that must not reach production silently.

Each default makes `make run` work without any service, and each quietly breaks something once
the site runs for real; the warnings name the variable to set and what goes wrong without it.
"""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def development_defaults(app_configs, **kwargs) -> list[checks.Warning]:
    if settings.DEBUG:
        return []
    found = []
    if settings.EMAIL_URL.startswith("file:"):
        found.append(
            checks.Warning(
                "EMAIL_URL is file://: every mail is written to a file on this host and none reaches a citizen.",
                hint="Set EMAIL_URL to the city's mail server, e.g. smtp+tls://user:pass@mail.example.org:587.",
                id="stadtdialog.W001",
            )
        )
    if settings.CACHE_URL.startswith("locmem"):
        found.append(
            checks.Warning(
                "CACHE_URL is locmem://: each process keeps its own cache. With more than one process "
                "(several gunicorn workers, a second host) every process counts rate limits and failed "
                "logins on its own, so the limits multiply by the number of processes.",
                hint="Set CACHE_URL to a Redis shared by all processes, e.g. redis://cache.example.org:6379/0.",
                id="stadtdialog.W002",
            )
        )
    if settings.TASKS_BACKEND == "immediate":
        found.append(
            checks.Warning(
                "TASKS_BACKEND is immediate: mails are sent inside the citizen's request, so a slow or "
                "hanging mail server holds every registration for the SMTP timeout.",
                hint="Set TASKS_BACKEND=db and run `python manage.py db_worker` (docs/operations.md).",
                id="stadtdialog.W003",
            )
        )
    return found
