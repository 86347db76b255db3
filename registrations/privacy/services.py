"""Erasing personal data, and telling a citizen what we hold about their address.

Erased rows are kept with their fields blanked and `personal_data_erased_at` set: a registration
keeps its event, seat type, channel, status and times, a mail its kind and state, so every count
and chart still adds up. What goes (see docs/privacy.md):

- registrations: name, e-mail, phone, needs, personal join link, ticket; every old link stops working;
  their answers to the event's questions and their structured needs are deleted;
- consent records: at the registration's erasure only a keyed hash of the address stays with the
  text as evidence; after CONSENT_EVIDENCE_DAYS text and hash go too;
- intake mails: sender, subject, text, detail; the Message-ID is kept only as a hash;
- outbox mails: recipient, the rendered mail, facts and the last error;
- audit entries about the registrations: the citizen's name as actor, free-text data;
- the layers above erase their own data through the signals below (ideas: submitter addresses).
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.dispatch import Signal
from django.utils import translation
from django.utils.crypto import salted_hmac

from core.addresses import clean_address, normalize_email
from events.models import AuditEntry, Event
from events.services import record_audit
from registrations import services
from registrations.intake.models import IntakeMail
from registrations.models import (
    AccessibilityNeeds,
    Answer,
    ConsentRecord,
    DataAccessRequest,
    EmailChange,
    MailKind,
    MailState,
    OutboxMail,
    Registration,
    TeamInvitation,
)
from registrations.outbox.delivery import RenderingFailed, render_and_store
from registrations.outbox.queue import new_mail, queue

# Sent with `event`, `now` and `dry_run` when the personal data of an event's registrants is due;
# receivers erase their own data of that event (unless dry_run) and return {what: count}.
event_data_expired = Signal()
# Sent with `address` (normalized); receivers return {section: [plain dicts]} for the export.
address_data_requested = Signal()
# Sent with `address` and `now` inside the erasure's transaction; receivers return {what: count}.
address_erasure_requested = Signal()

EVIDENCE_SALT = "stadtdialog.registrations.consent_evidence"
# Audit data that says what happened without saying who or in whose words.
NEUTRAL_AUDIT_KEYS = {
    "channel",
    "status",
    "seat",
    "previous_status",
    "kind",
    "version",
    "outcome",
    "via",
    # switches of seat type and parties (registrations/changes.py): seat types, counts, field names
    "companions",
    "from",
    "to",
    "position",
    "seats",
    "fields",
}
CITIZEN_LABEL = "citizen"
# Invitations into a team, accepted or not, are kept a month past their expiry for questions.
INVITATIONS_KEPT_AFTER_EXPIRY = timedelta(days=30)


@dataclass
class PurgeReport:
    """What one purge erased (or, in a dry run, would erase): counts only, never personal data."""

    event: Event | None
    counts: Counter = field(default_factory=Counter)

    @property
    def label(self) -> str:
        return self.event.slug if self.event else "(no event)"


def evidence_digest(address: str) -> str:
    return salted_hmac(EVIDENCE_SALT, normalize_email(address), algorithm="sha256").hexdigest()


def evidence_ends_at(event: Event) -> datetime:
    """Consent records are evidence at least as long as the registrations themselves exist."""
    return event.ends_at + timedelta(days=max(event.retention_days, settings.CONSENT_EVIDENCE_DAYS))


def purge_expired(*, now: datetime, dry_run: bool = False) -> list[PurgeReport]:
    """Erase everything whose time has come. Safe to run again and again: what is erased is not
    counted twice, and a run that finds nothing changes nothing."""
    reports = []
    for event in Event.objects.filter(ends_at__lt=now).order_by("ends_at", "pk"):
        if event.retention_ends_at() <= now:
            report = purge_event(event, now=now, dry_run=dry_run)
            if report.counts:
                reports.append(report)
    unassigned = purge_unassigned(now=now, dry_run=dry_run)
    if unassigned.counts:
        reports.append(unassigned)
    return reports


def purge_event(event: Event, *, now: datetime, dry_run: bool = False) -> PurgeReport:
    registrations = Registration.objects.filter(event=event, personal_data_erased_at__isnull=True)
    intake = IntakeMail.objects.filter(Q(event=event) | Q(registration__event=event))
    outbox = OutboxMail.objects.filter(event=event)
    consents = ConsentRecord.objects.none()
    if evidence_ends_at(event) <= now:
        consents = ConsentRecord.objects.filter(registration__event=event)
    report = PurgeReport(event)
    with transaction.atomic():
        report.counts.update(
            erase(registrations, intake=intake, outbox=outbox, consents=consents, now=now, dry_run=dry_run)
        )
        report.counts["team_invitations"] = erase_invitations(
            TeamInvitation.objects.filter(event=event), dry_run=dry_run
        )
        for _receiver, counts in event_data_expired.send(sender=Event, event=event, now=now, dry_run=dry_run):
            report.counts.update(counts or {})
        report.counts = +report.counts
        if report.counts and not dry_run:
            record_audit(
                "privacy.purged",
                actor=None,
                label="system",
                now=now,
                event=event,
                target=event,
                data=dict(report.counts),
            )
    return report


def purge_unassigned(*, now: datetime, dry_run: bool = False) -> PurgeReport:
    """Mails of no event, erasure leftovers (mails that were still to go out when their
    registration was erased) and expired data access requests."""
    before = now - timedelta(days=settings.UNASSIGNED_MAIL_RETENTION_DAYS)
    finished = [MailState.SENT, MailState.FAILED]
    outbox = OutboxMail.objects.filter(
        Q(event__isnull=True, created_at__lt=before)
        | Q(registration__personal_data_erased_at__isnull=False, state__in=finished)
    )
    report = PurgeReport(None)
    with transaction.atomic():
        report.counts.update(
            erase(
                Registration.objects.none(),
                intake=IntakeMail.objects.filter(event__isnull=True, received_at__lt=before),
                outbox=outbox,
                now=now,
                dry_run=dry_run,
            )
        )
        expired = DataAccessRequest.objects.filter(
            requested_at__lt=now - timedelta(days=settings.DATA_ACCESS_LINK_DAYS)
        )
        report.counts["data_access_requests"] = expired.count() if dry_run else expired.delete()[0]
        report.counts["team_invitations"] = erase_invitations(
            TeamInvitation.objects.filter(expires_at__lt=now - INVITATIONS_KEPT_AFTER_EXPIRY), dry_run=dry_run
        )
        report.counts = +report.counts
    return report


def erase(
    registrations: QuerySet,
    *,
    intake: QuerySet,
    outbox: QuerySet,
    consents: QuerySet | None = None,
    now: datetime,
    dry_run: bool = False,
) -> Counter:
    """Blank the personal fields of these rows (those not blanked yet). Call inside a transaction."""
    # Read every set before the first update: the filters may follow the registrations' addresses.
    ids = list(registrations.values_list("pk", flat=True))
    intake_ids = list(intake.filter(personal_data_erased_at__isnull=True).values_list("pk", flat=True))
    outbox_ids = list(outbox.filter(personal_data_erased_at__isnull=True).values_list("pk", flat=True))
    consents = (consents if consents is not None else ConsentRecord.objects.none()).filter(
        evidence_erased_at__isnull=True
    )
    consent_ids = list(consents.values_list("pk", flat=True))
    answers = Answer.objects.filter(registration_id__in=ids)
    needs = AccessibilityNeeds.objects.filter(registration_id__in=ids)
    email_changes = EmailChange.objects.filter(registration_id__in=ids)
    if dry_run:
        return Counter(
            registrations=len(ids),
            intake_mails=len(intake_ids),
            outbox_mails=len(outbox_ids),
            consent_records=len(consent_ids),
            answers=answers.count(),
            accessibility_needs=needs.count(),
            email_changes=email_changes.count(),
        )
    for registration_id, address in Registration.objects.filter(pk__in=ids).values_list("pk", "email_normalized"):
        ConsentRecord.objects.filter(registration_id=registration_id, subject_digest="").update(
            subject_digest=evidence_digest(address) if address else ""
        )
    outbox = OutboxMail.objects.filter(pk__in=outbox_ids)
    outbox.filter(state__in=[MailState.QUEUED, MailState.SENDING]).update(state=MailState.FAILED)
    erased = Counter(
        registrations=Registration.objects.filter(pk__in=ids).update(
            name="",
            name_normalized="",
            email="",
            email_normalized="",
            phone="",
            needs="",
            personal_join_url="",
            ticket_secret=None,
            ticket_code="",
            manage_link_version=F("manage_link_version") + 1,
            personal_data_erased_at=now,
        ),
        intake_mails=erase_intake_mails(intake_ids, now=now),
        outbox_mails=outbox.update(
            to="", rendered=None, facts={}, last_error="", claim_token=None, personal_data_erased_at=now
        ),
        consent_records=ConsentRecord.objects.filter(pk__in=consent_ids).update(
            text="", subject_digest="", evidence_erased_at=now
        ),
        answers=answers.delete()[0],
        accessibility_needs=needs.delete()[0],
        email_changes=email_changes.delete()[0],
    )
    erase_audit_entries(ids)
    return erased


def erase_intake_mails(ids: list[int], *, now: datetime) -> int:
    """The Message-ID may carry the sender's address; its hash still tells the mail apart."""
    for pk, key in IntakeMail.objects.filter(pk__in=ids).values_list("pk", "message_key"):
        hashed = "erased:" + hashlib.sha256(key.encode()).hexdigest()
        IntakeMail.objects.filter(pk=pk).update(message_key=hashed)
    return IntakeMail.objects.filter(pk__in=ids).update(
        sender_name="", sender_email="", subject="", body_excerpt="", detail="", personal_data_erased_at=now
    )


