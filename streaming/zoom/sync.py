"""Keeping Zoom in step with Stadtdialog.

Two halves. The *wishes* (`request_meeting`, `drop_meeting`, `request_registrant`,
`withdraw_registrant`) run inside the transaction of the change that causes them (publishing,
moving, cancelling an event; a seat confirmed or given up). They only write a row that says what
Zoom should look like and mark it due; nobody waits for Zoom there. After commit a task is
enqueued that runs the *worker* (`sync_due`): it claims due rows (row lock with SKIP LOCKED and a
lease, so several workers never call Zoom for the same row), calls Zoom outside any transaction,
and records the outcome: synced, or the error and when to try again (`Retry-After` when Zoom gave
one, else doubling waits), or failed after too many attempts or a refusal that retrying cannot
fix. `reconcile` is the catch-up that `manage.py sync_zoom` runs: it finds what the signals may
have missed. See docs/zoom.md.
"""

import contextlib
import logging
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone

from events.models import Event, EventStatus, Format, SeatType
from registrations.models import Registration, Status
from registrations.signals import personal_join_url_changed
from streaming.breakout_rooms import rooms_for
from streaming.models import MeetingGoal, RegistrantGoal, SyncState, ZoomMeeting, ZoomRegistrant
from streaming.zoom.client import (
    ZoomClient,
    ZoomError,
    ZoomNotFound,
    ZoomRateLimited,
    api_configured,
)
from streaming.zoom.payloads import fingerprint, meeting_payload, new_passcode, registrant_payload

logger = logging.getLogger(__name__)

ONLINE_FORMATS = (Format.ONLINE, Format.HYBRID)
# Longer than one row's calls can take (a few requests with a 15 s read timeout each), so a
# lease only runs out when its worker died.
LEASE = timedelta(minutes=5)
FIRST_RETRY = timedelta(seconds=30)
MINIMAL_WAIT = timedelta(seconds=1)
LONGEST_WAIT = timedelta(hours=1)
# 30 s, 1, 2, 4 … 32 min, then hourly: about eight hours before an organiser must step in.
MAX_ATTEMPTS = 14
BATCH_SIZE = 25
REGISTRANT_STATUSES = ("approved", "pending", "denied")


# Wishes, inside the caller's transaction (each opens its own when called outside one)


def wants_meeting(event: Event) -> bool:
    return event.status == EventStatus.PUBLISHED and event.format in ONLINE_FORMATS


@transaction.atomic
def request_meeting(event: Event, *, now: datetime) -> ZoomMeeting | None:
    """The event should have a Zoom meeting with its current data (published or moved)."""
    if not api_configured():
        return None
    if not wants_meeting(event):
        drop_meeting(event, now=now)
        return None
    meeting = ZoomMeeting.objects.select_for_update().filter(event=event).first()
    if meeting is None:
        meeting = ZoomMeeting(event=event, passcode=new_passcode())
    return wish(meeting, MeetingGoal.PRESENT, now=now)


@transaction.atomic
def drop_meeting(event: Event, *, now: datetime) -> None:
    """The event's meeting should go (event cancelled, or no longer online)."""
    meeting = ZoomMeeting.objects.select_for_update().filter(event=event).first()
    if meeting is None or meeting.goal == MeetingGoal.ABSENT:
        return
    wish(meeting, MeetingGoal.ABSENT, now=now)


def request_registrant(registration: Registration, *, now: datetime) -> ZoomRegistrant | None:
    """A confirmed online participant should be an approved Zoom registrant."""
    event = registration.event
    # Decided before opening a savepoint: this runs for every seat confirmed in a rush.
    if not api_configured() or registration.seat_type != SeatType.ONLINE or not wants_meeting(event):
        return None
    with transaction.atomic():
        return _approve_registrant(registration, event, now=now)


