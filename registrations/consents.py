"""The consent records of a registration: written with the registration, withdrawn, never deleted."""

import functools
from datetime import datetime

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy

from events.services import record_audit
from registrations.models import ConsentKind, ConsentRecord, Registration
from registrations.submissions import STAFF_CHANNELS, Submission, broadcast_consent_asked

FEEDBACK_CONSENT_LABEL = gettext_lazy("I agree to receive a feedback request after the event.")
# The broadcast consent is asked, never required (docs/privacy.md): who says no still has a seat.
BROADCAST_CONSENT_LABEL = gettext_lazy("I agree to appear in the broadcast of the event.")
BROADCAST_CONSENT_HINT = gettext_lazy(
    "If you do not agree, you keep your seat: you sit in a part of the room the camera does not show, "
    "and the staff at the entrance show you where."
)


def records_for(registration: Registration, terms, submission: Submission, *, now: datetime) -> list[ConsentRecord]:
    """The consent records of a new registration: the terms, appearing in the broadcast, and a
    feedback request after the event; written with the registrations' other rows, no statement more."""
    if terms is None:
        return []
    language = registration.language
    texts = {ConsentKind.TERMS: terms.text_de if language == "de" else (terms.text_en or terms.text_de)}
    if broadcast_consent_asked(registration.event, registration.seat_type) and submission.data.broadcast_consent:
        texts[ConsentKind.BROADCAST] = (
            terms.broadcast_text_de if language == "de" else (terms.broadcast_text_en or terms.broadcast_text_de)
        )
    if submission.data.feedback_consent:
        texts[ConsentKind.FEEDBACK] = feedback_consent_text(language)
    recorded_by = submission.actor if submission.channel in STAFF_CHANNELS else None
    return [
        ConsentRecord(
            registration=registration,
            kind=kind,
            terms=terms,
            terms_version=terms.version,
            text=text,
            channel=submission.channel,
            given_at=now,
            recorded_by=recorded_by,
        )
        for kind, text in texts.items()
    ]


@functools.lru_cache(maxsize=4)
def feedback_consent_text(language: str) -> str:
    """The words of the feedback consent, as the person read them, for the consent record."""
    with translation.override(language):
        return str(FEEDBACK_CONSENT_LABEL)


def withdraw_consent(consent: ConsentRecord, *, now: datetime) -> ConsentRecord:
    """Withdrawn consents are recorded, never deleted; staff at the door see the withdrawal."""
    if consent.withdrawn_at is not None:
        return consent
    with transaction.atomic():
        ConsentRecord.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(withdrawn_at=now)
        consent.withdrawn_at = now
        registration = consent.registration
        record_audit(
            "consent.withdrawn",
            actor=None,
            label=registration.name,
            now=now,
            event=registration.event,
            target=registration,
            data={"kind": consent.kind, "version": consent.terms_version},
        )
    return consent
