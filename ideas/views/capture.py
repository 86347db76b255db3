"""Capturing ideas: the capture page of one group, for its moderators (signed link) and for the
event's organisers (login), and the form behind a table's QR poster for participants.

Every form carries a client_id made when the form is shown; the draft script keeps it with the
typed text, so a form sent again after a dropped connection stores the idea only once.
"""

import uuid
from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.ratelimit import RateLimited, check_request_rate
from events.access import Capability, ensure
from ideas import queries, services
from ideas.access import AccessRefused, Actor, access_ends_at, ensure_can_handle, moderator_for_link
from ideas.forms import IdeaForm, MergeForm, TableIdeaForm
from ideas.models import BreakoutGroup, Idea, Moderation
from ideas.views.common import refusal


@dataclass(frozen=True)
class CaptureAccess:
    """Who captures for which group, and under which address their pages live."""

    group: BreakoutGroup
    actor: Actor
    namespace: str
    url_kwargs: dict

    def url(self, name: str, **kwargs) -> str:
        return reverse(f"ideas:{self.namespace}:{name}", kwargs={**self.url_kwargs, **kwargs})


def capture_view(view):
    @wraps(view)
    def wrapper(request, *args, token: str | None = None, group_id: int | None = None, **kwargs):
        if token is not None:
            try:
                moderator = moderator_for_link(token, now=timezone.now())
            except AccessRefused as error:
                return refusal(request, error, title=_("This moderator link does not work"))
            access = CaptureAccess(moderator.group, moderator, "moderated", {"token": token})
        else:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            group = get_object_or_404(BreakoutGroup.objects.select_related("event"), pk=group_id)
            ensure(request.user, group.event, Capability.MODERATE)
            access = CaptureAccess(group, request.user, "organised", {"group_id": group.pk})
        response = view(request, access, *args, **kwargs)
        # The address of a moderator's page is their key: keep it out of caches and search engines.
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapper


def capture_rate_exceeded(request):
    """A 429 page when one client sends ideas faster than people can type; None otherwise."""
    try:
        check_request_rate("capture", request)
    except RateLimited as limited:
        response = refusal(request, limited, title=_("Too many ideas at once"))
        response["Retry-After"] = str(limited.retry_after_seconds)
        return response
    return None


def draft_from(form: IdeaForm) -> services.IdeaDraft:
    data = form.cleaned_data
    return services.IdeaDraft(
        title=data["title"],
        text=data["text"],
        theme=data["theme"],
        for_plenum=data.get("for_plenum", False),
        email=data.get("email", ""),
        updates_consent=data.get("updates_consent", False),
        language=translation.get_language() or "de",
    )


def new_form(form_class=IdeaForm):
    return form_class(initial={"client_id": uuid.uuid4().hex}, theme_list_id="themes")


@capture_view
def capture_page(request, access: CaptureAccess):
    form = new_form()
    if request.method == "POST":
        if limited := capture_rate_exceeded(request):
            return limited
        form = IdeaForm(request.POST, theme_list_id="themes")
        if form.is_valid():
            try:
                idea, created = services.add_idea(
                    access.group,
                    draft_from(form),
                    client_id=form.cleaned_data["client_id"],
                    actor=access.actor,
                    now=timezone.now(),
                )
            except DomainError as error:
                form.add_service_error(error)
            else:
                if created:
                    messages.success(request, _("Saved: “%(title)s”") % {"title": idea.title})
                else:
                    messages.info(request, _("This idea had already arrived; it is saved once."))
                return redirect(f"{access.url('page')}?saved={idea.client_id or ''}#idea-{idea.pk}")
    ideas = list(queries.group_ideas(access.group))
    for idea in ideas:
        idea.edit_url = access.url("edit", idea_id=idea.pk)
        idea.plenum_url = access.url("plenum", idea_id=idea.pk)
    context = {
        "page_url": access.url("page"),
        "queue_url": queue_url(access),
        "group": access.group,
        "event": access.group.event,
        "form": form,
        "ideas": ideas,
        "themes": known_themes(access.group),
        "saved_client_id": request.GET.get("saved", ""),
        "access_ends_at": access_ends_at(access.group.event),
    }
    return render(request, "ideas/capture.html", context, status=422 if form.errors else 200)


def queue_url(access: CaptureAccess) -> str:
    """The moderation queue: a moderator's of their group, an organiser's of the whole event."""
    if access.namespace == "moderated":
        return reverse("ideas:moderator_queue:queue", kwargs=access.url_kwargs)
    return reverse("ideas:event_queue:queue", kwargs={"slug": access.group.event.slug})


def known_themes(group: BreakoutGroup) -> list[str]:
    themes = Idea.objects.filter(event_id=group.event_id).exclude(theme="").values_list("theme", flat=True)
    return sorted(set(themes), key=str.casefold)


