"""Turning mails of the registration inbox into registrations, exactly once each."""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.rows import insert_all, values_present
from events.models import Event
from events.services import record_audit
from registrations import services as registrations
from registrations.intake.matching import candidate_events, chosen_seat_type, find_event
from registrations.intake.models import IntakeMail, Outcome
from registrations.intake.parsing import ParsedMail, UnreadableMail, message_key, parse_or_unreadable
from registrations.models import Channel, MailKind, OutboxMail, WorkerHeartbeat
from registrations.outbox.queue import new_mail, queue_many
from registrations.submissions import registration_is_open

logger = logging.getLogger(__name__)
EXCERPT_CHARS = 2000


@dataclass(frozen=True)
class RawMail:
    raw: bytes
    received_at: datetime  # when the city's server received it (IMAP INTERNALDATE)
    source: str


def process_raw_mail(
    raw: bytes, *, received_at: datetime, source: str, now: datetime, events: list[Event] | None = None
) -> IntakeMail | None:
    """Process one mail; None when it was processed before (see `process_raw_mails`)."""
    return process_raw_mails([RawMail(raw, received_at, source)], now=now, events=events)[0]


def process_raw_mails(
    mails: list[RawMail], *, now: datetime, events: list[Event] | None = None
) -> list[IntakeMail | None]:
    """Process a chunk of mails in one transaction; for each, its IntakeMail, or None when it
    was processed before by an earlier or a parallel run: the unique `message_key` decides.

    `events` are the candidate events (see `candidate_events`), passed in by batch callers so
    that a batch looks them up once. The registrations of a chunk are made per event with
    `register_many`, in order of arrival."""
    try:
        with transaction.atomic():
            return _process_chunk(mails, now=now, events=events)
    except (OperationalError, InterfaceError):
        raise  # the database is away: nothing is flagged, the next run takes these mails again
    except DatabaseError as error:
        # A parallel intake processed one of these mails (its message_key is taken), or the
        # database refused something of one mail: each is taken alone, so the others go on.
        if len(mails) > 1:
            return [process_raw_mails([mail], now=now, events=events)[0] for mail in mails]
        return [_after_database_error(mails[0], error, now=now)]


def _after_database_error(mail: RawMail, error: DatabaseError, *, now: datetime) -> IntakeMail | None:
    """One mail whose processing the database refused: None if a parallel intake has processed
    it (and committed) meanwhile; otherwise it is recorded as unreadable, for an organiser to
    look at, instead of stopping the intake at this mail on every run."""
    intake_mail = _read(mail, now=now).intake_mail
    if isinstance(error, IntegrityError) and IntakeMail.objects.filter(message_key=intake_mail.message_key).exists():
        return None
    logger.error("intake: mail %s refused by the database, recorded as unreadable", mail.source, exc_info=error)
    unreadable = IntakeMail(
        message_key=intake_mail.message_key,
        received_at=intake_mail.received_at,
        processed_at=now,
        source=intake_mail.source,
        subject=intake_mail.subject,
        outcome=Outcome.UNREADABLE,
        detail=_("The database refused this mail (%(error)s).") % {"error": type(error).__name__},
    )
    try:
        with transaction.atomic():
            unreadable.save()
    except IntegrityError:
        return None  # a parallel intake got there first
    return unreadable


def _process_chunk(mails: list[RawMail], *, now: datetime, events: list[Event] | None) -> list[IntakeMail | None]:
    read = [_read(mail, now=now) for mail in mails]
    known = values_present(IntakeMail, "message_key", [item.intake_mail.message_key for item in read])
    new = []
    for item in read:
        if item.intake_mail.message_key not in known:
            known.add(item.intake_mail.message_key)
            new.append(item)
    for item in new:
        if item.parsed is None:
            logger.warning("intake: unreadable mail %s (%s)", item.intake_mail.source, item.intake_mail.detail)
    if events is None and any(item.parsed is not None and not item.parsed.ignore_reason for item in new):
        events = candidate_events(min(item.intake_mail.received_at for item in new))
    replies = []
    wanted: dict[Event, list[_Read]] = {}
    for item in new:
        if item.parsed is None or item.parsed.ignore_reason:
            continue
        event = find_event(item.parsed.searchable_lines, events, at=item.intake_mail.received_at)
        if event is None:
            _finish(item.intake_mail, Outcome.NO_KEYWORD, _("No keyword of an open event found."))
            open_events = [
                {"title": e.title, "keyword": e.keyword, "starts_at": e.starts_at.isoformat()}
                for e in events
                if registration_is_open(e, now)
            ]
            facts = {"outcome": "no_keyword", "open_events": open_events}
            replies.append(_reply(item.intake_mail, None, facts, now=now))
        else:
            wanted.setdefault(event, []).append(item)
    for event, items in wanted.items():
        submissions = [_submission(item.intake_mail, event, text=item.parsed.text, actor=None) for item in items]
        outcomes = registrations.register_many(event, submissions, now=now)
        for item, outcome in zip(items, outcomes, strict=True):
            replies += _apply(item.intake_mail, event, outcome, now=now)
    queue_many(replies)
    # A parallel intake that processed one of these mails meanwhile has inserted its key: the
    # insert fails, the chunk rolls back and is taken mail by mail (see process_raw_mails).
    insert_all([item.intake_mail for item in new])
    claimed = {id(item) for item in new}
    return [item.intake_mail if id(item) in claimed else None for item in read]


