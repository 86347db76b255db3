"""`/health` for the city's monitoring: one JSON answer, no personal data, 200 when every check
passes and 503 naming the checks that fail. Thresholds are settings (HEALTH_*)."""

import secrets
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Count, Max, Min, Q
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult

from registrations.intake.services import last_intake_run
from registrations.models import MailState, OutboxMail, WorkerHeartbeat

UNSENT = (MailState.QUEUED, MailState.SENDING)


def seconds_since(moment: datetime | None, now: datetime) -> int | None:
    return None if moment is None else max(0, int((now - moment).total_seconds()))


def database_check() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True}


def cache_check() -> dict:
    """The rate limits live in the cache; without it they are off (they fail open)."""
    probe = secrets.token_hex(8)
    try:
        cache.set("health:probe", probe, timeout=60)
        ok = cache.get("health:probe") == probe
    except Exception:  # each cache backend raises errors of its own
        ok = False
    return {"ok": ok, "backend": settings.CACHE_URL.partition(":")[0]}


def outbox_check(now: datetime) -> dict:
    counts = OutboxMail.objects.aggregate(
        queued=Count("pk", filter=Q(state__in=UNSENT)),
        failed=Count("pk", filter=Q(state=MailState.FAILED)),
        oldest_unsent=Min("created_at", filter=Q(state__in=UNSENT)),
    )
    oldest_age = seconds_since(counts["oldest_unsent"], now)
    ok = (oldest_age is None or oldest_age <= settings.HEALTH_MAX_UNSENT_MAIL_AGE) and (
        counts["failed"] <= settings.HEALTH_MAX_FAILED_MAILS
    )
    return {
        "ok": ok,
        "queued": counts["queued"],
        "failed": counts["failed"],
        "oldest_unsent_age_seconds": oldest_age,
    }


def intake_check(now: datetime) -> dict:
    age = seconds_since(last_intake_run(), now)
    expected = bool(settings.INTAKE_IMAP_URL)
    ok = not expected or (age is not None and age <= settings.HEALTH_MAX_INTAKE_AGE)
    return {"ok": ok, "expected": expected, "last_run_age_seconds": age}


def worker_check(now: datetime) -> dict:
    heartbeat = WorkerHeartbeat.objects.filter(worker="outbox").values_list("beat_at", flat=True).first()
    last_task = DBTaskResult.objects.aggregate(last=Max("finished_at"))["last"]
    last_beat = max((moment for moment in (heartbeat, last_task) if moment), default=None)
    age = seconds_since(last_beat, now)
    expected = settings.HEALTH_EXPECT_WORKERS
    ok = not expected or (age is not None and age <= settings.HEALTH_MAX_HEARTBEAT_AGE)
    return {"ok": ok, "expected": expected, "last_heartbeat_age_seconds": age}


@never_cache
@require_GET
def health(request):
    now = timezone.now()
    try:
        checks = {"database": database_check()}
    except DatabaseError:
        checks = {"database": {"ok": False}}
    else:
        checks["outbox"] = outbox_check(now)
        checks["intake"] = intake_check(now)
        checks["worker"] = worker_check(now)
    checks["cache"] = cache_check()
    failing = sorted(name for name, check in checks.items() if not check["ok"])
    body = {"status": "fail" if failing else "ok", "failing": failing, "checks": checks}
    return JsonResponse(body, status=503 if failing else 200)
