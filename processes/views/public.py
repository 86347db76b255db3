"""The public pages of a process: the list, the process page with its timeline and figures, its
calendar feed, the frame for the city's website and the open data (docs/processes.md)."""

from datetime import datetime

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone

from core.csv import streamed_csv
from core.public_pages import public_page
from events.models import Event
from events.views import ics_response
from ideas.access import can_lead
from processes.access import may_manage
from processes.models import Meeting, Process, Result
from processes.opendata import COLUMNS, KINDS, ROWS, open_data
from processes.queries import figures, public_events, timeline, working_groups
from registrations.early_access import still_ahead


def visible_process(request, slug: str) -> Process:
    """A published process, or a draft for its team (as a preview); 404 for anyone else."""
    process = get_object_or_404(Process, slug=slug)
    if not process.published and not may_manage(request.user, process):
        raise Http404
    return process


@public_page
def process_list(request):
    processes = Process.objects.public().prefetch_related("phases")
    return render(request, "processes/process_list.html", {"processes": processes, "today": timezone.localdate()})


@public_page
def process_detail(request, slug):
    process = visible_process(request, slug)
    now = timezone.now()
    response = render(
        request,
        "processes/process_detail.html",
        {
            "process": process,
            "preview": not process.published,
            "timeline": timeline(process, now=now),
            "today": timezone.localdate(),
            "figures": figures(process),
            "working_groups": working_groups(process),
            "result": Result.objects.filter(process=process, published=True).first(),
        },
    )
    if not process.published:
        response["Cache-Control"] = "private, no-store"
    return response


def process_calendar(request, slug):
    process = get_object_or_404(Process.objects.public(), slug=slug)
    return ics_response(request, list(public_events(process)), name=process.title, filename=f"{process.slug}.ics")


def embed(request, slug):
    """The coming events of a process with registration links, to be framed by the city's sites:
    no script, no site chrome, links open in the top window. Only the origins in EMBED_ORIGINS may
    frame it; with none configured it keeps `frame-ancestors 'none'` like every other page."""
    process = get_object_or_404(Process.objects.public(), slug=slug)
    now = timezone.now()
    response = render(
        request, "processes/embed.html", {"process": process, "events": timeline(process, now=now).coming}
    )
    allowed = settings.EMBED_ORIGINS
    if allowed:
        response._csp_config = {**settings.SECURE_CSP, "frame-ancestors": list(allowed)}
        response.xframe_options_exempt = True
    return response


def absolute_urls(request):
    return request.build_absolute_uri


def open_data_json(request, slug):
    process = get_object_or_404(Process.objects.public().prefetch_related("phases"), slug=slug)
    response = JsonResponse(open_data(process, absolute_urls(request)), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # open data: anyone's script may read it
    return response


def open_data_csv(request, slug, kind):
    if kind not in KINDS:
        raise Http404
    process = get_object_or_404(Process.objects.public(), slug=slug)
    rows = ROWS[kind](process, absolute_urls(request))
    columns = COLUMNS[kind]
    response = streamed_csv(
        [*columns, "licence"],
        ([*(row[column] for column in columns), process.licence] for row in rows),
        filename=f"{process.slug}-{kind}.csv",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def process_links_section(request, event: Event) -> str | None:
    """On an event's page: the published processes it belongs to."""
    processes = [process for process in event.processes.all() if process.published]
    if not processes:
        return None
    return render_to_string("processes/_event_link.html", {"processes": processes}, request=request)


def working_group_section(request, group) -> str:
    """On a working group's page: its processes, joining and following, its coming meetings (with
    the members' head start while it matters), and for its leads the list of members."""
    now = timezone.now()
    meetings = list(
        group.meetings.filter(event__in=Event.objects.public(), event__ends_at__gte=now)
        .select_related("event", "early_access__event")
        .order_by("event__starts_at")
    )
    for meeting in meetings:
        meeting.members_from = members_may_register_from(meeting, now=now)
    return render_to_string(
        "processes/_working_group_section.html",
        {
            "working_group": group,
            "processes": [process for process in group.processes.all() if process.published],
            "is_lead": can_lead(request.user, group),
            "meetings": meetings,
        },
        request=request,
    )


def members_may_register_from(meeting: Meeting, *, now) -> datetime | None:
    """When the group's members may register for the meeting, while their head start matters."""
    head_start = meeting.early_access
    return head_start.opens_at if head_start is not None and still_ahead(head_start, now=now) else None


def meeting_section(request, event: Event) -> str | None:
    """On an event's page, before registration opens to all: the working groups whose members
    may register earlier, and from when."""
    now = timezone.now()
    if now >= event.registration_opens_at:
        return None
    meetings = [
        meeting
        for meeting in Meeting.objects.filter(event=event, early_access__isnull=False).select_related(
            "working_group", "early_access__event"
        )
        if members_may_register_from(meeting, now=now)
    ]
    if not meetings:
        return None
    return render_to_string("processes/_meeting_head_start.html", {"meetings": meetings}, request=request)
