"""The ideas API: groups and their moderators' access, capturing (idempotent by client_id), the
plenum, working groups and their backlogs. Operations translate input and call the services."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from core.errors import DomainError
from core.pagination import BoundedLimitOffsetPagination
from core.ratelimit import check_rate, check_request_rate
from events.auth import organiser_auth
from events.models import Event
from events.schemas import ErrorOut
from ideas import queries, services
from ideas.access import (
    ensure_can_capture,
    ensure_organises_any_event,
    invalid_link,
    moderator_link_token,
    registration_for_vote_token,
)
from ideas.auth import capture_auth
from ideas.models import BacklogItem, BreakoutGroup, Idea, Voter, WorkingGroup
from ideas.schemas import (
    BacklogItemIn,
    BacklogItemOut,
    BacklogItemPatch,
    BallotOut,
    DotIn,
    GroupCreatedOut,
    GroupIn,
    IdeaIn,
    IdeaOut,
    IdeaPatch,
    LeadsIn,
    LeadsOut,
    PlenumOut,
    SortIn,
    VotingIn,
    VotingOut,
    WorkingGroupIn,
    WorkingGroupOut,
    WorkingGroupSummaryOut,
    backlog_item,
    originated,
)
from ideas.services.voting import ballot, voting_of

router = Router(tags=["ideas"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def public_event(slug: str) -> Event:
    return get_object_or_404(Event.objects.public(), slug=slug)


@router.post("/events/{slug}/groups", response={201: GroupCreatedOut, **ERRORS}, auth=organiser_auth)
def create_group(request, slug: str, payload: GroupIn):
    """A breakout group with its first moderator. `moderator_token` is shown only here."""
    event = get_object_or_404(Event, slug=slug)
    group, access = services.create_group(
        event,
        services.GroupData(payload.name, payload.topic, payload.kind),
        moderator_name=payload.moderator_name,
        actor=request.user,
        now=timezone.now(),
    )
    token = moderator_link_token(access.moderator)
    return Status(
        201,
        {
            "id": group.pk,
            "name": group.name,
            "topic": group.topic,
            "kind": group.kind,
            "capture_url": absolute(reverse("ideas:moderated:page", kwargs={"token": token})),
            "moderator_token": access.api_token,
            "table_url": absolute(reverse("ideas:table", args=[group.poster_key])),
        },
    )


def capture_group(request, group_id: int) -> BreakoutGroup:
    group = get_object_or_404(BreakoutGroup.objects.select_related("event"), pk=group_id)
    ensure_can_capture(request.auth, group, now=timezone.now())
    return group


@router.get("/groups/{group_id}/ideas", response={200: list[IdeaOut], **ERRORS}, auth=capture_auth)
@paginate(BoundedLimitOffsetPagination)
def list_group_ideas(request, group_id: int):
    """The group's ideas, for its moderators and the event's organisers."""
    return queries.group_ideas(capture_group(request, group_id))


@router.post("/groups/{group_id}/ideas", response={201: IdeaOut, 200: IdeaOut, **ERRORS}, auth=capture_auth)
def add_idea(request, group_id: int, payload: IdeaIn):
    """201 with the new idea; 200 with the stored one when this client_id arrived before."""
    check_request_rate("capture", request)
    group = get_object_or_404(BreakoutGroup.objects.select_related("event"), pk=group_id)
    draft = services.IdeaDraft(**payload.model_dump(exclude={"client_id"}))
    idea, created = services.add_idea(group, draft, client_id=payload.client_id, actor=request.auth, now=timezone.now())
    return Status(201 if created else 200, idea)


@router.patch("/ideas/{idea_id}", response={200: IdeaOut, **ERRORS}, auth=capture_auth)
def update_idea(request, idea_id: int, payload: IdeaPatch):
    idea = get_object_or_404(Idea, pk=idea_id)
    changes = services.IdeaChanges(**payload.model_dump(exclude_unset=True))
    return services.edit_idea(idea, changes, actor=request.auth, now=timezone.now())


@router.post("/ideas/{idea_id}/working-group", response={200: IdeaOut, **ERRORS}, auth=organiser_auth)
def sort_idea(request, idea_id: int, payload: SortIn):
    """Hand an idea to a working group (`null` takes it back); organisers of its event."""
    idea = get_object_or_404(Idea, pk=idea_id)
    working_group = get_object_or_404(WorkingGroup, slug=payload.working_group) if payload.working_group else None
    return services.sort_into_working_group(idea, working_group, actor=request.user, now=timezone.now())


@router.get("/events/{slug}/plenum", response={200: PlenumOut, 404: ErrorOut})
def plenum(request, slug: str):
    """Public: the ideas each group marked for the plenum, per group, with their dots; and the
    state of the dot voting."""
    event = public_event(slug)
    groups = [
        {
            "id": group.pk,
            "name": group.name,
            "topic": group.topic,
            "ideas": [{**originated(idea), "dots": idea.dot_count} for idea in group.plenum_ideas],
        }
        for group in queries.plenum_groups(event)
    ]
    return {"event": event.slug, "title": event.title, "groups": groups, "voting": voting_out(voting_of(event))}


def voting_out(voting) -> dict:
    return {"dots_per_voter": voting.dots_per_voter, "is_open": voting.is_open}


@router.put("/events/{slug}/plenum/voting", response={200: VotingOut, **ERRORS}, auth=organiser_auth)
def set_voting(request, slug: str, payload: VotingIn):
    """Organisers of the event: dots per voter (0 turns voting off) and whether voting is open."""
    event = get_object_or_404(Event, slug=slug)
    now = timezone.now()
    with transaction.atomic():
        services.configure_voting(event, payload.dots_per_voter, actor=request.user, now=now)
        voting = services.set_voting_open(event, payload.is_open, actor=request.user, now=now)
    return voting_out(voting)


def link_voter(request, token: str) -> Voter:
    """The voter behind a registration's personal voting link, counted against the rate limits."""
    registration = registration_for_vote_token(token, now=timezone.now())
    if registration is None or registration.event.status == "draft":
        raise invalid_link()
    check_request_rate("plenum_vote_client", request)
    voter = services.voter_for_registration(registration, now=timezone.now())
    check_rate("plenum_vote", f"voter:{voter.pk}")
    return voter


