"""Pages everyone may read: an event's ideas and where each stands, the plenum wall, the working
groups and their backlogs; and the two personal pages reached by signed links (choosing a
group, stopping updates)."""

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from core.errors import DomainError
from core.hooks import answers
from core.public_pages import public_page
from events.access import Capability, can, organises_any_event
from events.models import Event
from ideas import queries, services
from ideas.access import PREFERENCE_LINK_SALT, UPDATES_LINK_SALT, can_lead, unsign_link
from ideas.forms import WorkingGroupForm
from ideas.models import BreakoutGroup, Idea, LiveVia, WorkingGroup
from ideas.services.voting import voting_of
from ideas.signals import idea_page_section, presentation_section, working_group_page_section
from ideas.views.backlog import backlog_order
from ideas.views.common import refusal
from ideas.views.live import live_link
from registrations.models import Registration

# How often the plenum wall asks for news. Short enough to feel live in the room, long
# enough that fifty screens do not load the server.
PLENUM_POLL_SECONDS = 3


def visible_event(request, slug: str) -> Event:
    """Published (or cancelled, postponed) events for everyone; drafts only for their organisers."""
    event = get_object_or_404(Event, slug=slug)
    if event.status == "draft" and not can(request.user, event, Capability.MODERATE):
        raise Http404
    return event


@public_page
def event_ideas(request, slug: str):
    event = visible_event(request, slug)
    context = {
        "event": event,
        "groups": queries.event_groups_with_ideas(event),
        "is_organiser": can(request.user, event, Capability.MODERATE),
    }
    return render(request, "ideas/event_ideas.html", context)


@public_page
def idea_page(request, slug: str, idea_id: int):
    """One approved idea and its way: where it was said, whether it went to the plenum, the
    working group and the backlog item; the layers above add the rest (the result's section)."""
    event = visible_event(request, slug)
    idea = get_object_or_404(queries.idea_with_trace(event), pk=idea_id)
    context = {
        "event": event,
        "idea": idea,
        "current": idea.current,
        "steps": answers(idea_page_section, Idea, request=request, idea=idea),
    }
    return render(request, "ideas/idea.html", context)


def wall_context(event: Event) -> dict:
    groups = queries.plenum_groups(event)
    results = queries.plenum_results(groups)
    voting = voting_of(event)
    return {
        "event": event,
        "groups": groups,
        "voting": voting,
        "results": results,
        # Counts stay on the wall after the voting is turned off, as long as there are any.
        "show_dots": bool(voting.dots_per_voter) or any(idea.dot_count for idea in results),
        "vote_url": settings.SITE_URL + reverse("ideas:vote", args=[event.slug]),
    }


@public_page
def plenum_wall(request, slug: str):
    event = visible_event(request, slug)
    context = {**wall_context(event), "poll_seconds": PLENUM_POLL_SECONDS, "live": live_link(event, LiveVia.ROOM)}
    return render(request, "ideas/plenum.html", context)


@public_page
def plenum_presentation(request, slug: str):
    """The wall for the projector: the whole screen, large type, nothing to click. The layers
    above add their sections (live questions and polls) through `presentation_section`."""
    event = visible_event(request, slug)
    sections = answers(presentation_section, Event, request=request, event=event)
    context = {
        **wall_context(event),
        "poll_seconds": PLENUM_POLL_SECONDS,
        "live": live_link(event, LiveVia.ROOM),
        "sections": sections,
        "refresh_ideas": not any(section.refreshes_ideas for section in sections),
    }
    return render(request, "ideas/plenum_presentation.html", context)


@public_page
def plenum_wall_ideas(request, slug: str):
    """The wall's content alone, fetched by htmx every few seconds."""
    event = visible_event(request, slug)
    response = render(request, "ideas/_plenum_groups.html", wall_context(event))
    response["Cache-Control"] = "no-cache"
    return response


def working_groups(request):
    form = WorkingGroupForm()
    if request.method == "POST":
        form = WorkingGroupForm(request.POST)
        if form.is_valid():
            try:
                group = services.create_working_group(
                    form.cleaned_data["title"],
                    form.cleaned_data["description"],
                    leads=form.cleaned_data["leads"],
                    actor=request.user,
                    now=timezone.now(),
                )
            except DomainError as error:
                if error.status == 403:
                    return refusal(request, error)
                form.add_service_error(error)
            else:
                messages.success(request, _("Working group “%(title)s” created.") % {"title": group.title})
                return redirect(reverse("ideas:backlog", args=[group.slug]))
    groups = WorkingGroup.objects.annotate(
        item_count=Count("items", distinct=True),
        done_count=Count("items", filter=Q(items__status="done"), distinct=True),
    ).order_by("title")
    user = request.user
    context = {"working_groups": groups, "form": form, "may_create": organises_any_event(user)}
    return render(request, "ideas/working_groups.html", context, status=422 if form.errors else 200)


@public_page
def working_group(request, slug: str):
    group = get_object_or_404(WorkingGroup, slug=slug)
    context = {
        "working_group": group,
        "items": queries.backlog_items(group, order=backlog_order(request)),
        "order": backlog_order(request),
        "waiting": queries.waiting_ideas(group),
        "is_lead": can_lead(request.user, group),
        "sections": answers(working_group_page_section, WorkingGroup, request=request, working_group=group),
    }
    return render(request, "ideas/working_group.html", context)


def choose_group(request, token: str):
    """A registrant says which group they would like to join (before the event starts)."""
    try:
        public_id = unsign_link(token, salt=PREFERENCE_LINK_SALT, key="r")["r"]
    except DomainError as error:
        return refusal(request, error)
    registration = get_object_or_404(
        Registration.objects.select_related("event", "breakout_preference"), public_id=public_id
    )
    groups = list(BreakoutGroup.objects.filter(event=registration.event))
    if request.method == "POST":
        chosen = next((group for group in groups if str(group.pk) == request.POST.get("group")), None)
        if chosen is None:
            messages.error(request, _("Please choose one of the groups."))
        else:
            try:
                services.set_preference(registration, chosen, now=timezone.now())
            except DomainError as error:
                return refusal(request, error)
            messages.success(request, _("Thank you! We will try to place you in “%(name)s”.") % {"name": chosen.name})
            return redirect(request.path)
    preference = getattr(registration, "breakout_preference", None)
    context = {
        "registration": registration,
        "event": registration.event,
        "groups": groups,
        "chosen_id": preference.group_id if preference else None,
        "closed": timezone.now() >= registration.event.starts_at,
    }
    response = render(request, "ideas/choose_group.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


# The signed link is the key, not a session: a mail program's one-click unsubscribe (RFC 8058,
# `List-Unsubscribe-Post`) POSTs to it without a CSRF token.
@csrf_exempt
def stop_updates(request, token: str):
    """Asks first and acts on POST only, because mail scanners open every link in an e-mail."""
    try:
        idea_id = unsign_link(token, salt=UPDATES_LINK_SALT, key="i")["i"]
    except DomainError as error:
        return refusal(request, error)
    idea = get_object_or_404(Idea.objects.select_related("event"), pk=idea_id)
    if request.method == "POST":
        services.stop_updates(idea, now=timezone.now())
        messages.success(request, _("Done: you will get no more e-mails about this idea, and your address is erased."))
        return redirect(request.path)
    response = render(request, "ideas/stop_updates.html", {"idea": idea, "subscribed": bool(idea.submitter_email)})
    response["X-Robots-Tag"] = "noindex"
    return response