def own_idea(access: CaptureAccess, idea_id: int) -> Idea:
    """The idea, if the one asking may see it; a moderator never sees another group's ideas."""
    idea = get_object_or_404(Idea.objects.select_related("group__event", "merged_into"), pk=idea_id)
    ensure_can_handle(access.actor, idea, now=timezone.now())
    return idea


@capture_view
def edit_idea(request, access: CaptureAccess, idea_id: int):
    try:
        idea = own_idea(access, idea_id)
    except DomainError as error:
        return refusal(request, error)
    form = IdeaForm(
        initial={"title": idea.title, "text": idea.text, "theme": idea.theme, "for_plenum": idea.for_plenum},
        theme_list_id="themes",
    )
    if request.method == "POST":
        form = IdeaForm(request.POST, theme_list_id="themes")
        if form.is_valid():
            data = form.cleaned_data
            changes = services.IdeaChanges(
                title=data["title"], text=data["text"], theme=data["theme"], for_plenum=data["for_plenum"]
            )
            try:
                services.edit_idea(idea, changes, actor=access.actor, now=timezone.now())
            except DomainError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Changes saved."))
                return redirect(f"{access.url('page')}#idea-{idea.pk}")
    del form.fields["client_id"]
    context = {
        "page_url": access.url("page"),
        "merge_url": access.url("merge", idea_id=idea.pk),
        "group": access.group,
        "idea": idea,
        "form": form,
        "merge_form": MergeForm(candidates=merge_candidates(idea)),
        "themes": known_themes(access.group),
    }
    return render(request, "ideas/capture_edit.html", context, status=422 if form.errors else 200)


def merge_candidates(idea: Idea) -> list[Idea]:
    return list(Idea.objects.filter(group=idea.group, merged_into__isnull=True).exclude(pk=idea.pk).order_by("title"))


@capture_view
def mark_for_plenum(request, access: CaptureAccess, idea_id: int):
    if request.method != "POST":
        return redirect(access.url("page"))
    try:
        idea = own_idea(access, idea_id)
        marked = request.POST.get("for_plenum") == "1"
        services.edit_idea(idea, services.IdeaChanges(for_plenum=marked), actor=access.actor, now=timezone.now())
    except DomainError as error:
        return refusal(request, error)
    if marked:
        messages.success(request, _("“%(title)s” goes to the plenum.") % {"title": idea.title})
    else:
        messages.info(request, _("“%(title)s” stays in the group.") % {"title": idea.title})
    return redirect(f"{access.url('page')}#idea-{idea.pk}")


@capture_view
def merge_idea(request, access: CaptureAccess, idea_id: int):
    if request.method != "POST":
        return redirect(access.url("edit", idea_id=idea_id))
    try:
        survivor = own_idea(access, idea_id)
        form = MergeForm(request.POST, candidates=merge_candidates(survivor))
        if not form.is_valid():
            raise DomainError("nothing_to_merge", _("Choose the idea that says the same."), status=422)
        duplicate = own_idea(access, form.cleaned_data["duplicate"])
        services.merge_ideas(survivor, [duplicate], actor=access.actor, now=timezone.now())
    except DomainError as error:
        return refusal(request, error)
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
    return redirect(f"{access.url('page')}#idea-{survivor.pk}")


def table_thanks(idea: Idea) -> str:
    if idea.moderation == Moderation.APPROVED:
        return _("Thank you! Your idea “%(title)s” is with the group.") % {"title": idea.title}
    return _(
        "Thank you! Your idea “%(title)s” is with the group. It appears on the public pages once the moderation "
        "has approved it."
    ) % {"title": idea.title}


def table_form(request, key: str):
    group = get_object_or_404(BreakoutGroup.objects.select_related("event"), poster_key=key)
    if timezone.now() > access_ends_at(group.event):
        closed = AccessRefused("table_closed", _("This table no longer takes ideas: the event is over."))
        return refusal(request, closed, title=_("This table is closed"))
    form = new_form(TableIdeaForm)
    if request.method == "POST":
        if limited := capture_rate_exceeded(request):
            return limited
        form = TableIdeaForm(request.POST, theme_list_id="themes")
        if form.is_valid():
            try:
                idea, _created = services.add_idea_at_table(
                    group, draft_from(form), client_id=form.cleaned_data["client_id"], now=timezone.now()
                )
            except DomainError as error:
                form.add_service_error(error)
            else:
                messages.success(request, table_thanks(idea))
                return redirect(f"{reverse('ideas:table', args=[key])}?saved={idea.client_id or ''}")
    context = {
        "group": group,
        "event": group.event,
        "form": form,
        "themes": known_themes(group),
        "saved_client_id": request.GET.get("saved", ""),
    }
    response = render(request, "ideas/table.html", context, status=422 if form.errors else 200)
    response["X-Robots-Tag"] = "noindex"
    return response
