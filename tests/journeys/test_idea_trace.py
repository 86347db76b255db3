"""A citizen follows their idea from its own page to the section of the adopted result: where it
was said, that it went to the plenum, the working group and the backlog item with its status, and
the section that takes it up, with how far. In German and in English."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ideas.models import BacklogStatus
from processes.results import ItemAccount, SectionData
from processes.services import ProcessData, create_process
from tests.factories import running_event
from tests.journeys.staff import staff_user
from tests.processes.conftest import add_idea, add_result, add_working_group

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {
        "way": "Der Weg dieser Idee",
        "plenum": "Ins Plenum getragen.",
        "status": "erledigt",
        "adoption": "teilweise übernommen",
        "done": "60 % umgesetzt",
        "section": "Digitale Teilhabe",
    },
    "en": {
        "way": "The way of this idea",
        "plenum": "Taken to the plenum.",
        "status": "done",
        "adoption": "partly taken up",
        "done": "60 % done",
        "section": "Digital participation",
    },
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_citizen_follows_an_idea_from_its_page_to_the_section_of_the_result(browse, language):
    text = TEXTS[language]
    now = timezone.now()
    organiser = staff_user("ergebnis-orga")
    process = create_process(
        ProcessData(slug="cas-digital", title_de="CAS.digital", title_en="CAS.digital", published=True),
        actor=organiser,
        now=now,
    )
    group = add_working_group("teilhabe", items=[("Digitallotsen in jedem Stadtteil", BacklogStatus.DONE)])
    process.working_groups.add(group)
    workshop = running_event(starts_in=timezone.timedelta(days=-30))
    idea = add_idea(
        workshop,
        "Hilfe für Ältere am Computer",
        for_plenum=True,
        working_group=group,
        backlog_item=group.items.get(),
    )
    result = add_result(
        process,
        actor=organiser,
        sections=[
            (
                SectionData("Digitale Teilhabe", heading_en="Digital participation"),
                [ItemAccount(group.items.get(), "partly", progress=60)],
            )
        ],
    )
    section = result.sections.get()

    citizen = browse(language)
    citizen.open(f"/veranstaltungen/{workshop.slug}/ideen/")
    citizen.page.get_by_role("link", name="Hilfe für Ältere am Computer").click()
    citizen.page.wait_for_load_state()
    assert citizen.page.url.endswith(f"/ideen/{idea.pk}/")
    expect(citizen.page.get_by_role("heading", name=text["way"])).to_be_visible()
    trace = citizen.page.locator(".idea-trace")
    expect(trace).to_contain_text("Tisch 1")
    expect(trace).to_contain_text(text["plenum"])
    expect(trace).to_contain_text("AG teilhabe")
    expect(trace.locator("[data-step=item]")).to_contain_text(text["status"])
    expect(trace.locator("[data-step=result]")).to_contain_text(text["adoption"])
    expect(trace.locator("[data-step=result]")).to_contain_text(text["done"])
    citizen.step("the idea's own page: its way from the room to the result")

    trace.locator("[data-step=result] a").click()
    citizen.page.wait_for_load_state()
    assert citizen.page.url.endswith(f"/prozesse/cas-digital/ergebnis/#section-{section.pk}")
    expect(citizen.page.locator(f"#section-{section.pk}")).to_contain_text(text["section"])
    expect(citizen.page.get_by_role("link", name="„Hilfe für Ältere am Computer“")).to_be_visible()
    citizen.step("the section of the adopted result that takes the idea up")
