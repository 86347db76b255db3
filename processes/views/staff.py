"""The organisers' pages of a process: create it, edit its texts, phases, events and working
groups. Every change is a call of processes.services with its audit line."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.errors import DomainError
from events.access import Forbidden, member_page
from events.models import Event
from ideas.models import WorkingGroup
from processes import services
from processes.access import may_create_process, process_for, processes_of
from processes.forms import InviteMembersForm, LinkEventForm, LinkWorkingGroupForm, PhaseForm, ProcessForm
from processes.models import Meeting
from processes.subscriptions import invite_members as invite_members_to
from processes.subscriptions import members_of
from processes.subscriptions import remove_head_start as remove_head_start_of


def form_status(*forms) -> int:
    return 422 if any(form.is_bound and form.errors for form in forms) else 200


def refuse(form, refusal: DomainError) -> None:
    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)


@member_page
def process_list(request):
    return render(
        request,
        "processes/staff/process_list.html",
        {
            "processes": processes_of(request.user).prefetch_related("phases"),
            "may_create": may_create_process(request.user),
        },
    )


@member_page
def new_process(request):
    if not may_create_process(request.user):
        raise Forbidden("forbidden", _("Only organisers may create processes."))
    form = ProcessForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            process = services.create_process(form.data_for_service(), actor=request.user, now=timezone.now())
        except DomainError as refusal:
            refuse(form, refusal)
        else:
            messages.success(request, _("The process is saved. Add its phases, events and working groups."))
            return redirect("processes:edit", process.slug)
    return render(request, "processes/staff/new_process.html", {"form": form}, status=form_status(form))


def render_edit(request, process, *, form=None, phase_form=None, event_form=None, group_form=None, invite_forms=None):
    form = form or ProcessForm.for_process(process)
    phase_form = phase_form or PhaseForm()
    event_form = event_form or LinkEventForm(user=request.user, process=process)
    group_form = group_form or LinkWorkingGroupForm(process=process)
    groups = list(
        process.working_groups.order_by("title").prefetch_related("meetings__event", "meetings__early_access")
    )
    events = list(process.events.order_by("starts_at"))
    for group in groups:
        for meeting in group.meetings.all():
            # A meeting's head start is this team's to take back where its event is the process's.
            meeting.of_this_process = meeting.event in events
        group.invite_form = (invite_forms or {}).get(group.pk) or InviteMembersForm(
            process=process, prefix=f"invite-{group.slug}"
        )
        group.member_count = members_of(group).count()
    context = {
        "process": process,
        "form": form,
        "phase_form": phase_form,
        "event_form": event_form,
        "group_form": group_form,
        "phases": process.phases.all(),
        "events": events,
        "working_groups": groups,
    }
    status = form_status(form, phase_form, event_form, group_form, *(invite_forms or {}).values())
    return render(request, "processes/staff/edit_process.html", context, status=status)


@member_page
def edit_process(request, slug):
    process = process_for(request.user, slug)
    if request.method != "POST":
        return render_edit(request, process)
    form = ProcessForm(request.POST)
    if form.is_valid():
        try:
            process = services.update_process(process, form.data_for_service(), actor=request.user, now=timezone.now())
        except DomainError as refusal:
            refuse(form, refusal)
        else:
            messages.success(request, _("The process is saved."))
            return redirect("processes:edit", process.slug)
    return render_edit(request, process, form=form)


@require_POST
@member_page
def add_phase(request, slug):
    process = process_for(request.user, slug)
    form = PhaseForm(request.POST)
    if form.is_valid():
        try:
            services.add_phase(process, form.data_for_service(), actor=request.user, now=timezone.now())
        except DomainError as refusal:
            refuse(form, refusal)
        else:
            messages.success(request, _("The phase is added."))
            return redirect("processes:edit", process.slug)
    return render_edit(request, process, phase_form=form)


@require_POST
@member_page
def remove_phase(request, slug, phase_id):
    process = process_for(request.user, slug)
    services.remove_phase(get_object_or_404(process.phases, pk=phase_id), actor=request.user, now=timezone.now())
    messages.success(request, _("The phase is removed."))
    return redirect("processes:edit", process.slug)


@require_POST
@member_page
def link_event(request, slug):
    process = process_for(request.user, slug)
    form = LinkEventForm(request.POST, user=request.user, process=process)
    if form.is_valid():
        try:
            services.link_event(process, form.cleaned_data["event"], actor=request.user, now=timezone.now())
        except DomainError as refusal:
            refuse(form, refusal)
        else:
            messages.success(request, _("The event belongs to the process now."))
            return redirect("processes:edit", process.slug)
    return render_edit(request, process, event_form=form)


@require_POST
@member_page
def unlink_event(request, slug, event_slug):
    process = process_for(request.user, slug)
    event = get_object_or_404(Event, processes=process, slug=event_slug)
    services.unlink_event(process, event, actor=request.user, now=timezone.now())
    messages.success(request, _("The event is no longer part of the process."))
    return redirect("processes:edit", process.slug)


@require_POST
@member_page
def link_working_group(request, slug):
    process = process_for(request.user, slug)
    form = LinkWorkingGroupForm(request.POST, process=process)
    if form.is_valid():
        services.link_working_group(process, form.cleaned_data["working_group"], actor=request.user, now=timezone.now())
        messages.success(request, _("The working group belongs to the process now."))
        return redirect("processes:edit", process.slug)
    return render_edit(request, process, group_form=form)


@require_POST
@member_page
def unlink_working_group(request, slug, group_slug):
    process = process_for(request.user, slug)
    group = get_object_or_404(WorkingGroup, processes=process, slug=group_slug)
    services.unlink_working_group(process, group, actor=request.user, now=timezone.now())
    messages.success(request, _("The working group is no longer part of the process."))
    return redirect("processes:edit", process.slug)


@require_POST
@member_page
def invite_members(request, slug, group_slug):
    process = process_for(request.user, slug)
    group = get_object_or_404(WorkingGroup, processes=process, slug=group_slug)
    form = InviteMembersForm(request.POST, process=process, prefix=f"invite-{group.slug}")
    if form.is_valid():
        try:
            meeting = invite_members_to(
                group,
                form.cleaned_data["event"],
                members_from=form.cleaned_data["members_from"],
                actor=request.user,
                now=timezone.now(),
            )
        except DomainError as refusal:
            form.add_service_error(refusal)
        else:
            messages.success(
                request,
                ngettext("%(count)d member invited.", "%(count)d members invited.", meeting.invited)
                % {"count": meeting.invited},
            )
            return redirect("processes:edit", process.slug)
    return render_edit(request, process, invite_forms={group.pk: form})


@require_POST
@member_page
def remove_head_start(request, slug, group_slug, event_slug):
    """Take the members' head start for a meeting back, as the team that may set it."""
    process = process_for(request.user, slug)
    meeting = get_object_or_404(
        Meeting.objects.select_related("event"),
        working_group__processes=process,
        working_group__slug=group_slug,
        event__processes=process,
        event__slug=event_slug,
    )
    try:
        remove_head_start_of(meeting, actor=request.user, now=timezone.now())
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("The members' head start for “%(event)s” is removed: they register when registration opens to all.")
            % {"event": meeting.event.title},
        )
    return redirect("processes:edit", process.slug)