def _approve_registrant(registration: Registration, event: Event, *, now: datetime) -> ZoomRegistrant:
    meeting = ZoomMeeting.objects.filter(event=event, goal=MeetingGoal.PRESENT).first()
    if meeting is None:
        meeting = request_meeting(event, now=now)
    row = ZoomRegistrant.objects.select_for_update().filter(registration=registration).first()
    if row is None:
        row = ZoomRegistrant(registration=registration, meeting=meeting)
    elif row.goal == RegistrantGoal.APPROVED and row.meeting_id == meeting.pk:
        return row
    row.meeting = meeting
    return wish(row, RegistrantGoal.APPROVED, now=now)


@transaction.atomic
def withdraw_registrant(registration: Registration, *, now: datetime) -> None:
    """The seat is gone: the Zoom registration is cancelled and the personal link forgotten."""
    Registration.objects.filter(pk=registration.pk).update(personal_join_url="")
    registration.personal_join_url = ""
    row = ZoomRegistrant.objects.select_for_update().filter(registration=registration).first()
    if row is None or row.goal == RegistrantGoal.CANCELLED:
        return
    wish(row, RegistrantGoal.CANCELLED, now=now)


def wish(row: ZoomMeeting | ZoomRegistrant, goal: str, *, now: datetime):
    """Store a new goal for the row, due at once, and have the worker run after commit."""
    row.goal = goal
    row.wait_for_sync(now=now)
    row.save()
    sync_row_after_commit(type(row), row)
    return row


def retry_now(event: Event, *, now: datetime) -> int:
    """An organiser asks to try again at once: every unfinished row of the event is due."""
    with transaction.atomic():
        unfinished = ~Q(state=SyncState.SYNCED)
        fresh = {"state": SyncState.PENDING, "attempts": 0, "next_attempt_at": now}
        count = ZoomMeeting.objects.filter(unfinished, event=event).update(**fresh)
        count += ZoomRegistrant.objects.filter(unfinished, meeting__event=event).update(**fresh)
        sync_after_commit(meeting_ids=None, registrant_ids=None)
    return count


def sync_after_commit(*, meeting_ids: list[int] | None = None, registrant_ids: list[int] | None = None) -> None:
    """Start the worker once the wish is committed. If the task cannot be enqueued, nothing is
    lost: the row stays due for `manage.py sync_zoom`."""
    transaction.on_commit(
        lambda: sync_zoom.enqueue(meeting_ids=meeting_ids, registrant_ids=registrant_ids), robust=True
    )


# The worker


@dataclass
class SyncReport:
    synced: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class Claimed:
    row: ZoomMeeting | ZoomRegistrant
    token: uuid.UUID
    wish_version: int


def sync_due(
    *,
    now: datetime,
    client: ZoomClient | None = None,
    meeting_ids: list[int] | None = None,
    registrant_ids: list[int] | None = None,
) -> SyncReport:
    """Meetings first (registrants need their meeting ID), then registrants, batch after batch.
    With ids, only those rows (the ones a request just wished for); without, everything due."""
    report = SyncReport()
    if not api_configured():
        return report
    client = client or ZoomClient()
    everything = meeting_ids is None and registrant_ids is None
    if everything or meeting_ids is not None:
        run_batches(ZoomMeeting, sync_meeting, client, report, now=now, ids=meeting_ids)
    if everything or registrant_ids is not None:
        run_batches(ZoomRegistrant, sync_registrant, client, report, now=now, ids=registrant_ids)
    return report


def run_batches(model, sync_one, client, report: SyncReport, *, now: datetime, ids) -> None:
    while True:
        batch = claim(model, now=now, ids=ids)
        if not batch:
            return
        transient_failures = 0
        for claimed in batch:
            try:
                changes = sync_one(claimed.row, client, now=now)
            except ZoomError as error:
                transient_failures += error.transient
                record_failure(model, claimed, error, now=now, report=report)
            except Exception as error:  # a bug or a database hiccup must not stop the other rows
                logger.exception("Zoom sync of %s %s failed", model.__name__, claimed.row.pk)
                record_failure(model, claimed, ZoomError(f"{type(error).__name__}: {error}"), now=now, report=report)
            else:
                record_success(model, claimed, changes, now=now, report=report)
        if transient_failures == len(batch):
            return  # Zoom is down or limiting us: leave the rest for later instead of hammering it


