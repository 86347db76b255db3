"""Downloads of an event's ideas (its organisers) and of a working group's backlog (its leads
and organisers) in the formats of `ideas.exports`."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.csv import streamed_csv
from core.errors import DomainError
from events.access import Capability, member_page, organiser_page, organises_any_event
from events.models import Event
from ideas import exports
from ideas.access import can_lead
from ideas.models import WorkingGroup
from ideas.views.common import refusal

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "consul.csv": "text/csv; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
}


def download(content: str, filename: str, fmt: str) -> HttpResponse:
    if fmt == "consul.csv":
        # The byte order mark lets spreadsheet programs read umlauts right.
        content = "\ufeff" + content
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def ideas_table(ideas, stem: str):
    """The ideas as CSV in the format of every export (`core.csv`); the name carries the time."""
    stamp = timezone.localtime(timezone.now()).strftime("%Y-%m-%d-%H%M")
    return streamed_csv(exports.ideas_csv_head(), exports.ideas_csv_rows(ideas), filename=f"{stem}-{stamp}.csv")


@organiser_page(Capability.MODERATE)
def event_export(request, event: Event, fmt: str):
    if fmt not in CONTENT_TYPES:
        raise Http404
    if fmt == "md":
        content = exports.event_protocol(event)
    elif fmt == "consul.csv":
        content = exports.consul_csv(exports.event_consul_rows(event))
    elif fmt == "json":
        content = exports.ideas_json(exports.event_subject(event), exports.event_records(event))
    else:
        return ideas_table(exports.event_ideas(event), f"ideen-{event.slug}")
    return download(content, f"ideen-{event.slug}", fmt)


@member_page
def working_group_export(request, slug: str, fmt: str):
    group = get_object_or_404(WorkingGroup, slug=slug)
    if fmt not in CONTENT_TYPES:
        raise Http404
    if not (can_lead(request.user, group) or organises_any_event(request.user)):
        message = _("Only the leads of this working group and organisers may download its backlog.")
        return refusal(request, DomainError("not_working_group_lead", message, status=403))
    if fmt == "md":
        content = exports.backlog_protocol(group)
    elif fmt == "consul.csv":
        content = exports.consul_csv(exports.working_group_consul_rows(group))
    elif fmt == "json":
        content = exports.backlog_json(group, exports.working_group_records(group))
    else:
        return ideas_table(exports.working_group_ideas(group), f"arbeitsgruppe-{group.slug}")
    return download(content, f"arbeitsgruppe-{group.slug}", fmt)
