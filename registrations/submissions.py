"""What a person asks for (`RegistrationData`, a `Submission`), and the refusals that need no lock."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from core.addresses import clean_address
from core.errors import DomainError
from events.models import Event, EventStatus, SeatType
from registrations import answers as details
from registrations import early_access
from registrations.models import Channel, EarlyAccess
from registrations.names import clean_name

# Channels where a staff member types the registration in (and takes down the consents).
STAFF_CHANNELS = {Channel.PHONE, Channel.DOOR}


@dataclass(frozen=True)
class RegistrationData:
    name: str
    seat_type: str
    email: str = ""
    phone: str = ""
    language: str = "de"
    needs: str = ""
    accept_terms: bool = False
    broadcast_consent: bool = False
    feedback_consent: bool = False
    companions: int = 0
    # Answers to the event's questions (question id → text, choice or bool) and structured
    # needs: registrations/answers.py checks and writes them.
    answers: Mapping = field(default_factory=dict)
    accessibility: details.NeedsData | None = None
    # The personal link the person came with to register before registration opens to all
    # (registrations/early_access.py), or empty.
    early_access: str = ""


@dataclass(frozen=True)
class Submission:
    """One request for a seat: what the person gave, and how and when it reached the city."""

    data: RegistrationData
    channel: str
    # None: received now, by the database's clock, stamped when its batch is registered
    # (`services.register_many`); see "Order of receipt" in docs/allocation.md.
    received_at: datetime | None
    actor: object = None  # the staff member who took the call or assigned the mail


def opens_at(event: Event, head_start: EarlyAccess | None = None) -> datetime:
    """When registration opens: for everyone, or earlier for the holder of a link to a head start
    of this event (registrations/early_access.py)."""
    if head_start is not None and head_start.event_id == event.pk:
        return min(head_start.opens_at, event.registration_opens_at)
    return event.registration_opens_at


def registration_is_open(event: Event, at: datetime, head_start: EarlyAccess | None = None) -> bool:
    """THE registration window, as the event page's form and the e-mail intake ask it; a
    registration itself is checked against the same times by `check_registration`."""
    return event.status == EventStatus.PUBLISHED and opens_at(event, head_start) <= at <= event.registration_closes_at


def check_registration(event: Event, data: RegistrationData, *, channel: str, received_at: datetime, now: datetime):
    """Refusals that need no lock. Raises DomainError with a stable code."""
    if event.status != EventStatus.PUBLISHED:
        raise DomainError("event_not_bookable", _("This event does not take registrations."), status=409)
    if channel == Channel.PHONE and received_at > now:
        raise DomainError("received_in_future", _("The time of the call cannot be in the future."), field="received_at")
    # Walk-ins come at the event, after registration has closed: their window is the door's.
    if channel != Channel.DOOR:
        head_start = None
        if data.early_access and received_at < event.registration_opens_at:
            head_start = early_access.head_start_for(event, data.early_access, data.email)
        if received_at < opens_at(event, head_start):
            raise DomainError("registration_not_open", _("Registration has not opened yet."), status=409)
        if received_at > event.registration_closes_at:
            raise DomainError("registration_closed", _("Registration for this event has closed."), status=409)
    if data.seat_type not in event.seat_types:
        raise DomainError(
            "seat_type_not_offered", _("This event offers no seats of this kind."), status=422, field="seat"
        )
    check_companions(event, data.companions)
    if not clean_name(data.name):
        raise DomainError("name_required", _("Please enter a name."), status=422, field="name")
    if channel not in STAFF_CHANNELS and not data.email.strip():
        raise DomainError("email_required", _("Please enter an e-mail address."), status=422, field="email")
    if channel == Channel.PHONE and not (data.email.strip() or data.phone.strip()):
        raise DomainError(
            "contact_required",
            _("A phone registration needs a phone number or an e-mail address."),
            status=422,
            field="phone",
        )
    if data.email.strip():
        clean_address(data.email)
    terms = event.current_terms()
    if terms is not None and not data.accept_terms:
        raise DomainError(
            "consent_required", _("Please agree to the terms of participation."), status=422, field="accept_terms"
        )
    details.check_details(event, data.answers, data.accessibility, channel=channel)


def check_companions(event: Event, companions: int) -> None:
    if not 0 <= companions <= event.max_companions:
        raise DomainError(
            "too_many_companions",
            _("You can bring between 0 and %(most)s companions.") % {"most": event.max_companions},
            status=422,
            field="companions",
        )


def broadcast_consent_asked(event: Event, seat_type: str) -> bool:
    """On-site people at a filmed event are asked whether they may appear in the broadcast. The
    answer is theirs to give: a seat never depends on it (GDPR Art. 7(4)), and who says no sits
    outside the camera's view (docs/privacy.md, "Broadcast consent")."""
    terms = event.current_terms()
    return bool(terms and terms.broadcast_consent_required and seat_type == SeatType.ONSITE)
