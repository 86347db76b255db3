"""Every change to a process, with its audit line (docs/processes.md)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from events.access import Capability, can
from events.models import Event
from events.services import record_audit
from ideas.models import WorkingGroup
from processes.models import Phase, Process


@dataclass
class ProcessData:
    slug: str
    title_de: str
    title_en: str = ""
    description_de: str = ""
    description_en: str = ""
    licence: str = ""
    published: bool = False


@dataclass
class PhaseData:
    title_de: str
    starts_on: date
    ends_on: date
    title_en: str = ""
    description_de: str = ""
    description_en: str = ""


def _check_phase(data: PhaseData) -> None:
    if data.ends_on < data.starts_on:
        raise DomainError(
            "phase_ends_before_start", _("A phase cannot end before it starts."), status=422, field="ends_on"
        )


def _fields(data) -> dict:
    return {name: value for name, value in vars(data).items() if value is not None}


@transaction.atomic
def create_process(data: ProcessData, *, actor, now: datetime) -> Process:
    if Process.objects.filter(slug=data.slug).exists():
        raise DomainError("slug_taken", _("This address is taken by another process."), status=422, field="slug")
    fields = _fields(data)
    if not fields.get("licence"):
        fields.pop("licence", None)
    process = Process.objects.create(**fields, created_at=now, updated_at=now)
    process.team.add(actor)
    record_audit("process.created", actor=actor, now=now, target=process, data={"slug": process.slug})
    return process


@transaction.atomic
def update_process(process: Process, data: ProcessData, *, actor, now: datetime) -> Process:
    if Process.objects.filter(slug=data.slug).exclude(pk=process.pk).exists():
        raise DomainError("slug_taken", _("This address is taken by another process."), status=422, field="slug")
    changed = [name for name, value in _fields(data).items() if getattr(process, name) != value]
    for name in changed:
        setattr(process, name, getattr(data, name))
    if not process.licence:
        process.licence = Process._meta.get_field("licence").default
    process.updated_at = now
    process.save()
    record_audit("process.changed", actor=actor, now=now, target=process, data={"fields": changed})
    return process


@transaction.atomic
def add_phase(process: Process, data: PhaseData, *, actor, now: datetime) -> Phase:
    _check_phase(data)
    phase = Phase.objects.create(process=process, **_fields(data))
    record_audit("process.phase_added", actor=actor, now=now, target=process, data={"phase": phase.title_de})
    return phase


@transaction.atomic
def remove_phase(phase: Phase, *, actor, now: datetime) -> None:
    record_audit("process.phase_removed", actor=actor, now=now, target=phase.process, data={"phase": phase.title_de})
    phase.delete()


@transaction.atomic
def link_event(process: Process, event: Event, *, actor, now: datetime) -> None:
    """Only someone who may change the event links it: a process shows the event's figures."""
    if not can(actor, event, Capability.MANAGE):
        raise DomainError(
            "not_your_event", _("You can only add events whose team you organise."), status=422, field="event"
        )
    process.events.add(event, through_defaults={"added_at": now})
    record_audit("process.event_linked", actor=actor, now=now, event=event, target=process)


@transaction.atomic
def unlink_event(process: Process, event: Event, *, actor, now: datetime) -> None:
    process.events.remove(event)
    record_audit("process.event_unlinked", actor=actor, now=now, event=event, target=process)


@transaction.atomic
def link_working_group(process: Process, group: WorkingGroup, *, actor, now: datetime) -> None:
    process.working_groups.add(group)
    record_audit("process.working_group_linked", actor=actor, now=now, target=process, data={"group": group.slug})


@transaction.atomic
def unlink_working_group(process: Process, group: WorkingGroup, *, actor, now: datetime) -> None:
    process.working_groups.remove(group)
    record_audit("process.working_group_unlinked", actor=actor, now=now, target=process, data={"group": group.slug})
