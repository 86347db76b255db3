"""The shapes of the ideas API. Other tools rely on them: add fields, never rename or drop one.

Lengths and required texts are checked by the services (stable error codes such as
`title_required`), so the input schemas only fix the types."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from events.schemas import StrictSchema
from ideas.models import BacklogItem, Idea

# The range of a database ID, so that a number no row can have is refused as invalid input.
IdeaId = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]


class GroupIn(StrictSchema):
    name: str
    topic: str = ""
    kind: Literal["room", "table"] = "room"
    moderator_name: str = ""


class GroupCreatedOut(Schema):
    id: int
    name: str
    topic: str
    kind: str
    capture_url: str
    moderator_token: str
    table_url: str


class IdeaIn(StrictSchema):
    title: str
    text: str = ""
    theme: str = ""
    for_plenum: bool = False
    client_id: str | None = None
    email: str = ""
    updates_consent: bool = False
    language: Literal["de", "en"] = "de"


class IdeaPatch(StrictSchema):
    title: str | None = None
    text: str | None = None
    theme: str | None = None
    for_plenum: bool | None = None


class IdeaOut(Schema):
    id: int
    group_id: int | None
    event: str
    title: str
    text: str
    theme: str
    for_plenum: bool
    stage: str
    merged_into_id: int | None
    working_group: str | None
    client_id: str | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_event(idea: Idea) -> str:
        return idea.event.slug

    @staticmethod
    def resolve_stage(idea: Idea) -> str:
        return idea.stage.value

    @staticmethod
    def resolve_working_group(idea: Idea) -> str | None:
        current = idea.current
        return current.working_group.slug if current.working_group_id else None


class SortIn(StrictSchema):
    working_group: str | None


class OriginOut(Schema):
    idea_id: int
    event: str
    event_title: str
    group_id: int | None
    group: str
    via: str


class OriginatedIdeaOut(Schema):
    """An idea as the public reads it: what was said, and where it was said (all origins)."""

    id: int
    title: str
    text: str
    theme: str
    origin: OriginOut
    also_raised_in: list[OriginOut]


class PlenumIdeaOut(OriginatedIdeaOut):
    dots: int


class PlenumGroupOut(Schema):
    # None for the live channel's ideas sent straight to the plenum (no breakout group).
    id: int | None
    name: str
    topic: str
    ideas: list[PlenumIdeaOut]


class VotingOut(Schema):
    dots_per_voter: int
    is_open: bool


class PlenumOut(Schema):
    event: str
    title: str
    groups: list[PlenumGroupOut]
    voting: VotingOut


class VotingIn(StrictSchema):
    dots_per_voter: int
    is_open: bool


class DotIn(StrictSchema):
    idea_id: IdeaId


class GivenDotsOut(Schema):
    idea_id: int
    dots: int


class BallotOut(Schema):
    """One voter's view of the voting: its state, the dots left and the dots given per idea."""

    event: str
    dots_per_voter: int
    is_open: bool
    dots_left: int
    given: list[GivenDotsOut]


class WorkingGroupIn(StrictSchema):
    title: str
    description: str = ""
    leads: list[str] = []


class LeadsIn(StrictSchema):
    leads: list[str]


class LeadsOut(Schema):
    slug: str
    leads: list[str]


class BacklogItemIn(StrictSchema):
    title: str
    idea_ids: list[IdeaId]


class BacklogItemPatch(StrictSchema):
    title: str | None = None
    status: str | None = None
    position: int | None = None
    public_note: str | None = None
    rejection_reason: str | None = None


class BacklogItemOut(Schema):
    id: int
    position: int
    dots: int
    title: str
    status: str
    public_note: str
    rejection_reason: str
    updated_at: datetime
    ideas: list[OriginatedIdeaOut]


class WorkingGroupSummaryOut(Schema):
    slug: str
    title: str
    description: str
    url: str


class WorkingGroupOut(WorkingGroupSummaryOut):
    items: list[BacklogItemOut]
    waiting: list[OriginatedIdeaOut]


def origin(idea: Idea) -> dict:
    return {
        "idea_id": idea.pk,
        "event": idea.event.slug,
        "event_title": idea.event.title,
        "group_id": idea.group_id,
        "group": idea.group.name if idea.group_id else "",
        # The live channel's origin (room, Zoom, stream), "" for ideas captured in a group.
        "via": idea.via,
    }


def originated(idea: Idea) -> dict:
    """Needs the idea from `queries.origins_of` (event, group and duplicates loaded)."""
    return {
        "id": idea.pk,
        "title": idea.title,
        "text": idea.text,
        "theme": idea.theme,
        "origin": origin(idea),
        "also_raised_in": [origin(duplicate) for duplicate in idea.duplicates.all()],
    }


def backlog_item(item: BacklogItem) -> dict:
    """Needs the item from `queries.with_item_ideas` (its ideas and their dots loaded)."""
    fields = ("id", "position", "title", "status", "public_note", "rejection_reason", "updated_at", "dots")
    return {**{name: getattr(item, name) for name in fields}, "ideas": [originated(i) for i in item.item_ideas]}
