"""Turning mails of the registration inbox into registrations, exactly once each."""

import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from events.errors import DomainError
from events.models import Event
from events.services import record_audit
from registrations import services as registrations
from registrations.intake.matching import candidate_events, chosen_seat_type, find_event, is_open
from registrations.intake.models import IntakeMail, Outcome
from registrations.intake.parsing import ParsedMail, UnreadableMail, message_key, parse_mail
from registrations.models import Channel, MailKind
from registrations.outbox.queue import new_mail, queue

logger = logging.getLogger(__name__)
EXCERPT_CHARS = 2000


def process_raw_mail(
    raw: bytes, *, received_at: datetime, source: str, now: datetime, events: list[Event] | None = None
) -> IntakeMail | None:
    """Process one mail. Returns None when this mail was processed before (by an earlier or a
    parallel run): the unique `message_key` decides, inside the transaction that registers.

    `events` are the candidate events (see `candidate_events`), passed in by batch callers
    so that a batch looks them up once."""
    try:
        parsed = parse_mail(raw)
    except UnreadableMail as error:
        return _record_unreadable(raw, str(error), received_at=received_at, source=source, now=now)
    try:
        with transaction.atomic():
            if IntakeMail.objects.filter(message_key=parsed.message_key).exists():
                return None
            intake_mail = IntakeMail.objects.create(
                message_key=parsed.message_key,
                received_at=received_at,
                processed_at=now,
                source=source[:120],
                sender_name=parsed.sender_name[:200],
                sender_email=parsed.sender_email[:254],
                subject=parsed.subject[:300],
                body_excerpt=parsed.text[:EXCERPT_CHARS],
                outcome=Outcome.IGNORED,
            )
            _decide(intake_mail, parsed, now=now, events=events)
            return intake_mail
    except IntegrityError:
        # A parallel intake inserted the same message_key first and has committed it.
        return None


def _decide(intake_mail: IntakeMail, parsed: ParsedMail, *, now: datetime, events: list[Event] | None) -> None:
    if parsed.ignore_reason:
        _finish(intake_mail, Outcome.IGNORED, parsed.ignore_reason)
        return
    if events is None:
        events = candidate_events(intake_mail.received_at)
    event = find_event(parsed.searchable_lines, events, at=intake_mail.received_at)
    if event is None:
        _finish(intake_mail, Outcome.NO_KEYWORD, _("No keyword of an open event found."))
        open_events = [
            {"title": e.title, "keyword": e.keyword, "starts_at": e.starts_at.isoformat()}
            for e in events
            if is_open(e, now)
        ]
        _reply(intake_mail, None, {"outcome": "no_keyword", "open_events": open_events}, now=now)
        return
    register_from_mail(intake_mail, event, text=parsed.text, actor=None, now=now)


def register_from_mail(intake_mail: IntakeMail, event: Event, *, text: str, actor, now: datetime) -> None:
    """Register the writer of a mail for `event`, keeping the time the mail arrived."""
    intake_mail.event = event
    data = registrations.RegistrationData(
        name=intake_mail.sender_name or intake_mail.sender_email.split("@")[0],
        email=intake_mail.sender_email,
        seat_type=chosen_seat_type(event, f"{intake_mail.subject}\n{text}"),
        # The press release says that registering is agreeing to the published terms, including
        # appearing in the broadcast; the consent record notes the e-mail channel and the version.
        accept_terms=True,
        broadcast_consent=True,
    )
    try:
        with transaction.atomic():
            registration = registrations.register(
                event, data, channel=Channel.EMAIL, received_at=intake_mail.received_at, now=now, actor=actor
            )
    except registrations.AlreadyRegistered as refusal:
        intake_mail.registration = refusal.existing
        _finish(intake_mail, Outcome.ALREADY_REGISTERED, refusal.message)
        _reply(intake_mail, event, {"outcome": "already_registered"}, now=now, registration=refusal.existing)
    except DomainError as refusal:
        _finish(intake_mail, Outcome.REFUSED, f"{refusal.code}: {refusal.message}")
        _reply(intake_mail, event, {"outcome": "refused", "code": refusal.code}, now=now)
    else:
        # The confirmation (or waiting-list, or pending) mail that register() queued is the answer.
        intake_mail.registration = registration
        intake_mail.replied = True
        _finish(intake_mail, Outcome.REGISTERED, registration.get_status_display())


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


def _reply(intake_mail: IntakeMail, event: Event | None, facts: dict, *, now: datetime, registration=None) -> None:
    """Answer the writer through the outbox, in the same transaction as the outcome."""
    queue(
        new_mail(
            event,
            MailKind.INTAKE_REPLY,
            to=intake_mail.sender_email,
            language=registration.language if registration else "de",
            now=now,
            registration=registration,
            facts=facts,
        )
    )
    intake_mail.replied = True
    intake_mail.save(update_fields=["replied"])


def _finish(intake_mail: IntakeMail, outcome: str, detail: str) -> None:
    intake_mail.outcome = outcome
    intake_mail.detail = str(detail)[:300]
    intake_mail.save()


def _record_unreadable(raw: bytes, reason: str, *, received_at, source, now) -> IntakeMail | None:
    key = message_key(raw, "")
    try:
        with transaction.atomic():
            intake_mail, created = IntakeMail.objects.get_or_create(
                message_key=key,
                defaults={
                    "received_at": received_at,
                    "processed_at": now,
                    "source": source[:120],
                    "outcome": Outcome.UNREADABLE,
                    "detail": reason[:300],
                },
            )
    except IntegrityError:
        return None
    logger.warning("intake: unreadable mail %s (%s)", source, reason)
    return intake_mail if created else None
