"""A citizen registers for an online seat of a hybrid event with a companion and the organisers'
questions, then, from the link in the mail, changes name and companions (after a first try with
the name left empty), answers the questions and states a need, and switches to a seat on site.
In German and in English."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.questions import add_question
from tests.factories import EventFactory, agreement
from tests.journeys.citizen import errors, register, submit_form
from tests.registrations.question_helpers import MEAL, PARKING

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {
        "online": "Sie haben einen Online-Platz.",
        "change": "Name, Bedarf, Sprache oder Begleitpersonen ändern",
        "required": "Dieses Feld ist zwingend erforderlich.",
        "answers": "Antworten und Bedürfnisse ändern",
        "switch": "Wechseln zu: Platz vor Ort",
        "onsite": "Sie haben einen Platz vor Ort.",
    },
    "en": {
        "online": "You have an online seat.",
        "change": "Change name, needs, language or companions",
        "required": "This field is required.",
        "answers": "Change your answers and needs",
        "switch": "Switch to: on-site seat",
        "onsite": "You have a seat on site.",
    },
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_citizen_changes_details_answers_and_seat_type_from_the_mail(browse, mailbox, language):
    text = TEXTS[language]
    event = EventFactory(format="hybrid", terms=agreement(broadcast=True))(
        title_en="Citizen dialogue", slug="dialog", max_companions=2
    )
    add_question(event, MEAL, actor=None, now=timezone.now())
    add_question(event, PARKING, actor=None, now=timezone.now())
    meal = f"question_{event.questions.get(label_de='Essen?').pk}"
    parking = f"question_{event.questions.get(label_de='Parkplatz?').pk}"
    citizen = browse(language)
    citizen.open("/veranstaltungen/dialog/")
    citizen.step("hybrid event with questions")

    register(
        citizen,
        mailbox,
        name="Erika Muster",
        email="erika@example.org",
        seat="online",
        companions=1,
        answers={meal: "Vegan"},
    )
    expect(citizen.page.get_by_text(text["online"]).first).to_be_visible()
    citizen.step("personal page from the mail: online with a companion")
    citizen.page.get_by_role("link", name=text["change"]).click()
    citizen.step("change page")
    citizen.page.locator("input[name=name]").fill("")
    submit_form(citizen, status=422)
    assert text["required"] in errors(citizen)
    citizen.step("empty name refused")
    citizen.page.locator("input[name=name]").fill("Erika M. Muster")
    citizen.page.locator("input[name=companions]").fill("2")
    submit_form(citizen)
    expect(citizen.page.get_by_text("Erika M. Muster")).to_be_visible()
    citizen.step("details changed")

    citizen.page.get_by_role("link", name=text["answers"]).click()
    citizen.step("answers page")
    citizen.page.locator(f"input[name={parking}][value=yes]").check()
    citizen.page.locator("input[name=need_wheelchair]").check()
    submit_form(citizen)
    citizen.step("answers saved")

    citizen.page.get_by_role("link", name=text["switch"]).click()
    citizen.step("switch page")
    citizen.page.locator("input[name=broadcast_consent]").check()
    submit_form(citizen)
    expect(citizen.page.get_by_text(text["onsite"]).first).to_be_visible()
    citizen.step("switched to a seat on site")
