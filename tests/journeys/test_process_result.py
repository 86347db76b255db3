"""The team writes what a process ended in: the document, its sections, and the city's account of
each working-group item (a "not taken up" without a reason is refused at the field); a citizen
reads what became of their idea, from the room to the adopted section, and downloads the PDF.
In German and in English."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ideas.models import BacklogStatus
from processes.services import ProcessData, create_process
from tests.factories import running_event
from tests.journeys.staff import log_in, staff_user
from tests.processes.conftest import add_idea, add_working_group

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {
        "save_document": "Dokument speichern",
        "add_section": "Abschnitt hinzufügen",
        "remove_section": "Abschnitt entfernen",
        "save_account": "Angaben speichern",
        "reason_needed": "Bitte begründen Sie",
        "take_out": "Herausnehmen",
        "what_became": "Was aus den Ideen wurde",
        "done": "60 % umgesetzt",
        "pdf": "Als PDF herunterladen",
    },
    "en": {
        "save_document": "Save the document",
        "add_section": "Add section",
        "remove_section": "Remove the section",
        "save_account": "Save the account",
        "reason_needed": "Please say why the item is not taken up.",
        "take_out": "Take out",
        "what_became": "What became of the ideas",
        "done": "60 % done",
        "pdf": "Download as PDF",
    },
}


def field(journey, name: str, form: str = ""):
    return journey.page.locator(f"{form} [name$={name}]".strip())


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_team_accounts_for_the_ideas_and_a_citizen_follows_theirs_to_the_result(browse, language):
    text = TEXTS[language]
    organiser = staff_user("ergebnis-orga")
    process = create_process(
        ProcessData(slug="cas-digital", title_de="CAS.digital", title_en="CAS.digital", published=True),
        actor=organiser,
        now=timezone.now(),
    )
    group = add_working_group(
        "teilhabe", items=[("Digitallotsen in jedem Stadtteil", BacklogStatus.DONE), ("Eigene App", BacklogStatus.NEW)]
    )
    process.working_groups.add(group)
    workshop = running_event(starts_in=timezone.timedelta(days=-30))
    add_idea(workshop, "Hilfe für Ältere am Computer", working_group=group, backlog_item=group.items.get(position=0))

    anna = browse(language)
    log_in(anna, organiser, next_path="/organisation/prozesse/cas-digital/ergebnis/")
    field(anna, "title_de").fill("Digitalisierungsstrategie 2030")
    field(anna, "title_en").fill("Digital strategy 2030")
    field(anna, "adopted_on").fill("2027-03-18")
    field(anna, "published").check()
    anna.submit(text["save_document"])
    for heading in ("Digitale Teilhabe", "Versehentlich"):
        new_section = "form[action$='/ergebnis/abschnitte/']"
        field(anna, "heading_de", new_section).fill(heading)
        field(anna, "heading_en", new_section).fill("Digital participation" if heading == "Digitale Teilhabe" else "")
        anna.submit(text["add_section"])
    anna.submit(anna.page.get_by_role("button", name=f"{text['remove_section']} – Versehentlich"))
    anna.step("the document with its section")

    account = "form[action$='/punkte/']"
    field(anna, "item", account).select_option(index=2)
    anna.page.locator(f"{account} [name$=adoption][value=not_adopted]").check()
    anna.submit(anna.page.locator(f"{account} button[type=submit]"), status=422)
    expect(anna.page.locator(f"{account} [id$=reason_error]")).to_contain_text(text["reason_needed"])
    anna.step("not taken up without a reason: refused at the field")
    field(anna, "reason", account).fill("Sache des Landes.")
    anna.submit(anna.page.locator(f"{account} button[type=submit]"))
    anna.submit(anna.page.get_by_role("button", name=f"{text['take_out']} – Eigene App"))
    field(anna, "item", account).select_option(index=1)
    anna.page.locator(f"{account} [name$=adoption][value=adopted]").check()
    field(anna, "progress", account).fill("60")
    anna.submit(anna.page.locator(f"{account} button[type=submit]"))
    anna.step("the item accounted for in the section")

    citizen = browse(language, who="citizen")
    citizen.open("/prozesse/cas-digital/")
    citizen.page.get_by_role("link", name=text["what_became"]).click()
    citizen.page.wait_for_load_state()
    expect(citizen.page.get_by_text("Hilfe für Ältere am Computer")).to_be_visible()
    expect(citizen.page.get_by_text(text["done"]).first).to_be_visible()
    citizen.step("what became of the idea, from the room to the adopted section")
    pdf = citizen.page.request.get(citizen.page.get_by_role("link", name=text["pdf"]).get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
