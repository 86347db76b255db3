"""What the pages and the API read, each in a fixed number of queries however many ideas there
are (the tests pin these counts for 10 and for 1,000 ideas).

Everything read for the public (pages, wall, API, exports) goes through `Idea.objects.public()`:
approved ideas only. Only the capture page and the moderation queue see the others."""

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from events.models import Event
from ideas.models import BacklogItem, BreakoutGroup, Idea, WorkingGroup


def origins_of(ideas: QuerySet) -> QuerySet:
    """Ideas with the ideas merged into them, each knowing its event and group."""
    merged = Idea.objects.public().select_related("event", "group").order_by("created_at", "pk")
    return ideas.select_related("event", "group").prefetch_related(Prefetch("duplicates", queryset=merged))


class LiveSection:
    """The event's live channel where pages list ideas by breakout group: the approved live ideas
    no group holds (`Idea.group` empty), under the attribute the page reads (`plenum_ideas`,
    `all_ideas`). It has no pk; templates and the API name it "live"."""

    pk = None
    topic = ""

    @property
    def name(self) -> str:
        return _("Live channel (room, Zoom, livestream)")

    def __init__(self, **ideas):
        for attribute, found in ideas.items():
            setattr(self, attribute, found)


def plenum_groups(event: Event) -> list[BreakoutGroup | LiveSection]:
    """The event's groups, each with the ideas it marked for the plenum in `plenum_ideas`, each
    idea with the dots it got in `dot_count`; and after them the live channel's ideas sent
    straight to the plenum, when there are any."""
    marked = (
        origins_of(Idea.objects.public().filter(for_plenum=True, merged_into__isnull=True))
        .annotate(dot_count=Count("dots"))
        .order_by("marked_for_plenum_at", "pk")
    )
    groups = list(
        BreakoutGroup.objects.filter(event=event).prefetch_related(
            Prefetch("ideas", queryset=marked, to_attr="plenum_ideas")
        )
    )
    live = list(marked.filter(event=event, group__isnull=True))
    return [*groups, LiveSection(plenum_ideas=live)] if live else groups


def plenum_results(groups: list[BreakoutGroup]) -> list[Idea]:
    """The wall's ideas, most dots first (then by title, so that equal counts keep a stable order)."""
    ideas = [idea for group in groups for idea in group.plenum_ideas]
    return sorted(ideas, key=lambda idea: (-idea.dot_count, idea.title.casefold(), idea.pk))


def ideas_with_stage() -> QuerySet:
    """Ideas with everything their stage and origin need, merged ones included, and the dots
    each got in the plenum in `plenum_dots`."""
    return (
        Idea.objects.annotate(plenum_dots=Count("dots"))
        .select_related(
            "event",
            "group",
            "working_group",
            "backlog_item",
            "merged_into__event",
            "merged_into__group",
            "merged_into__working_group",
            "merged_into__backlog_item",
        )
        .order_by("created_at", "pk")
    )


def idea_with_trace(event: Event) -> QuerySet:
    """The event's public ideas, each with what its page shows of its way (one query): its origin,
    stage and dots, the idea it was merged into; and, in a second query, the other public ideas
    merged into it."""
    merged = Idea.objects.public().select_related("event", "group").order_by("created_at", "pk")
    return ideas_with_stage().public().filter(event=event).prefetch_related(Prefetch("duplicates", queryset=merged))


def event_groups_with_ideas(event: Event) -> list[BreakoutGroup | LiveSection]:
    """Every group of the event with all its public ideas (merged ones too) in `all_ideas`, and
    the live channel's ideas that no group holds, when there are any."""
    groups = list(
        BreakoutGroup.objects.filter(event=event).prefetch_related(
            Prefetch("ideas", queryset=ideas_with_stage().public(), to_attr="all_ideas")
        )
    )
    live = list(ideas_with_stage().public().filter(event=event, group__isnull=True))
    return [*groups, LiveSection(all_ideas=live)] if live else groups


def group_ideas(group: BreakoutGroup) -> QuerySet:
    """A group's ideas for its capture page, newest first."""
    return ideas_with_stage().filter(group=group).order_by("-created_at", "-pk")


BACKLOG_ORDERS = ("position", "dots")


def backlog_items(working_group: WorkingGroup, *, order: str = "position") -> list[BacklogItem]:
    """The backlog, each item with its ideas and their origins in `item_ideas` and the plenum
    dots of those ideas in `dots`; in the leads' order, or with the most dots first."""
    items = list(with_item_ideas(BacklogItem.objects.filter(working_group=working_group)))
    if order == "dots":
        items.sort(key=lambda item: -item.dots)  # stable: equal counts keep the leads' order
    return items


def with_item_ideas(items: QuerySet) -> QuerySet:
    return (
        items.order_by("position", "pk")
        .annotate(dots=Count("ideas__dots"))
        .prefetch_related(
            Prefetch(
                "ideas", queryset=origins_of(Idea.objects.public().order_by("created_at", "pk")), to_attr="item_ideas"
            )
        )
    )


def waiting_ideas(working_group: WorkingGroup) -> list[Idea]:
    """Ideas handed to the working group that are not yet part of a backlog item."""
    return list(
        origins_of(Idea.objects.public().filter(working_group=working_group, backlog_item__isnull=True)).order_by(
            "created_at", "pk"
        )
    )
