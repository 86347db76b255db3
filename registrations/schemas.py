from datetime import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, StrictBool, StrictStr

from core.addresses import validate_address


def _email_address(value: str) -> str:
    """An address as the registration service checks it (`core.addresses`, Django's validator on
    the address as typed and as normalised): one rule for what an e-mail address is, and a sixth
    of the time of pydantic's EmailStr. Spaces around it do not count."""
    value = value.strip()
    if value:
        try:
            validate_address(value)
        except ValidationError as error:
            raise ValueError(error.messages[0]) from None
    return value


EmailAddress = Annotated[str, Field(max_length=254), AfterValidator(_email_address)]


class NeedsIn(Schema):
    """Structured accessibility needs; the free text goes in `needs`."""

    model_config = ConfigDict(extra="forbid")

    wheelchair: bool = False
    sign_language: bool = Field(default=False, description="Sign-language interpretation (DGS)")
    hearing_loop: bool = Field(default=False, description="A hearing (induction) loop")
    children: int = Field(default=0, ge=0, le=20, description="Children for the childcare")
    children_ages: str = Field(default="", max_length=100)
    dietary: str = Field(default="", max_length=300, description="Dietary requirements")


class NeedsOut(Schema):
    wheelchair: bool
    sign_language: bool
    hearing_loop: bool
    children: int
    children_ages: str
    dietary: str


class RegistrationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    email: EmailAddress = ""
    seat: Literal["onsite", "online"]
    accept_terms: bool = False
    broadcast_consent: bool = False
    feedback_consent: bool = False
    language: Literal["de", "en"] = "de"
    needs: str = Field(default="", max_length=2000)
    # Checked against the event's `max_companions` by the service (code `too_many_companions`).
    companions: int = 0
    channel: Literal["web", "phone"] = "web"
    phone: str = Field(default="", max_length=40)
    received_at: datetime | None = None
    answers: dict[str, StrictStr | StrictBool] = Field(
        default_factory=dict,
        description="Answers by question id (GET /events/{slug}/questions): a text, a choice (German or English "
        "text) or true/false for yes/no.",
    )
    accessibility: NeedsIn | None = None


class ReceivedOut(Schema):
    """A citizen's registration was received: what came of it (a seat, the waiting list, or that
    the person was registered already) goes by mail to the address, with the personal link."""

    detail: str


class RegistrationOut(Schema):
    id: int
    status: str
    seat: str
    companions: int
    waitlist_position: int | None
    manage_url: str
    answers: dict[str, str] = Field(description='By question id: the text, the German choice, or "yes"/"no".')
    accessibility: NeedsOut


class SwitchIn(Schema):
    """An organiser switches a registration (with its companions) to the other seat type."""

    model_config = ConfigDict(extra="forbid")

    seat: Literal["onsite", "online"]
    join_waiting_list: bool = Field(
        default=False, description="Without it a full seat type is refused with `seat_type_full` and nothing changes"
    )
    broadcast_consent: bool = False


class DetailsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    needs: str | None = Field(default=None, max_length=2000)
    language: Literal["de", "en"] | None = None
    companions: int | None = Field(default=None, description="Checked against the event's `max_companions`")
    join_waiting_list: bool = Field(
        default=False,
        description="More companions without free seats: the party moves to the end of the waiting list; "
        "without it they are refused with `not_enough_seats` and nothing changes",
    )


class RegistrationListItem(Schema):
    id: int
    name: str
    email: str
    phone: str
    status: str
    seat: str
    channel: str
    language: str
    companions: int
    received_at: datetime
    waitlist_position: int | None

    @staticmethod
    def resolve_seat(registration):
        return registration.seat_type


class AllocationOut(Schema):
    seats: dict[str, dict[str, int]]


class CheckInIn(Schema):
    model_config = ConfigDict(extra="forbid")

    ticket: str = Field(min_length=1, max_length=64, description="The scanned secret or the typed short code")


class WalkInIn(Schema):
    """A walk-in at the door, for a seat on site (docs/checkin.md)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    email: EmailAddress = ""
    phone: str = Field(default="", max_length=40)
    language: Literal["de", "en"] = "de"
    needs: str = Field(default="", max_length=2000)
    accept_terms: bool = False
    broadcast_consent: bool = False


class WalkInOut(Schema):
    id: int
    status: Literal["confirmed", "waitlisted"]
    door_queue_position: int | None = Field(description="Place in the door queue when the room is full")
    checked_in_at: datetime | None
    ticket_code: str


class CheckOutOut(Schema):
    name: str
    people: int = Field(description="Seats given back: the holder and the companions")
    checked_out_at: datetime

    @staticmethod
    def resolve_people(registration):
        return registration.seats


class CheckInOut(Schema):
    name: str
    seat: str
    companions: int = Field(description="People admitted with this ticket besides its holder")
    checked_in_at: datetime
    broadcast_consent: Literal["given", "withdrawn", "none"]

    @staticmethod
    def resolve_seat(registration):
        return registration.seat_type

    @staticmethod
    def resolve_broadcast_consent(registration):
        consent = registration.broadcast_consent
        if consent is None:
            return "none"
        return "withdrawn" if consent.withdrawn_at else "given"
