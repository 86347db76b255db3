from datetime import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field


def _email_address(value: str) -> str:
    """An address as the registration service checks it (Django's validator): one rule for what
    an e-mail address is, and a sixth of the time of pydantic's EmailStr. Spaces around it do
    not count."""
    value = value.strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise ValueError("value is not a valid email address") from None
    return value


EmailAddress = Annotated[str, Field(max_length=254), AfterValidator(_email_address)]


class RegistrationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    email: EmailAddress = ""
    seat: Literal["onsite", "online"]
    accept_terms: bool = False
    broadcast_consent: bool = False
    language: Literal["de", "en"] = "de"
    needs: str = Field(default="", max_length=2000)
    channel: Literal["web", "phone"] = "web"
    phone: str = Field(default="", max_length=40)
    received_at: datetime | None = None


class RegistrationOut(Schema):
    id: int
    status: str
    seat: str
    waitlist_position: int | None
    manage_url: str


class RegistrationListItem(Schema):
    id: int
    name: str
    email: str
    phone: str
    status: str
    seat: str
    channel: str
    language: str
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


class CheckInOut(Schema):
    name: str
    seat: str
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