def due(model, *, now: datetime):
    rows = model.objects.filter(state=SyncState.PENDING, next_attempt_at__lte=now).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )
    if model is ZoomRegistrant:
        # A registrant waits for its meeting; once the meeting is to go, there is nothing to do at Zoom.
        rows = rows.filter(Q(meeting__meeting_id__isnull=False) | Q(meeting__goal=MeetingGoal.ABSENT))
    return rows


def claim(model, *, now: datetime, ids: list[int] | None) -> list[Claimed]:
    token = uuid.uuid4()
    with transaction.atomic():
        rows = due(model, now=now)
        if ids is not None:
            rows = rows.filter(pk__in=ids)
        # SKIP LOCKED: rows another worker is claiming are passed over, not waited for.
        # (SQLite has no row locks; its IMMEDIATE transactions serialise the claims instead.)
        pks = list(
            rows.order_by("next_attempt_at", "pk")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:BATCH_SIZE]
        )
        if not pks:
            return []
        model.objects.filter(pk__in=pks).update(
            claimed_until=now + LEASE, claim_token=token, attempts=F("attempts") + 1
        )
    related = ("event",) if model is ZoomMeeting else ("meeting__event", "registration")
    rows = model.objects.filter(pk__in=pks, claim_token=token).select_related(*related).order_by("pk")
    return [Claimed(row, token, row.wish_version) for row in rows]


def record_success(model, claimed: Claimed, changes: dict, *, now: datetime, report: SyncReport) -> None:
    """Store what Zoom answered; mark the row synced unless a newer wish arrived meanwhile."""
    on_success = changes.pop("on_success", None)
    with transaction.atomic():
        mine = model.objects.select_for_update().filter(pk=claimed.row.pk, claim_token=claimed.token)
        current = mine.first()
        if current is None:
            return  # our lease ran out and another worker took over; its result counts
        release = {"claimed_until": None, "claim_token": None, **changes}
        wish_fulfilled = current.wish_version == claimed.wish_version
        if wish_fulfilled:
            release.update(state=SyncState.SYNCED, next_attempt_at=None, last_error="", synced_at=now)
            report.synced += 1
        mine.update(**release)
        if not wish_fulfilled:
            sync_row_after_commit(model, current)
        elif on_success:
            on_success(current, now=now)  # in this transaction: the link and its mail go together


def record_failure(model, claimed: Claimed, error: ZoomError, *, now: datetime, report: SyncReport) -> None:
    attempts = claimed.row.attempts
    message = str(error)[:2000]
    report.errors.append(message)
    if error.transient and attempts < MAX_ATTEMPTS:
        if isinstance(error, ZoomRateLimited) and error.retry_after is not None:
            wait = max(error.retry_after, MINIMAL_WAIT)  # never again in the same round
        else:
            wait = backoff(attempts)
        fields = {"state": SyncState.PENDING, "next_attempt_at": now + wait}
        report.retrying += 1
    else:
        fields = {"state": SyncState.FAILED, "next_attempt_at": None}
        report.failed += 1
    logger.warning("Zoom sync of %s %s: %s", model.__name__, claimed.row.pk, message)
    model.objects.filter(pk=claimed.row.pk, claim_token=claimed.token, wish_version=claimed.wish_version).update(
        claimed_until=None, claim_token=None, last_error=message, last_error_at=now, **fields
    )
    # A newer wish arrived while we worked: it stays due as it is, only our claim is released.
    if model.objects.filter(pk=claimed.row.pk, claim_token=claimed.token).update(
        claimed_until=None, claim_token=None, last_error=message, last_error_at=now
    ):
        sync_row_after_commit(model, claimed.row)


def sync_row_after_commit(model, row) -> None:
    """Run the worker for this row after commit (for a new wish; or because the task of a newer
    wish found the row claimed by us and passed it over)."""
    if model is ZoomMeeting:
        sync_after_commit(meeting_ids=[row.pk])
    else:
        sync_after_commit(registrant_ids=[row.pk])


def backoff(attempts: int) -> timedelta:
    wait = min(FIRST_RETRY * 2 ** max(0, attempts - 1), LONGEST_WAIT)
    return wait * random.uniform(1.0, 1.2)  # spread the retries of a rush a little


