"""Changes to an event's livestream and the organisers' Zoom actions; the Zoom sync itself lives
in `streaming.zoom.sync`."""

from datetime import datetime

from django.db import transaction

from events.access import Capability, ensure
from events.models import Event
from events.services import record_audit
from streaming.models import Livestream, StreamStatus
from streaming.zoom import sync


@transaction.atomic
def set_livestream(event: Event, *, status: str, replay_url: str, actor, now: datetime) -> Livestream:
    ensure(actor, event, Capability.MANAGE)
    livestream, _created = Livestream.objects.select_for_update().get_or_create(event=event)
    livestream.status = StreamStatus(status)
    livestream.replay_url = replay_url
    livestream.updated_by = actor
    livestream.save()
    record_audit(
        "livestream.updated",
        actor=actor,
        now=now,
        event=event,
        target=livestream,
        data={"status": livestream.status, "replay_url": replay_url},
    )
    return livestream


@transaction.atomic
def sync_zoom_now(event: Event, *, actor, now: datetime) -> None:
    """The organiser's "sync now": send the current data again and retry whatever is stuck."""
    ensure(actor, event, Capability.MANAGE)
    sync.request_meeting(event, now=now)
    sync.retry_now(event, now=now)
    record_audit("zoom.sync_requested", actor=actor, now=now, event=event, target=event)


def start_meeting_as_host(event: Event, *, actor, now: datetime) -> str:
    ensure(actor, event, Capability.MANAGE)
    start_url = sync.host_start_url(event)
    record_audit("zoom.host_started", actor=actor, now=now, event=event, target=event)
    return start_url