def erase_audit_entries(registration_ids: list[int]) -> None:
    """Entries about these registrations keep who of the staff did what; a citizen acting on their
    own registration becomes "citizen", and free text (a reason) goes."""
    entries = AuditEntry.objects.filter(target_type="registration", target_id__in=registration_ids)
    entries.filter(actor__isnull=True).exclude(actor_label="system").update(actor_label=CITIZEN_LABEL)
    for entry in entries.only("pk", "data"):
        neutral = {key: value for key, value in (entry.data or {}).items() if key in NEUTRAL_AUDIT_KEYS}
        if neutral != entry.data:
            AuditEntry.objects.filter(pk=entry.pk).update(data=neutral)


def erase_invitations(invitations, *, dry_run: bool = False) -> int:
    """Invitations hold a staff member's address, in their row and in the audit line of the
    invitation; both go, the audit line stays without the address."""
    ids = list(invitations.values_list("pk", flat=True))
    if dry_run or not ids:
        return len(ids)
    for entry in AuditEntry.objects.filter(target_type="teaminvitation", target_id__in=ids):
        AuditEntry.objects.filter(pk=entry.pk).update(
            data={key: value for key, value in entry.data.items() if key != "email"}
        )
    return TeamInvitation.objects.filter(pk__in=ids).delete()[0]


