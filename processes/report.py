"""What became of the ideas: the result of a process, section by section, with the items each
takes up and the ideas behind each item, where they were said. One template for the page and
the PDF (WeasyPrint); a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.db.models import Prefetch

from ideas.models import Idea
from processes.models import Process, Result, ResultSection, SectionItem

PRINT_CSS = "processes/report.css"


@dataclass
class Report:
    process: Process
    result: Result
    # Each section's `items` carry `ideas`: the public ideas behind the item.
    sections: list[ResultSection]


def report_of(process: Process, result: Result) -> Report:
    items = SectionItem.objects.select_related("item__working_group").order_by(
        "item__working_group__title", "item__position"
    )
    sections = list(result.sections.prefetch_related(Prefetch("items", queryset=items)))
    item_ids = [linked.item_id for section in sections for linked in section.items.all()]
    ideas_of_item = defaultdict(list)
    ideas = (
        Idea.objects.public().filter(backlog_item__in=item_ids).select_related("event", "group").order_by("created_at")
    )
    for idea in ideas:
        ideas_of_item[idea.backlog_item_id].append(idea)
    for section in sections:
        for linked in section.items.all():
            linked.ideas = ideas_of_item.get(linked.item_id, [])
    return Report(process=process, result=result, sections=sections)


def published_accounts(item_id: int) -> list[SectionItem]:
    """Where published results of published processes account for a backlog item: each with its
    section, result and process, in one query however many there are."""
    return list(
        SectionItem.objects.filter(
            item_id=item_id, section__result__published=True, section__result__process__published=True
        )
        .select_related("section__result__process")
        .order_by("section__result__process__title_de", "section__position", "section__pk")
    )


def print_css() -> str:
    with open(finders.find(PRINT_CSS), encoding="utf-8") as stylesheet:
        return stylesheet.read()
