"""What the public pages and the open data read of a process: a fixed number of queries whatever
the number of events, ideas and items (pinned in tests/processes/test_queries.py)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from events.models import Event
from ideas.models import BacklogItem, BacklogStatus, Idea, WorkingGroup
from processes.models import Phase, Process
from registrations.models import Registration, Status, people

# The people counted as taking part: those holding a seat (confirmed), and everyone who came.
TAKING_PART = Q(status=Status.CONFIRMED) | Q(checked_in_at__isnull=False)


@dataclass
class Figures:
    participants: int
    ideas: int
    items: int
    items_done: int


def public_events(process: Process):
    return Event.objects.public().filter(processes=process).select_related("venue").order_by("starts_at")


def public_ideas(process: Process):
    return Idea.objects.public().filter(event__processes=process, merged_into__isnull=True)


def items_of(process: Process):
    return BacklogItem.objects.filter(working_group__processes=process)


def figures(process: Process) -> Figures:
    registrations = Registration.objects.filter(event__processes=process, event__in=Event.objects.public())
    participants = registrations.aggregate(people=people(filter=TAKING_PART))["people"]
    items = items_of(process).aggregate(all=Count("pk"), done=Count("pk", filter=Q(status=BacklogStatus.DONE)))
    return Figures(
        participants=participants, ideas=public_ideas(process).count(), items=items["all"], items_done=items["done"]
    )


@dataclass
class Timeline:
    phases: list[Phase]
    current_phase: Phase | None
    coming: list[Event]
    past: list[Event]


def timeline(process: Process, *, now: datetime) -> Timeline:
    today = now.date()
    phases = list(process.phases.all())
    events = list(public_events(process))
    return Timeline(
        phases=phases,
        current_phase=next((phase for phase in phases if phase.state_on(today) == "current"), None),
        coming=[event for event in events if event.ends_at >= now],
        past=[event for event in reversed(events) if event.ends_at < now],
    )


def working_groups(process: Process):
    return WorkingGroup.objects.filter(processes=process).annotate(
        item_count=Count("items", distinct=True),
        done_count=Count("items", filter=Q(items__status=BacklogStatus.DONE), distinct=True),
    )
