"""Exports of an event's ideas or a working group's backlog: CSV, a Markdown protocol for the
council, JSON, and a CSV whose columns fit CONSUL's proposal import (CONSUL has no write API).

Only what the public pages show leaves here: approved ideas (`Idea.objects.public()`), and never a
submitter's e-mail address.
"""

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.berlin import spreadsheet_time
from core.csv import neutralise
from core.templatetags.site import berlin
from events.models import Event
from ideas import queries
from ideas.models import Idea, IdeaStage, WorkingGroup

# CONSUL's limits for a proposal's title and summary (its form refuses longer ones).
CONSUL_TITLE_MAX = 80
CONSUL_SUMMARY_MAX = 200
CONSUL_DESCRIPTION_MAX = 6000


@dataclass(frozen=True)
class IdeaRecord:
    id: int
    title: str
    text: str
    theme: str
    event: str
    event_slug: str
    group: str
    # Where a live idea was sent from, in the export's language ("Livestream", "Zoom", "Saal").
    origin: str
    for_plenum: bool
    plenum_dots: int
    stage: str
    stage_label: str
    working_group: str
    backlog_item: str
    public_note: str
    rejection_reason: str
    merged_into: int | None
    created_at: str


def record(idea: Idea) -> IdeaRecord:
    """Needs the idea from `queries.ideas_with_stage` (its stage and dots loaded)."""
    current = idea.current
    item = current.backlog_item if current.backlog_item_id else None
    return IdeaRecord(
        id=idea.pk,
        title=idea.title,
        text=idea.text,
        theme=idea.theme,
        event=idea.event.title,
        event_slug=idea.event.slug,
        group=idea.group.name if idea.group_id else "",
        origin=idea.get_via_display() if idea.via else "",
        for_plenum=idea.for_plenum,
        plenum_dots=idea.plenum_dots,
        stage=idea.stage.value,
        stage_label=str(idea.stage.label),
        working_group=current.working_group.title if current.working_group_id else "",
        backlog_item=item.title if item else "",
        public_note=item.public_note if item else "",
        rejection_reason=item.rejection_reason if item else "",
        merged_into=idea.merged_into_id,
        created_at=idea.created_at.isoformat(),
    )


def event_records(event: Event) -> list[IdeaRecord]:
    return [record(idea) for idea in event_ideas(event)]


def working_group_records(group: WorkingGroup) -> list[IdeaRecord]:
    return [record(idea) for idea in working_group_ideas(group)]


def consul_file(header: list[str], rows) -> str:
    """CONSUL's import reads commas and its own English column names, so this one file keeps
    them; its cells are neutralised like those of every export (`core.csv`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def ideas_csv_head() -> list[str]:
    """The columns of the ideas table, in the request's language, as in the other exports."""
    return [
        _("No."),
        _("Title"),
        _("Text"),
        _("Theme"),
        _("Event"),
        _("Group"),
        _("Sent from"),
        _("Taken to the plenum"),
        _("Dots in the plenum"),
        _("Status"),
        _("Working group"),
        _("Backlog item"),
        _("Public note"),
        _("Reason for rejection"),
        _("Merged into no."),
        _("Submitted at"),
    ]


def ideas_csv_rows(ideas: Iterable[Idea]) -> Iterable[list]:
    """One line per idea (from `queries.ideas_with_stage`), text as the citizen wrote it. The
    labels are translated now, in the request's language: the lines are written later, while
    the server sends the response."""
    yes_no = {True: _("yes"), False: _("no")}
    stages = {stage: str(stage.label) for stage in IdeaStage}
    return (idea_line(idea, yes_no, stages) for idea in ideas)


