"""The moderation queue of an event: what participants sent waits here until a moderator (their
signed link, their own group) or an organiser (login, the whole event) approves, rewords, merges
or hides it, or reports it as abuse. Organisers also choose pre- or post-moderation here."""

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from events.access import Capability, event_for, organiser_page
from events.models import Event
from ideas import services
from ideas.access import AccessRefused, Actor, moderator_for_link
from ideas.forms import ModerationModeForm, RewordForm
from ideas.models import BreakoutGroup, Idea, Moderation, ModerationPolicy, Moderator
from ideas.views.common import refusal


@dataclass(frozen=True)
class QueueAccess:
    """Who moderates which ideas (a moderator: their group; an organiser: the event), and where."""

    event: Event
    actor: Actor
    group: BreakoutGroup | None
    namespace: str
    url_kwargs: dict

    def url(self, name: str, **kwargs) -> str:
        return reverse(f"ideas:{self.namespace}:{name}", kwargs={**self.url_kwargs, **kwargs})

    def ideas(self):
        ideas = Idea.objects.filter(event=self.event)
        return ideas.filter(group=self.group) if self.group else ideas


def queue_view(view):
    @wraps(view)
    def wrapper(request, *args, token: str | None = None, slug: str | None = None, **kwargs):
        if token is not None:
            try:
                moderator = moderator_for_link(token, now=timezone.now())
            except AccessRefused as error:
                return refusal(request, error, title=_("This moderator link does not work"))
            group = moderator.group
            access = QueueAccess(group.event, moderator, group, "moderator_queue", {"token": token})
        else:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            event = event_for(request.user, slug, Capability.MODERATE)
            access = QueueAccess(event, request.user, None, "event_queue", {"slug": slug})
        response = view(request, access, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapper


@queue_view
def queue(request, access: QueueAccess):
    return render_queue(request, access)


def render_queue(request, access: QueueAccess, *, error: DomainError | None = None, failed: int | None = None):
    waiting = list(services.moderation_queue(access.event, actor=access.actor))
    survivors = list(
        access.ideas().public().filter(merged_into__isnull=True).select_related("group").order_by("title", "pk")
    )
    for idea in waiting:
        idea.reword_form = RewordForm(initial={"title": idea.title, "text": idea.text}, prefix=f"idea-{idea.pk}")
        idea.merge_candidates = [survivor for survivor in survivors if survivor.pk != idea.pk]
        for action in ("approve", "reword", "merge", "hide", "report"):
            setattr(idea, f"{action}_url", access.url(action, idea_id=idea.pk))
    is_organiser = not isinstance(access.actor, Moderator)
    context = {
        "event": access.event,
        "group": access.group,
        "access": access,
        "waiting": waiting,
        "hidden": list(access.ideas().filter(moderation=Moderation.HIDDEN).select_related("group").order_by("-pk")),
        "reported": list(services.reported_ideas(access.event)) if is_organiser else [],
        "is_organiser": is_organiser,
        "mode": ModerationPolicy.mode_of(access.event),
        "mode_form": ModerationModeForm(initial={"mode": ModerationPolicy.mode_of(access.event)}),
        "error": error,
        "failed": failed,
    }
    return render(request, "ideas/moderation.html", context, status=error.status if error else 200)


def decision(view):
    """A POST about one idea of the queue: the service's refusal is shown on the queue page."""

    @require_POST
    @queue_view
    @wraps(view)
    def wrapper(request, access: QueueAccess, idea_id: int):
        idea = access.ideas().filter(pk=idea_id).first()
        if idea is None:
            error = DomainError("idea_not_found", _("This idea does not exist (any more)."), status=404)
            return render_queue(request, access, error=error)
        try:
            message = view(request, access, idea)
        except DomainError as error:
            return render_queue(request, access, error=error, failed=idea.pk)
        messages.success(request, message)
        return redirect(access.url("queue"))

    return wrapper


@decision
def approve(request, access: QueueAccess, idea: Idea) -> str:
    services.approve_idea(idea, actor=access.actor, now=timezone.now())
    return _("“%(title)s” is approved and public.") % {"title": idea.title}


@decision
def reword(request, access: QueueAccess, idea: Idea) -> str:
    form = RewordForm(request.POST, prefix=f"idea-{idea.pk}")
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        raise DomainError("invalid_wording", first, status=422)
    data = form.cleaned_data
    idea = services.reword_idea(
        idea, data["title"], data["text"], approve=data["approve"], actor=access.actor, now=timezone.now()
    )
    if data["approve"]:
        return _("“%(title)s” is reworded and approved.") % {"title": idea.title}
    return _("“%(title)s” is reworded.") % {"title": idea.title}


@decision
def merge(request, access: QueueAccess, idea: Idea) -> str:
    value = request.POST.get("survivor", "")
    survivor = access.ideas().filter(pk=int(value)).first() if value.isdigit() else None
    if survivor is None:
        raise DomainError("nothing_to_merge", _("Choose the public idea that says the same."), status=422)
    services.merge_ideas(survivor, [idea], actor=access.actor, now=timezone.now())
    return _("“%(duplicate)s” is merged into “%(title)s”.") % {"duplicate": idea.title, "title": survivor.title}


@decision
def hide(request, access: QueueAccess, idea: Idea) -> str:
    services.hide_idea(idea, request.POST.get("reason", ""), actor=access.actor, now=timezone.now())
    return _("“%(title)s” is hidden.") % {"title": idea.title}


@decision
def report(request, access: QueueAccess, idea: Idea) -> str:
    services.report_abuse(idea, request.POST.get("note", ""), actor=access.actor, now=timezone.now())
    return _("“%(title)s” is reported to the organisers.") % {"title": idea.title}


@require_POST
@organiser_page(Capability.MODERATE)
def moderation_mode(request, event: Event):
    form = ModerationModeForm(request.POST)
    mode = form.cleaned_data["mode"] if form.is_valid() else request.POST.get("mode", "")
    try:
        services.set_moderation_mode(event, mode, actor=request.user, now=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The moderation procedure is saved."))
    return redirect(reverse("ideas:event_queue:queue", kwargs={"slug": event.slug}))