def ballot_out(voter: Voter) -> dict:
    voting = voting_of(voter.event)
    current = ballot(voter, voting)
    return {
        "event": voter.event.slug,
        **voting_out(voting),
        "dots_left": current.dots_left,
        "given": [{"idea_id": idea_id, "dots": dots} for idea_id, dots in sorted(current.given.items())],
    }


@router.get("/plenum/votes/{token}", response={200: BallotOut, **ERRORS})
def get_ballot(request, token: str):
    """A registrant's dots, by the token of their personal voting link."""
    registration = registration_for_vote_token(token, now=timezone.now())
    if registration is None or registration.event.status == "draft":
        raise invalid_link()
    voter = Voter.objects.select_related("event").filter(registration=registration).first()
    return ballot_out(voter or Voter(event=registration.event))


@router.post("/plenum/votes/{token}/dots", response={201: BallotOut, **ERRORS})
def give_dot(request, token: str, payload: DotIn):
    """Give one dot to an idea on the event's plenum wall; `409 no_dots_left` when all are given."""
    voter = link_voter(request, token)
    services.give_dot(voter, payload.idea_id, now=timezone.now())
    return Status(201, ballot_out(voter))


@router.delete("/plenum/votes/{token}/dots/{idea_id}", response={200: BallotOut, **ERRORS})
def take_back_dot(request, token: str, idea_id: int):
    """Take one dot back from an idea while the voting is open."""
    voter = link_voter(request, token)
    services.take_back_dot(voter, idea_id, now=timezone.now())
    return ballot_out(voter)


def working_group_summary(group: WorkingGroup) -> dict:
    return {
        "slug": group.slug,
        "title": group.title,
        "description": group.description,
        "url": absolute(reverse("ideas:working_group", args=[group.slug])),
    }


def working_group_out(group: WorkingGroup) -> dict:
    return {
        **working_group_summary(group),
        "items": [backlog_item(item) for item in queries.backlog_items(group)],
        "waiting": [originated(idea) for idea in queries.waiting_ideas(group)],
    }


@router.get("/working-groups", response={200: list[WorkingGroupSummaryOut], 422: ErrorOut})
@paginate(BoundedLimitOffsetPagination)
def list_working_groups(request):
    return [working_group_summary(group) for group in WorkingGroup.objects.order_by("title")]


@router.post("/working-groups", response={201: WorkingGroupOut, **ERRORS}, auth=organiser_auth)
def create_working_group(request, payload: WorkingGroupIn):
    """Organisers only; the founder leads it, with the `leads` named (usernames)."""
    ensure_organises_any_event(request.user)
    group = services.create_working_group(
        payload.title, payload.description, leads=users_named(payload.leads), actor=request.user, now=timezone.now()
    )
    return Status(201, working_group_out(group))


def users_named(usernames: list[str]) -> list:
    users = list(get_user_model().objects.filter(username__in=usernames, is_active=True))
    unknown = sorted(set(usernames) - {user.get_username() for user in users})
    if unknown:
        message = _("There is no active user called %(names)s.") % {"names": ", ".join(unknown)}
        raise DomainError("unknown_user", message, status=422)
    return users


@router.put("/working-groups/{slug}/leads", response={200: LeadsOut, **ERRORS}, auth=organiser_auth)
def set_leads(request, slug: str, payload: LeadsIn):
    """Who leads the working group from now on (usernames); organisers and current leads."""
    group = get_object_or_404(WorkingGroup, slug=slug)
    services.set_leads(group, users_named(payload.leads), actor=request.user, now=timezone.now())
    return {"slug": group.slug, "leads": sorted(user.get_username() for user in group.leads.all())}


@router.get("/working-groups/{slug}", response={200: WorkingGroupOut, 404: ErrorOut})
def get_working_group(request, slug: str):
    """Public: the ordered backlog, each item with its ideas and their origin event and group."""
    return working_group_out(get_object_or_404(WorkingGroup, slug=slug))


@router.post("/working-groups/{slug}/items", response={201: BacklogItemOut, **ERRORS}, auth=organiser_auth)
def create_backlog_item(request, slug: str, payload: BacklogItemIn):
    """Leads only. Ideas not yet in this working group are sorted into it if the lead also
    organises their event."""
    group = get_object_or_404(WorkingGroup, slug=slug)
    item = services.create_backlog_item(group, payload.title, payload.idea_ids, actor=request.user, now=timezone.now())
    return Status(201, item_out(item))


@router.patch("/backlog-items/{item_id}", response={200: BacklogItemOut, **ERRORS}, auth=organiser_auth)
def update_backlog_item(request, item_id: int, payload: BacklogItemPatch):
    """Leads only: status (`rejected` needs a `rejection_reason`), position (1 = top), public note."""
    item = get_object_or_404(BacklogItem.objects.select_related("working_group"), pk=item_id)
    changes = services.ItemChanges(**payload.model_dump(exclude_unset=True))
    item = services.update_backlog_item(item, changes, actor=request.user, now=timezone.now())
    return item_out(item)


def item_out(item: BacklogItem) -> dict:
    return backlog_item(queries.with_item_ideas(BacklogItem.objects.filter(pk=item.pk)).get())