def idea_line(idea: Idea, yes_no: dict, stages: dict) -> list:
    current = idea.current
    item = current.backlog_item if current.backlog_item_id else None
    return [
        idea.pk,
        idea.title,
        idea.text,
        idea.theme,
        idea.event.title,
        idea.group.name if idea.group_id else "",
        idea.get_via_display() if idea.via else "",
        yes_no[idea.for_plenum],
        idea.plenum_dots,
        stages[idea.stage],
        current.working_group.title if current.working_group_id else "",
        item.title if item else "",
        item.public_note if item else "",
        item.rejection_reason if item else "",
        idea.merged_into_id or "",
        spreadsheet_time(idea.created_at),
    ]


def event_ideas(event: Event):
    return queries.ideas_with_stage().public().filter(event=event)


def working_group_ideas(group: WorkingGroup):
    """Every idea the working group carries, with the ideas merged into them (their origins)."""
    ideas = queries.ideas_with_stage().public().filter(Q(working_group=group) | Q(merged_into__working_group=group))
    return ideas.order_by("created_at", "pk")


def ideas_json(subject: dict, records: list[IdeaRecord], **extra) -> str:
    document = {**subject, "exported_at": timezone.now().isoformat(), "ideas": [asdict(r) for r in records], **extra}
    return json.dumps(document, ensure_ascii=False, indent=2)


def event_subject(event: Event) -> dict:
    return {"event": {"slug": event.slug, "title": event.title, "starts_at": event.starts_at.isoformat()}}


def working_group_subject(group: WorkingGroup) -> dict:
    return {"working_group": {"slug": group.slug, "title": group.title, "description": group.description}}


def backlog_json(group: WorkingGroup, records: list[IdeaRecord]) -> str:
    items = [
        {
            "id": item.pk,
            "position": item.position,
            "title": item.title,
            "status": item.status,
            "public_note": item.public_note,
            "rejection_reason": item.rejection_reason,
            "plenum_dots": item.dots,
            "idea_ids": [idea.pk for idea in item.item_ideas],
        }
        for item in queries.backlog_items(group)
    ]
    return ideas_json(working_group_subject(group), records, items=items)


# Characters that format text wherever they stand; and what does at the start of a line only
# (a heading, a quote, a list item, a rule or heading underline, "1." of a numbered list).
MARKDOWN_INLINE = "\\`*_[]<>|~"
MARKDOWN_LINE_START = re.compile(r"^[#>+=-]")
MARKDOWN_NUMBERED = re.compile(r"^(\d+)([.)])")


def escape_markdown(text: str) -> str:
    """Citizens' words stay words: no heading, list, link, HTML or emphasis sneaks into the
    protocol, and nothing else is escaped, so "ÖPNV-Takt (Linie 5)" reads as written."""
    escaped = "".join("\\" + char if char in MARKDOWN_INLINE else char for char in " ".join(text.split()))
    if MARKDOWN_LINE_START.match(escaped):
        return "\\" + escaped
    return MARKDOWN_NUMBERED.sub(r"\1\\\2", escaped, count=1)


def event_protocol(event: Event) -> str:
    lines = [
        "# " + _("Ideas from “%(event)s”") % {"event": escape_markdown(event.title)},
        "",
        _("Event on %(date)s · exported on %(now)s") % {"date": berlin(event.starts_at), "now": berlin(timezone.now())},
    ]
    for group in queries.event_groups_with_ideas(event):
        lines += ["", f"## {escape_markdown(group.name)}"]
        if group.topic:
            lines += ["", escape_markdown(group.topic)]
        lines.append("")
        if not group.all_ideas:
            lines.append(_("No ideas."))
        for idea in group.all_ideas:
            lines += protocol_idea(idea)
    return "\n".join(lines) + "\n"


