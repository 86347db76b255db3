"""The result of a process and the city's account of each working-group item in it
(docs/processes.md, "Results"): every change with its audit line."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.errors import DomainError
from events.services import record_audit
from ideas.models import BacklogItem
from processes.models import Adoption, Process, Result, ResultSection, SectionItem


@dataclass
class ResultData:
    title_de: str
    title_en: str = ""
    summary_de: str = ""
    summary_en: str = ""
    adopted_on: date | None = None
    published: bool = False


@dataclass
class SectionData:
    heading_de: str
    heading_en: str = ""
    text_de: str = ""
    text_en: str = ""


@dataclass
class ItemAccount:
    item: BacklogItem
    adoption: str
    reason: str = ""
    progress: int = 0


@transaction.atomic
def save_result(process: Process, data: ResultData, *, actor, now: datetime) -> Result:
    result, _created = Result.objects.update_or_create(process=process, defaults={**vars(data), "updated_at": now})
    record_audit("process.result_saved", actor=actor, now=now, target=process, data={"published": data.published})
    return result


@transaction.atomic
def add_section(result: Result, data: SectionData, *, actor, now: datetime) -> ResultSection:
    last = result.sections.aggregate(last=Max("position"))["last"] or 0
    section = ResultSection.objects.create(result=result, position=last + 1, **vars(data))
    record_audit(
        "process.section_added", actor=actor, now=now, target=result.process, data={"section": section.heading_de}
    )
    return section


@transaction.atomic
def remove_section(section: ResultSection, *, actor, now: datetime) -> None:
    record_audit(
        "process.section_removed",
        actor=actor,
        now=now,
        target=section.result.process,
        data={"section": section.heading_de},
    )
    section.delete()


def check_account(section: ResultSection, account: ItemAccount) -> None:
    process = section.result.process
    if not process.working_groups.filter(pk=account.item.working_group_id).exists():
        raise DomainError(
            "item_not_in_process", _("This item belongs to no working group of the process."), status=422, field="item"
        )
    if not 0 <= account.progress <= 100:
        raise DomainError(
            "progress_out_of_range", _("Progress is between 0 and 100 per cent."), status=422, field="progress"
        )
    if account.adoption == Adoption.NOT_ADOPTED and not account.reason.strip():
        raise DomainError("reason_required", _("Please say why the item is not taken up."), status=422, field="reason")


@transaction.atomic
def account_for_item(section: ResultSection, account: ItemAccount, *, actor, now: datetime) -> SectionItem:
    """Link the item to the section, or change the city's account of it there."""
    check_account(section, account)
    linked, _created = SectionItem.objects.update_or_create(
        section=section,
        item=account.item,
        defaults={"adoption": account.adoption, "reason": account.reason.strip(), "progress": account.progress},
    )
    record_audit(
        "process.item_accounted",
        actor=actor,
        now=now,
        target=section.result.process,
        data={
            "section": section.heading_de,
            "item": account.item.pk,
            "adoption": account.adoption,
            "progress": account.progress,
        },
    )
    return linked


@transaction.atomic
def unlink_item(linked: SectionItem, *, actor, now: datetime) -> None:
    record_audit(
        "process.item_unlinked",
        actor=actor,
        now=now,
        target=linked.section.result.process,
        data={"section": linked.section.heading_de, "item": linked.item_id},
    )
    linked.delete()
