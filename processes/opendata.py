"""The open data of a process: what the public pages show, machine-readable, with its licence.
Anonymous counts only: no name, address or anything else of a person."""

from django.db.models import Q
from django.urls import reverse

from processes.models import Process, Result
from processes.queries import TAKING_PART, items_of, public_events, public_ideas
from registrations.models import Registration, people

KINDS = ("events", "ideas", "items")


def event_rows(process: Process, absolute) -> list[dict]:
    counts = {
        row["event_id"]: row
        for row in Registration.objects.filter(event__processes=process)
        .values("event_id")
        .annotate(taking_part=people(filter=TAKING_PART), came=people(filter=Q(checked_in_at__isnull=False)))
    }
    return [
        {
            "slug": event.slug,
            "title_de": event.title_de,
            "title_en": event.title_en,
            "starts_at": event.starts_at.isoformat(),
            "ends_at": event.ends_at.isoformat(),
            "format": event.format,
            "status": event.status,
            "url": absolute(event.get_absolute_url()),
            "participants": counts.get(event.pk, {}).get("taking_part", 0),
            "came": counts.get(event.pk, {}).get("came", 0),
        }
        for event in public_events(process)
    ]


def idea_rows(process: Process, absolute) -> list[dict]:
    ideas = (
        public_ideas(process)
        .select_related("event", "working_group", "backlog_item")
        .order_by("event__starts_at", "pk")
    )
    return [
        {
            "id": idea.pk,
            "event": idea.event.slug,
            "title": idea.title,
            "text": idea.text,
            "theme": idea.theme,
            "for_plenum": idea.for_plenum,
            "working_group": idea.working_group.slug if idea.working_group else "",
            "backlog_item": idea.backlog_item_id or "",
        }
        for idea in ideas
    ]


def item_rows(process: Process, absolute) -> list[dict]:
    items = items_of(process).select_related("working_group").order_by("working_group__slug", "position")
    return [
        {
            "id": item.pk,
            "working_group": item.working_group.slug,
            "title": item.title,
            "status": item.status,
            "public_note": item.public_note,
            "reason": item.rejection_reason,
            "url": absolute(reverse("ideas:working_group", args=[item.working_group.slug])),
        }
        for item in items
    ]


ROWS = {"events": event_rows, "ideas": idea_rows, "items": item_rows}
# The columns of each kind, for a CSV that has a header even when it has no rows.
COLUMNS = {
    "events": [
        "slug",
        "title_de",
        "title_en",
        "starts_at",
        "ends_at",
        "format",
        "status",
        "url",
        "participants",
        "came",
    ],
    "ideas": ["id", "event", "title", "text", "theme", "for_plenum", "working_group", "backlog_item"],
    "items": ["id", "working_group", "title", "status", "public_note", "reason", "url"],
}


def result_data(process: Process) -> dict | None:
    """The published result with the account of each item (no person in it)."""
    result = Result.objects.filter(process=process, published=True).first()
    if result is None:
        return None
    sections = result.sections.prefetch_related("items")
    return {
        "title_de": result.title_de,
        "title_en": result.title_en,
        "adopted_on": result.adopted_on.isoformat() if result.adopted_on else None,
        "sections": [
            {
                "heading_de": section.heading_de,
                "heading_en": section.heading_en,
                "items": [
                    {
                        "item": linked.item_id,
                        "adoption": linked.adoption,
                        "progress": linked.progress,
                        "reason": linked.reason,
                    }
                    for linked in section.items.all()
                ],
            }
            for section in sections
        ],
    }


def open_data(process: Process, absolute) -> dict:
    return {
        "process": {
            "slug": process.slug,
            "title_de": process.title_de,
            "title_en": process.title_en,
            "description_de": process.description_de,
            "description_en": process.description_en,
            "url": absolute(process.get_absolute_url()),
            "licence": process.licence,
        },
        "phases": [
            {
                "title_de": phase.title_de,
                "title_en": phase.title_en,
                "starts_on": phase.starts_on.isoformat(),
                "ends_on": phase.ends_on.isoformat(),
            }
            for phase in process.phases.all()
        ],
        **{kind: ROWS[kind](process, absolute) for kind in KINDS},
        "result": result_data(process),
    }