# One row each: the calls to Zoom


def sync_meeting(meeting: ZoomMeeting, client: ZoomClient, *, now: datetime) -> dict:
    if meeting.goal == MeetingGoal.ABSENT:
        if meeting.meeting_id is not None:
            with contextlib.suppress(ZoomNotFound):  # already gone: that is what we wanted
                client.delete_meeting(meeting.meeting_id)
        return {"synced_fingerprint": "", "on_success": forget_personal_links}
    payload = current_payload(meeting)
    wanted = fingerprint(payload)
    if meeting.meeting_id is not None:
        if wanted == meeting.synced_fingerprint:
            return {}
        try:
            client.update_meeting(meeting.meeting_id, payload)
        except ZoomNotFound:
            # Deleted at Zoom by someone: create it anew, and register everyone again below.
            logger.warning("Zoom meeting %s of %s vanished; creating a new one", meeting.meeting_id, meeting.event)
        else:
            return {"synced_fingerprint": wanted}
    created = client.create_meeting(payload)
    return {"meeting_id": int(created["id"]), "synced_fingerprint": wanted, "on_success": queue_registrants}


def current_payload(meeting: ZoomMeeting) -> dict:
    event = meeting.event
    interpreters = [(i.email, i.language_from, i.language_to) for i in event.interpreters.all()]
    return meeting_payload(event, passcode=meeting.passcode, interpreters=interpreters, rooms=rooms_for(event))


def forget_personal_links(meeting: ZoomMeeting, *, now: datetime) -> None:
    Registration.objects.filter(zoom_registrant__meeting=meeting).update(personal_join_url="")


def queue_registrants(meeting: ZoomMeeting, *, now: datetime) -> None:
    """A new meeting ID: everyone waiting for it is due now, and everyone registered for a
    meeting that vanished at Zoom is added to the new one."""
    Registration.objects.filter(zoom_registrant__meeting=meeting).update(personal_join_url="")
    meeting.registrants.filter(goal=RegistrantGoal.APPROVED).update(
        registrant_id="",
        add_attempted=False,
        state=SyncState.PENDING,
        attempts=0,
        next_attempt_at=now,
        wish_version=F("wish_version") + 1,
    )
    sync_after_commit(registrant_ids=list(meeting.registrants.values_list("pk", flat=True)))


def sync_registrant(row: ZoomRegistrant, client: ZoomClient, *, now: datetime) -> dict:
    meeting = row.meeting
    if meeting.goal == MeetingGoal.ABSENT:
        return {}  # deleting the meeting removed its registrants at Zoom too
    registration = row.registration
    if row.goal == RegistrantGoal.CANCELLED:
        return cancel_registrant(row, client, meeting.meeting_id, registration)
    known = None
    if row.registrant_id or row.add_attempted:
        # Zoom may know this person already: an earlier answer got lost, or they come back
        # after a cancellation. Looking up first is what keeps registrants unique.
        known = find_registrant(client, meeting.meeting_id, registration.email, row.registrant_id)
    if known is not None:
        if known["status"] != "approved":
            client.set_registrant_status(meeting.meeting_id, "approve", [{"id": known["id"], "email": known["email"]}])
        registrant_id, join_url = known["id"], known["join_url"]
    else:
        ZoomRegistrant.objects.filter(pk=row.pk).update(add_attempted=True)
        added = client.add_registrant(meeting.meeting_id, registrant_payload(registration))
        registrant_id, join_url = added["registrant_id"], added["join_url"]

    def store_link(current: ZoomRegistrant, *, now: datetime) -> None:
        Registration.objects.filter(pk=registration.pk).update(personal_join_url=join_url)
        registration.personal_join_url = join_url
        personal_join_url_changed.send(sender=Registration, registration=registration, now=now)

    return {"registrant_id": registrant_id, "add_attempted": True, "on_success": store_link}