@dataclass
class _Read:
    intake_mail: IntakeMail
    parsed: ParsedMail | None  # None: unreadable


def _read(mail: RawMail, *, now: datetime) -> _Read:
    parsed = parse_or_unreadable(mail.raw)
    if isinstance(parsed, UnreadableMail):
        intake_mail = IntakeMail(
            message_key=message_key(mail.raw, ""),
            received_at=mail.received_at,
            processed_at=now,
            source=mail.source[:120],
            outcome=Outcome.UNREADABLE,
            detail=str(parsed)[:300],
        )
        return _Read(intake_mail, None)
    intake_mail = IntakeMail(
        message_key=parsed.message_key,
        received_at=mail.received_at,
        processed_at=now,
        source=mail.source[:120],
        sender_name=parsed.sender_name[:200],
        sender_email=parsed.sender_email[:254],
        subject=parsed.subject[:300],
        body_excerpt=parsed.text[:EXCERPT_CHARS],
        outcome=Outcome.IGNORED,
        detail=parsed.ignore_reason[:300],
    )
    return _Read(intake_mail, parsed)


def _submission(intake_mail: IntakeMail, event: Event, *, text: str, actor) -> registrations.Submission:
    data = registrations.RegistrationData(
        name=intake_mail.sender_name or intake_mail.sender_email.split("@")[0],
        email=intake_mail.sender_email,
        seat_type=chosen_seat_type(event, f"{intake_mail.subject}\n{text}"),
        # The press release says that registering is agreeing to the published terms, including
        # appearing in the broadcast; the consent record notes the e-mail channel and the version.
        accept_terms=True,
        broadcast_consent=True,
    )
    return registrations.Submission(data, Channel.EMAIL, intake_mail.received_at, actor)


def _apply(intake_mail: IntakeMail, event: Event, outcome, *, now: datetime) -> list[OutboxMail]:
    """Note the outcome of registering the writer; returns the answer to send, if any (a new
    registration is answered by its own confirmation, waiting-list or pending mail)."""
    intake_mail.event = event
    if isinstance(outcome, registrations.AlreadyRegistered):
        intake_mail.registration = outcome.existing
        _finish(intake_mail, Outcome.ALREADY_REGISTERED, outcome.message)
        return [_reply(intake_mail, event, {"outcome": "already_registered"}, now=now, registration=outcome.existing)]
    if isinstance(outcome, DomainError):
        _finish(intake_mail, Outcome.REFUSED, f"{outcome.code}: {outcome.message}")
        return [_reply(intake_mail, event, {"outcome": "refused", "code": outcome.code}, now=now)]
    intake_mail.registration = outcome
    intake_mail.replied = True
    _finish(intake_mail, Outcome.REGISTERED, outcome.get_status_display())
    return []


def register_from_mail(intake_mail: IntakeMail, event: Event, *, text: str, actor, now: datetime) -> None:
    """Register the writer of a mail for `event`, keeping the time the mail arrived."""
    submission = _submission(intake_mail, event, text=text, actor=actor)
    [outcome] = registrations.register_many(event, [submission], now=now)
    queue_many(_apply(intake_mail, event, outcome, now=now))
    intake_mail.save()


def assign_to_event(intake_mail: IntakeMail, event: Event, *, actor, now: datetime) -> IntakeMail:
    """An organiser decides which event an unmatched mail meant; it keeps its original time."""
    if intake_mail.outcome not in (Outcome.NO_KEYWORD, Outcome.IGNORED):
        raise DomainError("already_assigned", _("This mail has already been handled."), status=409)
    with transaction.atomic():
        intake_mail = IntakeMail.objects.select_for_update().get(pk=intake_mail.pk)
        register_from_mail(intake_mail, event, text=intake_mail.body_excerpt, actor=actor, now=now)
        record_audit(
            "intake.assigned",
            actor=actor,
            now=now,
            event=event,
            target=intake_mail,
            data={"outcome": intake_mail.outcome},
        )
    return intake_mail


def _reply(
    intake_mail: IntakeMail, event: Event | None, facts: dict, *, now: datetime, registration=None
) -> OutboxMail:
    """The answer to the writer, queued through the outbox with the outcome."""
    intake_mail.replied = True
    return new_mail(
        event,
        MailKind.INTAKE_REPLY,
        to=intake_mail.sender_email,
        language=registration.language if registration else "de",
        now=now,
        registration=registration,
        facts=facts,
    )


def _finish(intake_mail: IntakeMail, outcome: str, detail: str) -> None:
    intake_mail.outcome = outcome
    intake_mail.detail = str(detail)[:300]


def last_intake_run() -> datetime | None:
    """When the intake last finished a round: its heartbeat, or the last mail it processed (an
    older intake wrote no heartbeat). `/health` and the organisers' dashboard both ask this."""
    heartbeat = WorkerHeartbeat.objects.filter(worker="intake").values_list("beat_at", flat=True).first()
    last_mail = IntakeMail.objects.aggregate(last=Max("processed_at"))["last"]
    return max((moment for moment in (heartbeat, last_mail) if moment), default=None)
