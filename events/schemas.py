from datetime import datetime
from typing import Literal

from django.urls import reverse
from ninja import Schema
from pydantic import AnyHttpUrl, ConfigDict, EmailStr, Field, model_validator

from events.models import MAX_COMPANIONS, MAX_REGISTRATIONS_PER_ADDRESS

SeatTypeName = Literal["onsite", "online"]
REQUIRED_EVENT_FIELDS = {
    "title",
    "format",
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
    "allocation",
    "status",
    "interpretation_languages",
    "retention_days",
    "max_companions",
    "max_registrations_per_address",
    "reconfirm_answer_hours",
    "offer_valid_hours",
}


class StrictSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    code: str
    detail: str
    field: str | None = Field(default=None, description="The input a refusal is about, where there is one")


class SeatsOut(Schema):
    capacity: int
    confirmed: int
    available: int
    waitlisted: int


class VenueOut(Schema):
    name: str
    address: str
    accessibility_notes: str
    accessibility_notes_en: str


class TermsOut(Schema):
    version: int
    text: str
    broadcast_consent_required: bool
    broadcast_text: str


class EventOut(Schema):
    slug: str
    title: str
    title_de: str
    title_en: str
    description: str
    format: str
    status: str
    starts_at: datetime
    ends_at: datetime
    venue: VenueOut | None
    keyword: str
    registration_email: str
    registration_phone: str
    registration_opens_at: datetime
    registration_closes_at: datetime
    allocation: str
    livestream_url: str
    interpretation_languages: list[str]
    retention_days: int
    max_companions: int
    max_registrations_per_address: int
    seats: dict[str, SeatsOut]
    terms: TermsOut | None
    url: str
    calendar_url: str

    @staticmethod
    def resolve_seats(event):
        return {
            pool.seat_type: {
                "capacity": pool.capacity,
                "confirmed": pool.confirmed,
                "available": pool.available,
                "waitlisted": pool.waitlisted,
            }
            for pool in event.seat_pools.all()
        }

    @staticmethod
    def resolve_terms(event):
        return event.current_terms()

    @staticmethod
    def resolve_url(event, context):
        return context["request"].build_absolute_uri(event.get_absolute_url())

    @staticmethod
    def resolve_calendar_url(event, context):
        return context["request"].build_absolute_uri(reverse("events:ics", args=[event.slug]))


class VenueIn(StrictSchema):
    name: str = Field(min_length=1, max_length=200)
    address: str = Field(min_length=1, max_length=300)
    accessibility_notes: str = ""
    accessibility_notes_en: str = ""


class SeatPlanIn(StrictSchema):
    capacity: int = Field(ge=0, le=100_000)
    reserved: int = Field(default=0, ge=0, le=100_000)


class SeatsIn(StrictSchema):
    onsite: SeatPlanIn | None = None
    online: SeatPlanIn | None = None


class TermsIn(StrictSchema):
    text: str = Field(min_length=1)
    text_en: str = ""
    broadcast_consent_required: bool = False
    broadcast_text: str = ""
    broadcast_text_en: str = ""


class OnlineAccessIn(StrictSchema):
    """Write-only: no answer of the API ever contains access data."""

    join_url: AnyHttpUrl | Literal[""] = ""
    meeting_id: str = Field(default="", max_length=60)
    passcode: str = Field(default="", max_length=60)


class EventPatch(StrictSchema):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    title_en: str | None = Field(default=None, max_length=200)
    description: str | None = None
    description_en: str | None = None
    format: Literal["onsite", "online", "hybrid"] | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    venue: VenueIn | None = None
    keyword: str | None = Field(default=None, max_length=100)
    registration_email: EmailStr | None = None
    registration_phone: str | None = Field(default=None, max_length=40)
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    allocation: Literal["first_come", "at_deadline"] | None = None
    seats: SeatsIn | None = None
    livestream_url: AnyHttpUrl | Literal[""] | None = None
    interpretation_languages: list[str] | None = None
    status: Literal["draft", "published", "cancelled", "postponed"] | None = None
    terms: TermsIn | None = None
    online_access: OnlineAccessIn | None = None
    access_data_hours_before: int | None = Field(default=None, ge=0, le=24 * 60)
    reminder_hours_before: int | None = Field(default=None, ge=1, le=24 * 60)
    retention_days: int | None = Field(default=None, ge=0, le=3650)
    max_companions: int | None = Field(default=None, ge=0, le=MAX_COMPANIONS)
    max_registrations_per_address: int | None = Field(
        default=None,
        ge=0,
        le=MAX_REGISTRATIONS_PER_ADDRESS,
        description="People who may register with one address on the web or by e-mail; 0: no limit.",
    )
    reconfirm_days_before: int | None = Field(default=None, ge=1, le=365)
    reconfirm_answer_hours: int | None = Field(default=None, ge=1, le=24 * 60)
    offer_valid_hours: int | None = Field(default=None, ge=1, le=24 * 30)

    @model_validator(mode="after")
    def refuse_null_for_fields_an_event_cannot_lack(self):
        # None means "leave as it is" for fields left out; an explicit null for a field that every
        # event must have would otherwise reach the database.
        nulled = sorted(name for name in self.model_fields_set & REQUIRED_EVENT_FIELDS if getattr(self, name) is None)
        if nulled:
            raise ValueError(f"{', '.join(nulled)} cannot be null")
        return self


class EventIn(EventPatch):
    title: str = Field(min_length=1, max_length=200)
    format: Literal["onsite", "online", "hybrid"]
    starts_at: datetime
    ends_at: datetime
    seats: SeatsIn


class QuestionIn(StrictSchema):
    kind: Literal["text", "choice", "yes_no"]
    label: str = Field(min_length=1, max_length=300, description="The question in German")
    label_en: str = Field(default="", max_length=300)
    choices: list[str] = Field(default_factory=list, max_length=20, description="German; only for `choice`")
    choices_en: list[str] = Field(default_factory=list, max_length=20, description="Same order, or empty")
    required: bool = False


class QuestionMoveIn(StrictSchema):
    by: Literal[-1, 1] = Field(description="-1: one place up, 1: one place down")


class QuestionOut(Schema):
    id: int
    position: int
    kind: str
    label: str
    label_en: str
    choices: list[str]
    choices_en: list[str]
    required: bool

    @staticmethod
    def resolve_label(question):
        return question.label_de

    @staticmethod
    def resolve_choices(question):
        return question.choice_values

    @staticmethod
    def resolve_choices_en(question):
        return [line.strip() for line in question.choices_en.splitlines() if line.strip()]
