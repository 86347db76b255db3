"""Background work of streaming: the Zoom sync.

With TASKS_BACKEND=immediate the task runs right after the commit of the change that wished
for it, in the same process (the laptop demo); with django-tasks-db it runs in `db_worker`,
outside the registration request. Either way a Zoom outage ends here, recorded on the rows,
never in the request that enqueued it."""

import logging

from django.tasks import task
from django.utils import timezone

from streaming.zoom.sync import sync_due

logger = logging.getLogger(__name__)


@task
def sync_zoom(meeting_ids: list[int] | None = None, registrant_ids: list[int] | None = None) -> dict:
    try:
        report = sync_due(now=timezone.now(), meeting_ids=meeting_ids, registrant_ids=registrant_ids)
    except Exception as error:  # e.g. the database is gone: the rows stay due for `sync_zoom --loop`
        logger.exception("Zoom sync task failed")
        return {"error": f"{type(error).__name__}: {error}"}
    return {"synced": report.synced, "retrying": report.retrying, "failed": report.failed}
