"""The organisers' page for the ideas of one event: breakout groups and their moderators'
links, who sits in which group, the table posters, and sorting ideas into working groups."""

from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.errors import DomainError
from events.access import Capability, can, organiser_page
from events.models import Event
from ideas import queries, services
from ideas.access import moderator_link_token, preference_link_token
from ideas.forms import GroupForm, ModeratorForm, VotingForm
from ideas.models import BreakoutGroup, Idea, Moderator, WorkingGroup
from ideas.services.voting import voting_of
from ideas.views.common import qr_code
from ideas.views.live import live_link
from registrations.models import Registration, Status


def moderator_url(moderator: Moderator) -> str:
    return settings.SITE_URL + reverse("ideas:moderated:page", kwargs={"token": moderator_link_token(moderator)})


def table_url(group: BreakoutGroup) -> str:
    return settings.SITE_URL + reverse("ideas:table", args=[group.poster_key])


def board_url(event: Event) -> str:
    return reverse("ideas:organise", args=[event.slug])


@organiser_page(Capability.MODERATE)
def event_board(request, event: Event):
    return render_board(request, event)


def render_board(
    request,
    event: Event,
    group_form: GroupForm | None = None,
    voting_form: VotingForm | None = None,
    voting_error: DomainError | None = None,
):
    groups = list(
        BreakoutGroup.objects.filter(event=event)
        .annotate(member_count=Count("memberships", distinct=True))
        .prefetch_related("moderators")
    )
    for group in groups:
        for moderator in group.moderators.all():
            moderator.capture_url = moderator_url(moderator)
    participants = Registration.objects.filter(event=event, status=Status.CONFIRMED)
    voting = voting_of(event)
    context = {
        "event": event,
        "groups": groups,
        "group_form": group_form or GroupForm(),
        "moderator_form": ModeratorForm(),
        "idea_groups": queries.event_groups_with_ideas(event),
        "working_groups": list(WorkingGroup.objects.order_by("title")),
        "participant_count": participants.count(),
        "unassigned_count": participants.filter(breakout_membership__isnull=True).count(),
        "preference_count": participants.filter(breakout_preference__isnull=False).count(),
        "waiting_count": services.moderation_queue(event, actor=request.user).count(),
        "live_to_place": list(services.live_ideas_to_place(event)),
        "live": live_link(event),
        "voting": voting,
        "voting_form": voting_form or VotingForm(initial={"dots_per_voter": voting.dots_per_voter}),
        "voting_error": voting_error,
        "vote_url": settings.SITE_URL + reverse("ideas:vote", args=[event.slug]),
        # Sorting into working groups is the organisers' (`manage`); moderators see where ideas went.
        "may_manage": can(request.user, event, Capability.MANAGE),
    }
    status = voting_error.status if voting_error else 422 if (group_form or voting_form) else 200
    return render(request, "ideas/organise.html", context, status=status)


@require_POST
@organiser_page(Capability.MODERATE)
def add_group(request, event: Event):
    form = GroupForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            group, _access = services.create_group(
                event,
                services.GroupData(data["name"], data["topic"], data["kind"]),
                moderator_name=data["moderator_name"],
                actor=request.user,
                now=timezone.now(),
            )
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Group “%(name)s” created with a moderator link.") % {"name": group.name})
            return redirect(f"{board_url(event)}#group-{group.pk}")
    return render_board(request, event, group_form=form)


def event_group(event: Event, group_id: int) -> BreakoutGroup:
    return get_object_or_404(BreakoutGroup.objects.select_related("event"), pk=group_id, event=event)


def event_moderator(event: Event, moderator_id: int) -> Moderator:
    return get_object_or_404(Moderator.objects.select_related("group__event"), pk=moderator_id, group__event=event)


@require_POST
@organiser_page(Capability.MODERATE)
def add_moderator(request, event: Event, group_id: int):
    group = event_group(event, group_id)
    form = ModeratorForm(request.POST)
    name = form.cleaned_data["name"] if form.is_valid() else ""
    services.add_moderator(group, name=name, actor=request.user, now=timezone.now())
    messages.success(request, _("New moderator link for “%(name)s” created.") % {"name": group.name})
    return redirect(f"{board_url(event)}#group-{group.pk}")


@require_POST
@organiser_page(Capability.MODERATE)
def renew_moderator(request, event: Event, moderator_id: int):
    moderator = event_moderator(event, moderator_id)
    try:
        services.renew_moderator_access(moderator, actor=request.user, now=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("New link created; the previous link no longer works."))
    return redirect(f"{board_url(event)}#group-{moderator.group_id}")


@require_POST
@organiser_page(Capability.MODERATE)
def revoke_moderator(request, event: Event, moderator_id: int):
    moderator = event_moderator(event, moderator_id)
    services.revoke_moderator(moderator, actor=request.user, now=timezone.now())
    messages.success(request, _("The moderator link was revoked."))
    return redirect(f"{board_url(event)}#group-{moderator.group_id}")