def protocol_idea(idea: Idea, *, with_origin: bool = False, with_stage: bool = True) -> list[str]:
    facts = [_("Status: %(stage)s") % {"stage": idea.stage.label}] if with_stage else []
    if idea.theme:
        facts.append(_("Theme: %(theme)s") % {"theme": escape_markdown(idea.theme)})
    if idea.for_plenum:
        facts.append(_("taken to the plenum"))
    # Ideas listed under a backlog item have no count of their own: the item shows their sum.
    if getattr(idea, "plenum_dots", 0):
        facts.append(
            ngettext("%(dots)s dot in the plenum", "%(dots)s dots in the plenum", idea.plenum_dots)
            % {"dots": idea.plenum_dots}
        )
    if idea.merged_into_id:
        facts.append(_("merged into “%(title)s”") % {"title": escape_markdown(idea.merged_into.title)})
    if with_origin:
        facts.append(escape_markdown(idea.origin_label))
    elif idea.via:
        facts.append(_("sent from: %(origin)s") % {"origin": idea.get_via_display()})
    details = f" ({'; '.join(str(fact) for fact in facts)})" if facts else ""
    lines = [f"- **{escape_markdown(idea.title)}**{details}"]
    if idea.text:
        lines.append(f"  {escape_markdown(idea.text)}")
    return lines


def backlog_protocol(group: WorkingGroup) -> str:
    lines = ["# " + _("Working group “%(title)s”") % {"title": escape_markdown(group.title)}, ""]
    if group.description:
        lines += [escape_markdown(group.description), ""]
    lines += [_("Exported on %(now)s") % {"now": berlin(timezone.now())}, "", "## " + _("Backlog"), ""]
    items = queries.backlog_items(group)
    if not items:
        lines.append(_("The backlog is empty."))
    for item in items:
        status = _("Status: %(stage)s") % {"stage": item.get_status_display()}
        if item.dots:
            status += " – " + ngettext("%(dots)s dot in the plenum", "%(dots)s dots in the plenum", item.dots) % {
                "dots": item.dots
            }
        lines.append(f"{item.position}. **{escape_markdown(item.title)}** – {status}")
        if item.public_note:
            lines.append(f"   {escape_markdown(item.public_note)}")
        if item.rejection_reason:
            reason = _("Reason for rejection: %(reason)s") % {"reason": escape_markdown(item.rejection_reason)}
            lines.append(f"   {reason}")
        for idea in item.item_ideas:
            lines += ["   " + line for line in protocol_idea(idea, with_origin=True, with_stage=False)]
            also = _("also raised in:")
            lines += [f"     - {also} {escape_markdown(d.origin_label)}" for d in idea.duplicates.all()]
    waiting = queries.waiting_ideas(group)
    if waiting:
        lines += ["", "## " + _("Not yet in the backlog"), ""]
        for idea in waiting:
            lines += protocol_idea(idea, with_origin=True)
    return "\n".join(lines) + "\n"


def consul_csv(rows) -> str:
    """`rows` are (title, summary, description, tags) tuples; tags is a list."""
    return consul_file(
        ["title", "summary", "description", "tags"],
        (
            (
                shorten(title, CONSUL_TITLE_MAX),
                shorten(summary, CONSUL_SUMMARY_MAX),
                shorten(description, CONSUL_DESCRIPTION_MAX),
                ", ".join(tag.replace(",", " ") for tag in tags if tag),
            )
            for title, summary, description, tags in rows
        ),
    )


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split()) if limit <= CONSUL_SUMMARY_MAX else text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def event_consul_rows(event: Event):
    for idea in queries.ideas_with_stage().public().filter(event=event, merged_into__isnull=True):
        description = "\n\n".join(
            part for part in (idea.text, _("From: %(origin)s") % {"origin": idea.origin_label}) if part
        )
        yield (
            idea.title,
            idea.text or idea.title,
            description,
            [idea.theme, idea.group.name if idea.group_id else "", idea.get_via_display() if idea.via else ""],
        )


def working_group_consul_rows(group: WorkingGroup):
    for item in queries.backlog_items(group):
        if item.status == "rejected":
            continue
        ideas = "\n".join(f"- {idea.title} ({idea.origin_label})" for idea in item.item_ideas)
        description = "\n\n".join(part for part in (item.public_note, ideas) if part)
        themes = sorted({idea.theme for idea in item.item_ideas if idea.theme})
        summary = item.public_note or "; ".join(idea.title for idea in item.item_ideas)
        yield item.title, summary, description, [group.title, *themes]