def data_held(address: str) -> dict:
    """Everything held about one address, as plain data for the page and the JSON download."""
    address = normalize_email(address)
    registrations = (
        Registration.objects.filter(email_normalized=address)
        .select_related("event", "accessibility")
        .prefetch_related("consents", "answers__question")
        .order_by("received_at", "pk")
    )
    data = {
        "email": address,
        "registrations": [registration_data(registration) for registration in registrations],
        "intake_mails": [
            {
                "received_at": mail.received_at.isoformat(),
                "sender_name": mail.sender_name,
                "sender_email": mail.sender_email,
                "subject": mail.subject,
                "text": mail.body_excerpt,
                "outcome": mail.outcome,
                "event": mail.event.title_de if mail.event else "",
            }
            for mail in IntakeMail.objects.filter(sender_email__iexact=address).select_related("event")
        ],
        "sent_mails": [
            {
                "queued_at": mail.created_at.isoformat(),
                "sent_at": mail.sent_at.isoformat() if mail.sent_at else None,
                "kind": mail.kind,
                "subject": mail.subject,
                "state": mail.state,
                "event": mail.event.title_de if mail.event else "",
            }
            for mail in OutboxMail.objects.filter(to__iexact=address).select_related("event").order_by("created_at")
        ],
    }
    data["team_invitations"] = [
        {
            "event": invitation.event.title_de,
            "role": invitation.role,
            "invited_at": invitation.created_at.isoformat(),
            "expires_at": invitation.expires_at.isoformat(),
            "accepted_at": invitation.accepted_at.isoformat() if invitation.accepted_at else None,
            "withdrawn_at": invitation.withdrawn_at.isoformat() if invitation.withdrawn_at else None,
        }
        for invitation in TeamInvitation.objects.filter(email=address).select_related("event").order_by("created_at")
    ]
    for _receiver, sections in address_data_requested.send(sender=Registration, address=address):
        data.update(sections or {})
    return data


