"""An organiser brings a dialogue's events and working groups together in a process: creates it,
adds phases (one refused at its field, the entry kept), an event and a working group, publishes
it; a citizen finds the process, its current phase and coming events, and the event page leads
back to it. In German and in English."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import EventFactory
from tests.journeys.staff import log_in, messages, staff_user
from tests.processes.conftest import add_working_group

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {
        "nav": "Prozesse",
        "new": "Neuer Prozess",
        "create": "Prozess anlegen",
        "add_phase": "Phase hinzufügen",
        "ends_before": "Eine Phase kann nicht enden, bevor sie beginnt.",
        "add_event": "Veranstaltung hinzufügen",
        "add_group": "Arbeitsgruppe hinzufügen",
        "published": "Veröffentlicht",
        "save": "Speichern",
        "saved": "Der Prozess ist gespeichert.",
        "current": "aktuelle Phase",
        "part_of": "Teil des Beteiligungsprozesses",
        "subscribe": "abonnieren",
        "invited": "0 Mitglieder eingeladen.",
    },
    "en": {
        "nav": "Processes",
        "new": "New process",
        "create": "Create process",
        "add_phase": "Add phase",
        "ends_before": "A phase cannot end before it starts.",
        "add_event": "Add event",
        "add_group": "Add working group",
        "published": "Published",
        "save": "Save",
        "saved": "The process is saved.",
        "current": "current phase",
        "part_of": "Part of the process",
        "subscribe": "subscribe",
        "invited": "0 members invited.",
    },
}


def field(journey, name: str, form: str = ""):
    return journey.page.locator(f"{form} [name={name}]".strip())


@pytest.mark.parametrize("language", ["de", "en"])
def test_an_organiser_builds_a_process_and_a_citizen_follows_it(browse, language):
    text = TEXTS[language]
    organiser = staff_user("prozess-orga")
    event = EventFactory(format="hybrid")(
        title_de="Themen-Labor Verwaltung", title_en="Theme lab administration", team=[organiser]
    )
    EventFactory(format="online")(title_de="Falsch zugeordnet", team=[organiser])
    add_working_group("digitale-verwaltung")
    add_working_group("zz-falsch")
    today = timezone.localdate()

    anna = browse(language)
    log_in(anna, organiser)
    anna.page.get_by_role("link", name=text["nav"], exact=True).click()
    anna.page.wait_for_load_state()
    anna.page.get_by_role("link", name=text["new"]).click()
    anna.step("new process form")
    field(anna, "title_de").fill("CAS.digital – Digitalisierungsstrategie")
    field(anna, "title_en").fill("CAS.digital – digital strategy")
    field(anna, "slug").fill("cas-digital")
    field(anna, "description_de").fill("Vom Auftakt bis zum Ratsbeschluss.")
    field(anna, "description_en").fill("From the kick-off to the council's decision.")
    anna.submit(text["create"])
    anna.step("process created, its editor")

    phase_form = "form[action$='/phasen/']"
    field(anna, "title_de", phase_form).fill("Themen-Labore")
    field(anna, "title_en", phase_form).fill("Theme labs")
    field(anna, "starts_on", phase_form).fill(f"{today + timedelta(days=30):%Y-%m-%d}")
    field(anna, "ends_on", phase_form).fill(f"{today:%Y-%m-%d}")
    anna.submit(text["add_phase"], status=422)
    expect(anna.page.locator("#id_ends_on_error, .kern-error").first).to_contain_text(text["ends_before"])
    expect(field(anna, "title_de", phase_form)).to_have_value("Themen-Labore")
    anna.step("a phase ending before its start is refused, the entry kept")
    field(anna, "starts_on", phase_form).fill(f"{today - timedelta(days=5):%Y-%m-%d}")
    field(anna, "ends_on", phase_form).fill(f"{today + timedelta(days=90):%Y-%m-%d}")
    anna.submit(text["add_phase"])

    field(anna, "title_de", phase_form).fill("Versehen")
    field(anna, "starts_on", phase_form).fill(f"{today:%Y-%m-%d}")
    field(anna, "ends_on", phase_form).fill(f"{today:%Y-%m-%d}")
    anna.submit(text["add_phase"])
    anna.submit(anna.page.locator("form[action*='/phasen/'][action$='/entfernen/'] button").last)
    for _ in range(2):
        field(anna, "event").select_option(index=1)
        anna.submit(text["add_event"])
        field(anna, "working_group").select_option(index=1)
        anna.submit(text["add_group"])
    anna.step("two events and two working groups added, one phase by mistake removed")
    anna.submit(anna.page.locator("form[action*='/veranstaltungen/'][action$='/entfernen/'] button").last)
    anna.submit(anna.page.locator("form[action$='/zz-falsch/entfernen/'] button"))
    expect(anna.page.get_by_text("Falsch zugeordnet")).to_have_count(1)  # in the choice again, not in the list
    anna.page.locator("form[action$='/einladen/'] select").select_option(index=1)
    anna.submit(anna.page.locator("form[action$='/einladen/'] button"))
    assert text["invited"] in messages(anna)
    anna.step("the working group's members invited to the event as its meeting")
    field(anna, "published").check()
    anna.submit(anna.page.locator("form[action$='/cas-digital/'] button[type=submit]"))
    assert text["saved"] in messages(anna)
    anna.step("phase, event and working group added, published")

    citizen = browse(language, who="citizen")
    citizen.open("/prozesse/")
    citizen.page.get_by_role("link", name="CAS.digital").click()
    citizen.page.wait_for_load_state()
    expect(citizen.page.locator("[aria-current=step]")).to_contain_text(text["current"])
    citizen.step("the process page: current phase, coming events, working groups")
    citizen.page.get_by_role("link", name=event.title_en if language == "en" else event.title_de).first.click()
    citizen.page.wait_for_load_state()
    expect(citizen.page.get_by_text(text["part_of"])).to_be_visible()
    citizen.step("the event page leads back to its process")
    citizen.open("/prozesse/cas-digital/einbetten/")
    citizen.step("the list for the city's website")