@require_POST
@organiser_page(Capability.MODERATE)
def renew_poster(request, event: Event, group_id: int):
    group = services.renew_poster_key(event_group(event, group_id), actor=request.user, now=timezone.now())
    messages.success(request, _("New QR code created; please print the poster again."))
    return redirect(f"{board_url(event)}#group-{group.pk}")


@organiser_page(Capability.MODERATE)
def poster(request, event: Event, group_id: int):
    group = event_group(event, group_id)
    return render(request, "ideas/poster.html", {"event": event, "group": group, "table_url": table_url(group)})


@organiser_page(Capability.MODERATE)
def poster_qr(request, event: Event, group_id: int):
    return qr_code(table_url(event_group(event, group_id)), cache_control="private, no-store")


@require_POST
@organiser_page(Capability.MODERATE)
def distribute(request, event: Event):
    assign = (
        services.assign_by_preference if request.POST.get("by") == "preference" else services.assign_evenly_at_random
    )
    try:
        assign(event, actor=request.user, now=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Everyone confirmed now has a group."))
    return redirect(f"{board_url(event)}#groups")


@organiser_page(Capability.MODERATE)
def members(request, event: Event):
    registrations = list(
        Registration.objects.filter(event=event, status=Status.CONFIRMED)
        .select_related("breakout_membership", "breakout_preference__group")
        .order_by("name", "pk")
    )
    groups = list(BreakoutGroup.objects.filter(event=event))
    if request.method == "POST":
        by_id = {group.pk: group for group in groups}
        now, changed = timezone.now(), 0
        for registration in registrations:
            membership = getattr(registration, "breakout_membership", None)
            current = membership.group_id if membership else None
            chosen = request.POST.get(f"group-{registration.pk}", str(current or ""))
            wanted = by_id.get(int(chosen)) if chosen.isdigit() else None
            if (wanted.pk if wanted else None) != current:
                services.assign_member(registration, wanted, actor=request.user, now=now)
                changed += 1
        message = ngettext("%(count)s assignment changed.", "%(count)s assignments changed.", changed)
        messages.success(request, message % {"count": changed})
        return redirect(reverse("ideas:members", args=[event.slug]))
    for registration in registrations:
        membership = getattr(registration, "breakout_membership", None)
        registration.group_id = membership.group_id if membership else None
        registration.preference = getattr(registration, "breakout_preference", None)
        registration.preference_url = settings.SITE_URL + reverse(
            "ideas:preference", args=[preference_link_token(registration)]
        )
    return render(request, "ideas/members.html", {"event": event, "registrations": registrations, "groups": groups})


@require_POST
@organiser_page(Capability.MANAGE)
def sort_idea(request, event: Event, idea_id: int):
    idea = get_object_or_404(Idea, pk=idea_id, event=event)
    slug = request.POST.get("working_group", "")
    working_group = get_object_or_404(WorkingGroup, slug=slug) if slug else None
    try:
        services.sort_into_working_group(idea, working_group, actor=request.user, now=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if working_group:
            messages.success(
                request, _("“%(idea)s” is now with “%(group)s”.") % {"idea": idea.title, "group": working_group.title}
            )
        else:
            messages.info(request, _("“%(idea)s” is no longer in a working group.") % {"idea": idea.title})
    return redirect(f"{board_url(event)}#idea-{idea.pk}")


def posted_id(request, name: str) -> int:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else 0


@require_POST
@organiser_page(Capability.MODERATE)
def merge(request, event: Event):
    ideas = Idea.objects.filter(event=event)
    survivor = get_object_or_404(ideas, pk=posted_id(request, "survivor"))
    duplicate = get_object_or_404(ideas, pk=posted_id(request, "duplicate"))
    try:
        services.merge_ideas(survivor, [duplicate], actor=request.user, now=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("“%(duplicate)s” (%(duplicate_group)s) is merged into “%(title)s” (%(group)s).")
            % {
                "duplicate": duplicate.title,
                "duplicate_group": duplicate.place_label,
                "title": survivor.title,
                "group": survivor.place_label,
            },
        )
    return redirect(f"{board_url(event)}#idea-{survivor.pk}")


@require_POST
@organiser_page(Capability.MODERATE)
def place_live_idea(request, event: Event, idea_id: int):
    """Send an approved live idea on: to a breakout group of the event, or straight to the plenum."""
    idea = get_object_or_404(Idea, pk=idea_id, event=event)
    target = request.POST.get("target", "")
    group = None
    if target != "plenum":
        group = BreakoutGroup.objects.filter(event=event, pk=int(target)).first() if target.isdigit() else None
        if group is None:
            messages.error(request, _("Choose a breakout group or the plenum."))
            return redirect(f"{board_url(event)}#live")
    try:
        services.place_live_idea(idea, group=group, actor=request.user, now=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if group is None:
            messages.success(request, _("“%(idea)s” is on the plenum wall now.") % {"idea": idea.title})
        else:
            messages.success(
                request, _("“%(idea)s” is now in the group “%(group)s”.") % {"idea": idea.title, "group": group.name}
            )
    return redirect(f"{board_url(event)}#live")