def cancel_registrant(row: ZoomRegistrant, client: ZoomClient, meeting_id: int, registration: Registration) -> dict:
    registrant_id = row.registrant_id
    if not registrant_id:
        if not row.add_attempted:
            return {}  # never reached Zoom
        known = find_registrant(client, meeting_id, registration.email, "")
        if known is None:
            return {}
        registrant_id = known["id"]
    client.set_registrant_status(meeting_id, "cancel", [{"id": registrant_id, "email": registration.email}])
    return {"registrant_id": registrant_id}


def find_registrant(client: ZoomClient, meeting_id: int, email: str, registrant_id: str) -> dict | None:
    wanted = email.strip().casefold()
    for status in REGISTRANT_STATUSES:
        for registrant in client.registrants(meeting_id, status=status):
            if registrant["id"] == registrant_id or registrant.get("email", "").casefold() == wanted:
                return {**registrant, "status": status}
    return None


def host_start_url(event: Event) -> str:
    """A fresh `start_url` for the host, fetched when needed: it grants host rights and expires
    after a few hours, so it is never stored."""
    meeting = ZoomMeeting.objects.get(event=event, goal=MeetingGoal.PRESENT, meeting_id__isnull=False)
    return ZoomClient().get_meeting(meeting.meeting_id)["start_url"]


# The catch-up


def reconcile(*, now: datetime) -> int:
    """Wish for whatever the signals may have missed (a process that died between commit and
    signal, data changed where no signal is sent: interpreters, breakout groups). Returns the
    number of rows made due."""
    if not api_configured():
        return 0
    made_due = 0
    upcoming = Event.objects.filter(ends_at__gt=now)
    with transaction.atomic():
        for event in upcoming.filter(status=EventStatus.PUBLISHED, format__in=ONLINE_FORMATS).exclude(
            zoom_meeting__goal=MeetingGoal.PRESENT
        ):
            made_due += request_meeting(event, now=now) is not None
        stale = ZoomMeeting.objects.filter(goal=MeetingGoal.PRESENT).exclude(
            event__status__in=[EventStatus.PUBLISHED, EventStatus.POSTPONED], event__format__in=ONLINE_FORMATS
        )
        for meeting in stale.select_related("event"):
            drop_meeting(meeting.event, now=now)
            made_due += 1
        synced = ZoomMeeting.objects.filter(goal=MeetingGoal.PRESENT, state=SyncState.SYNCED, event__in=upcoming)
        for meeting in synced.select_related("event").prefetch_related("event__interpreters"):
            if fingerprint(current_payload(meeting)) != meeting.synced_fingerprint:
                meeting.wait_for_sync(now=now)
                meeting.save(update_fields=["state", "attempts", "next_attempt_at", "wish_version"])
                sync_after_commit(meeting_ids=[meeting.pk])
                made_due += 1
        confirmed = Registration.objects.filter(
            status=Status.CONFIRMED,
            seat_type=SeatType.ONLINE,
            event__in=upcoming,
            event__zoom_meeting__goal=MeetingGoal.PRESENT,
        ).exclude(zoom_registrant__goal=RegistrantGoal.APPROVED)
        for registration in confirmed.select_related("event"):
            made_due += request_registrant(registration, now=now) is not None
        for row in ZoomRegistrant.objects.filter(goal=RegistrantGoal.APPROVED).exclude(
            registration__status=Status.CONFIRMED
        ):
            withdraw_registrant(row.registration, now=now)
            made_due += 1
    return made_due


# The task: enqueued by `sync_after_commit` (above) and run by `db_worker`, or at once with
# TASKS_BACKEND=immediate. A Zoom outage ends here, recorded on the rows, never in the request
# that enqueued it.


@task
def sync_zoom(meeting_ids: list[int] | None = None, registrant_ids: list[int] | None = None) -> dict:
    try:
        report = sync_due(now=timezone.now(), meeting_ids=meeting_ids, registrant_ids=registrant_ids)
    except Exception as error:  # e.g. the database is gone: the rows stay due for `sync_zoom --loop`
        logger.exception("Zoom sync task failed")
        return {"error": f"{type(error).__name__}: {error}"}
    return {"synced": report.synced, "retrying": report.retrying, "failed": report.failed}