def registration_data(registration: Registration) -> dict:
    event = registration.event
    return {
        "event": event.title_de,
        "event_starts_at": event.starts_at.isoformat(),
        "name": registration.name,
        "email": registration.email,
        "phone": registration.phone,
        "language": registration.language,
        "needs": registration.needs,
        "seat_type": registration.seat_type,
        "companions": registration.companions,
        "channel": registration.channel,
        "status": registration.status,
        "received_at": registration.received_at.isoformat(),
        "checked_in_at": registration.checked_in_at.isoformat() if registration.checked_in_at else None,
        "answers": [
            {"question": answer.question.label_de, "answer": answer.value}
            for answer in sorted(registration.answers.all(), key=lambda a: (a.question.position, a.question_id))
        ],
        "accessibility": accessibility_data(registration),
        **{
            moment: getattr(registration, moment).isoformat() if getattr(registration, moment) else None
            for moment in ("reconfirm_asked_at", "reconfirmed_at", "offer_expires_at")
        },
        "consents": [
            {
                "kind": consent.kind,
                "version": consent.terms_version,
                "text": consent.text,
                "channel": consent.channel,
                "given_at": consent.given_at.isoformat(),
                "withdrawn_at": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
            }
            for consent in registration.consents.all()
        ],
    }


def accessibility_data(registration: Registration) -> dict | None:
    try:
        needs = registration.accessibility
    except AccessibilityNeeds.DoesNotExist:
        return None
    return {
        "wheelchair": needs.wheelchair,
        "sign_language": needs.sign_language,
        "hearing_loop": needs.hearing_loop,
        "children": needs.children,
        "children_ages": needs.children_ages,
        "dietary": needs.dietary,
    }


def request_data_access(address: str, *, now: datetime) -> DataAccessRequest | None:
    """Send the link to everything held about `address` to that address, whatever we hold: the
    page that asks answers the same for every address, so nobody learns who registered. An
    address that is not one (or outgrows its column when normalised) is refused with a
    DomainError, as the form does."""
    if not address.strip():
        return None
    address = clean_address(address)
    with transaction.atomic():
        request = DataAccessRequest.objects.create(email_normalized=normalize_email(address), requested_at=now)
        queue(
            new_mail(
                None,
                MailKind.DATA_ACCESS,
                to=address,
                language=mail_language(),
                now=now,
                facts={"request": str(request.public_id)},
            )
        )
    return request


def erase_address(request: DataAccessRequest, *, now: datetime) -> Counter:
    """A citizen's erasure: registrations for events not yet over are cancelled first (the seat
    goes to the next on the waiting list, everyone gets the usual mails), then everything held
    about the address is erased. The cancellation mails are rendered now, go out, and are erased
    after they went (`purge_unassigned`)."""
    address = request.email_normalized
    upcoming = Registration.objects.active().filter(email_normalized=address, event__ends_at__gt=now)
    cancelled = 0
    for registration in upcoming.select_related("event"):
        services.cancel(registration, actor=None, now=now, reason="erasure request")
        cancelled += 1
    with transaction.atomic():
        to_address = Q(to__iexact=address) | Q(registration__email_normalized=address)
        # Only the cancellations just queued still go out; older mails still waiting are erased.
        waiting = OutboxMail.objects.filter(
            to_address, state=MailState.QUEUED, created_at__gte=now, personal_data_erased_at__isnull=True
        )
        waiting_ids = list(waiting.values_list("pk", flat=True))
        for mail in waiting.filter(rendered__isnull=True).select_related("event", "registration"):
            try:
                render_and_store(mail)
            except RenderingFailed:
                OutboxMail.objects.filter(pk=mail.pk).update(state=MailState.FAILED)
        from_address = Q(sender_email__iexact=address) | Q(registration__email_normalized=address)
        counts = erase(
            Registration.objects.filter(email_normalized=address, personal_data_erased_at__isnull=True),
            intake=IntakeMail.objects.filter(from_address),
            outbox=OutboxMail.objects.filter(to_address).exclude(pk__in=waiting_ids),
            consents=None,
            now=now,
        )
        for _receiver, erased in address_erasure_requested.send(sender=Registration, address=address, now=now):
            counts.update(erased or {})
        counts["team_invitations"] = erase_invitations(TeamInvitation.objects.filter(email=address))
        counts["cancelled"] = cancelled
        counts = +counts
        DataAccessRequest.objects.filter(email_normalized=address).delete()
        record_audit("privacy.address_erased", actor=None, label=CITIZEN_LABEL, now=now, data=dict(counts))
    return counts


def mail_language() -> str:
    return "en" if translation.get_language() == "en" else "de"
