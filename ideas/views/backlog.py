"""The leads' page of a working group: make backlog items from the ideas handed to the group,
order them, and move them through their statuses with a public note."""

from functools import wraps

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import DomainError
from events.access import member_page
from events.models import AuditEntry
from ideas import queries, services
from ideas.access import can_lead
from ideas.forms import BacklogItemForm, ItemUpdateForm, LeadsForm, MoveItemForm, RejectItemForm
from ideas.models import BacklogItem, BacklogStatus, WorkingGroup
from ideas.views.common import refusal

HISTORY_LENGTH = 30
HISTORY_ACTIONS = {
    "working_group.created": gettext_lazy("working group founded"),
    "backlog_item.created": gettext_lazy("item added"),
    "backlog_item.updated": gettext_lazy("item changed"),
    "working_group.leads_changed": gettext_lazy("leads changed"),
}


def lead_view(view):
    @member_page
    @wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        group = get_object_or_404(WorkingGroup, slug=slug)
        if not can_lead(request.user, group):
            error = DomainError(
                "not_working_group_lead", _("Only the leads of this working group may open this page."), status=403
            )
            return refusal(request, error)
        return view(request, group, *args, **kwargs)

    return wrapper


def backlog_order(request) -> str:
    return "dots" if request.GET.get("sort") == "dots" else "position"


def item_form(item: BacklogItem, data=None) -> ItemUpdateForm:
    initial = {
        "status": item.status,
        "position": item.position,
        "public_note": item.public_note,
        "rejection_reason": item.rejection_reason,
    }
    return ItemUpdateForm(data, initial=initial, prefix=f"item-{item.pk}")


@lead_view
def backlog(request, group: WorkingGroup):
    return render_backlog(request, group)


def render_backlog(request, group: WorkingGroup, *, new_item_form=None, failed_form=None, leads_form=None):
    order = backlog_order(request)
    items = queries.backlog_items(group, order=order)
    for item in items:
        item.form = failed_form if failed_form and failed_form.prefix == f"item-{item.pk}" else item_form(item)
    waiting = queries.waiting_ideas(group)
    history = list(AuditEntry.objects.filter(data__working_group=group.slug).order_by("-at", "-pk")[:HISTORY_LENGTH])
    for entry in history:
        entry.label = HISTORY_ACTIONS.get(entry.action, entry.action)
    context = {
        "working_group": group,
        "items": items,
        "order": order,
        "waiting": waiting,
        "new_item_form": new_item_form or BacklogItemForm(ideas=waiting),
        "history": history,
        "leads_form": leads_form or LeadsForm(initial={"leads": group.leads.all()}),
    }
    failed = new_item_form or failed_form or leads_form
    return render(request, "ideas/backlog.html", context, status=422 if failed else 200)


def backlog_url(group: WorkingGroup) -> str:
    return reverse("ideas:backlog", args=[group.slug])


@require_POST
@lead_view
def add_item(request, group: WorkingGroup):
    waiting = queries.waiting_ideas(group)
    form = BacklogItemForm(request.POST, ideas=waiting)
    if form.is_valid():
        try:
            item = services.create_backlog_item(
                group, form.cleaned_data["title"], form.cleaned_data["ideas"], actor=request.user, now=timezone.now()
            )
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("“%(title)s” is now in the backlog.") % {"title": item.title})
            return redirect(f"{backlog_url(group)}#item-{item.pk}")
    return render_backlog(request, group, new_item_form=form)


@require_POST
@lead_view
def update_item(request, group: WorkingGroup, item_id: int):
    item = get_object_or_404(BacklogItem.objects.select_related("working_group"), pk=item_id, working_group=group)
    if "move" in request.POST:
        changes = services.ItemChanges(position=max(1, item.position + (1 if request.POST["move"] == "down" else -1)))
        form = None
    else:
        form = item_form(item, request.POST)
        if not form.is_valid():
            return render_backlog(request, group, failed_form=form)
        data = form.cleaned_data
        changes = services.ItemChanges(
            status=data["status"],
            position=data["position"],
            public_note=data["public_note"],
            rejection_reason=data["rejection_reason"],
        )
    try:
        services.update_backlog_item(item, changes, actor=request.user, now=timezone.now())
    except DomainError as error:
        if form is None:
            messages.error(request, error.message)
            return redirect(f"{backlog_url(group)}#item-{item.pk}")
        form.add_service_error(error)
        return render_backlog(request, group, failed_form=form)
    messages.success(request, _("“%(title)s” updated.") % {"title": item.title})
    return redirect(f"{backlog_url(group)}#item-{item.pk}")


@require_POST
@lead_view
def change_leads(request, group: WorkingGroup):
    form = LeadsForm(request.POST)
    if form.is_valid():
        try:
            services.set_leads(group, form.cleaned_data["leads"], actor=request.user, now=timezone.now())
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The leads of “%(title)s” are saved.") % {"title": group.title})
            return redirect(f"{backlog_url(group)}#leads-heading")
    return render_backlog(request, group, leads_form=form)


@lead_view
def board(request, group: WorkingGroup):
    return render_board(request, group)


def render_board(request, group: WorkingGroup, *, failed_form: RejectItemForm | None = None):
    """The backlog as a board: one column per status, each item moved with a button (a form,
    so it works without JavaScript); editing the item stays on the backlog page."""
    items = queries.backlog_items(group, order="position")
    columns = []
    for status, label in BacklogStatus.choices:
        column = [item for item in items if item.status == status]
        for item in column:
            failed = failed_form if failed_form is not None and failed_form.prefix == f"move-{item.pk}" else None
            item.reject_form = failed or RejectItemForm(
                initial={"status": BacklogStatus.REJECTED, "rejection_reason": item.rejection_reason},
                prefix=f"move-{item.pk}",
            )
            item.moves = [(other, other_label) for other, other_label in BacklogStatus.choices if other != status]
        columns.append({"status": status, "label": label, "items": column})
    context = {"working_group": group, "columns": columns, "rejected": BacklogStatus.REJECTED}
    return render(request, "ideas/backlog_board.html", context, status=422 if failed_form else 200)


@require_POST
@lead_view
def move_item(request, group: WorkingGroup, item_id: int):
    item = get_object_or_404(BacklogItem, pk=item_id, working_group=group)
    prefix = f"move-{item.pk}"
    rejecting = request.POST.get(f"{prefix}-status") == BacklogStatus.REJECTED
    form = (RejectItemForm if rejecting else MoveItemForm)(request.POST, prefix=prefix)
    if form.is_valid():
        data = form.cleaned_data
        reason = data["rejection_reason"] if data["status"] == BacklogStatus.REJECTED else None
        changes = services.ItemChanges(status=data["status"], rejection_reason=reason)
        try:
            services.update_backlog_item(item, changes, actor=request.user, now=timezone.now())
        except DomainError as error:
            form.add_service_error(error)
        else:
            moved = {"title": item.title, "status": BacklogStatus(data["status"]).label}
            messages.success(request, _("“%(title)s” is now: %(status)s.") % moved)
            return redirect(f"{reverse('ideas:backlog_board', args=[group.slug])}#board-item-{item.pk}")
    return render_board(request, group, failed_form=form)
