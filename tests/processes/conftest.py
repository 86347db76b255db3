from datetime import date, timedelta

import pytest
from django.utils import timezone

from ideas.models import BacklogItem, BreakoutGroup, Idea, Moderation, WorkingGroup
from processes.models import Result
from processes.results import ItemAccount, ResultData, SectionData, account_for_item, add_section, save_result
from processes.services import PhaseData, ProcessData, add_phase, create_process
from tests.factories import EventFactory, make_user, running_event


@pytest.fixture
def organiser(db):
    return make_user("orga")


@pytest.fixture
def process(organiser):
    now = timezone.now()
    today = now.date()
    made = create_process(
        ProcessData(
            slug="digitalstrategie",
            title_de="CAS.digital – Digitalisierungsstrategie",
            title_en="CAS.digital – digital strategy",
            description_de="Gemeinsam zur Strategie.",
            description_en="Towards the strategy together.",
            published=True,
        ),
        actor=organiser,
        now=now,
    )
    add_phase(
        made,
        PhaseData("Auftakt", today - timedelta(days=60), today - timedelta(days=30), title_en="Kick-off"),
        actor=organiser,
        now=now,
    )
    add_phase(
        made,
        PhaseData("Themen-Labore", today - timedelta(days=29), today + timedelta(days=60), title_en="Theme labs"),
        actor=organiser,
        now=now,
    )
    add_phase(
        made,
        PhaseData(
            "Ratsbeschluss", today + timedelta(days=61), date(today.year + 1, 12, 31), title_en="Council decision"
        ),
        actor=organiser,
        now=now,
    )
    return made


def add_idea(event, title: str, *, moderation=Moderation.APPROVED, **fields) -> Idea:
    now = timezone.now()
    group, _ = BreakoutGroup.objects.get_or_create(event=event, name="Tisch 1", defaults={"created_at": now})
    return Idea.objects.create(
        event=event,
        group=group,
        title=title,
        source="moderator",
        moderation=moderation,
        created_at=now,
        updated_at=now,
        **fields,
    )


def add_working_group(slug: str, *, items=(), now=None) -> WorkingGroup:
    now = now or timezone.now()
    group = WorkingGroup.objects.create(slug=slug, title=f"AG {slug}", created_at=now)
    for position, (title, status) in enumerate(items):
        BacklogItem.objects.create(
            working_group=group,
            title=title,
            status=status,
            position=position,
            created_at=now,
            updated_at=now,
            status_changed_at=now,
        )
    return group


def add_result(
    process, *, actor, sections: list[tuple[SectionData, list[ItemAccount]]], published: bool = True
) -> Result:
    """The result "Digitalisierungsstrategie 2030" (adopted on 18 March 2027) with its sections,
    each with the accounts of its items, written through the services."""
    now = timezone.now()
    result = save_result(
        process,
        ResultData(
            title_de="Digitalisierungsstrategie 2030",
            title_en="Digital strategy 2030",
            adopted_on=date(2027, 3, 18),
            published=published,
        ),
        actor=actor,
        now=now,
    )
    for data, accounts in sections:
        section = add_section(result, data, actor=actor, now=now)
        for account in accounts:
            account_for_item(section, account, actor=actor, now=now)
    return result


@pytest.fixture
def events(organiser):
    make = EventFactory(format="hybrid", title="Themen-Labor", max_companions=2)
    coming = make(title_en="Theme lab", team=[organiser])
    draft = make(status="draft", team=[organiser])
    past = running_event(starts_in=timedelta(days=-40), team=[organiser])
    return {"coming": coming, "draft": draft, "past": past}
