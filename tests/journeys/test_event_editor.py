"""An organiser creates an event without the Django admin: a draft with the essentials, then the
sections (one entry refused at its field, the entry kept), a refused publication that lists what
is missing, the preview of the draft, the publication, a copy and a series of three dates. In
German and in English; the screenshots are the pictures of docs/organisers.md."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Event
from tests.journeys.staff import log_in, messages, staff_user

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {
        "new": "Neue Veranstaltung",
        "save_draft": "Als Entwurf speichern",
        "save": "Abschnitt speichern",
        "publish": "Veröffentlichen",
        "missing": "Eine Beschreibung auf Deutsch.",
        "basics": "Titel und Beschreibungen",
        "date": "Datum und Uhrzeit",
        "venue": "Ort und Barrierefreiheit",
        "zoom": "Zoom und Dolmetschen",
        "ends_before": "Die Veranstaltung muss nach ihrem Beginn enden.",
        "preview": "Vorschau der öffentlichen Seite",
        "banner": "Vorschau – nicht veröffentlicht",
        "step_free": "stufenloser Zugang",
        "published": "Die Veranstaltung ist veröffentlicht.",
        "unpublish": "Zurück zum Entwurf",
        "draft_again": "Die Veranstaltung ist wieder ein Entwurf",
        "copy": "Veranstaltung kopieren",
        "save_copy": "Kopie als Entwurf speichern",
        "copied": "Die Kopie ist als Entwurf gespeichert.",
        "series": "Terminserie anlegen",
        "create_dates": "Termine anlegen",
        "series_done": "3 Termine als Entwürfe gespeichert.",
        "ukrainian": "Ukrainisch",
    },
    "en": {
        "new": "New event",
        "save_draft": "Save as draft",
        "save": "Save the section",
        "publish": "Publish",
        "missing": "A description in German.",
        "basics": "Titles and descriptions",
        "date": "Date and time",
        "venue": "Venue and accessibility",
        "zoom": "Zoom and interpretation",
        "ends_before": "The event must end after it starts.",
        "preview": "Preview the public page",
        "banner": "Preview – not published",
        "step_free": "step-free access",
        "published": "The event is published.",
        "unpublish": "Back to draft",
        "draft_again": "The event is a draft again",
        "copy": "Copy the event",
        "save_copy": "Save the copy as draft",
        "copied": "The copy is saved as a draft.",
        "series": "Create a series of dates",
        "create_dates": "Create the dates",
        "series_done": "3 dates saved as drafts.",
        "ukrainian": "Ukrainian",
    },
}


def local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


def field(journey, name: str):
    return journey.page.locator(f"[name={name}]")


def open_section(journey, title: str) -> None:
    with journey.page.expect_navigation():
        journey.page.locator(".editor-nav").get_by_role("link", name=title, exact=True).click()


@pytest.mark.parametrize("language", ["de", "en"])
def test_an_organiser_creates_previews_publishes_copies_and_repeats_an_event(browse, language):
    text = TEXTS[language]
    organiser = staff_user("stadt-orga")
    start = (timezone.now() + timedelta(days=40)).replace(hour=17, minute=0, second=0, microsecond=0)
    anna = browse(language)
    log_in(anna, organiser)
    anna.step("dashboard")

    anna.page.get_by_role("link", name=text["new"]).click()
    anna.step("new event form")
    field(anna, "title_de").fill("Bürgerdialog Stadtpark")
    anna.page.locator("input[name=format][value=hybrid]").check()
    field(anna, "starts_at").fill(local(start))
    field(anna, "ends_at").fill(local(start + timedelta(hours=2)))
    field(anna, "onsite_capacity").fill("40")
    field(anna, "online_capacity").fill("20")
    field(anna, "venue_name").fill("Ratssaal")
    field(anna, "venue_address").fill("Europaplatz 1, 44575 Castrop-Rauxel")
    anna.submit(text["save_draft"])
    expect(anna.page.get_by_text(text["missing"])).to_be_visible()
    anna.step("draft saved, the check lists what is missing")

    anna.submit(text["publish"], status=422)
    expect(anna.page.get_by_role("alert")).to_contain_text(text["missing"])
    anna.step("publishing refused until complete")

    anna.page.get_by_role("link", name=text["missing"]).click()
    field(anna, "title_en").fill("Citizen dialogue city park")
    field(anna, "description_de").fill("Wie soll der Stadtpark in zehn Jahren aussehen?")
    field(anna, "description_en").fill("What should the city park look like in ten years?")
    anna.step("basics filled in")
    anna.submit(text["save"])

    open_section(anna, text["date"])
    field(anna, "ends_at").fill(local(start - timedelta(hours=1)))
    anna.submit(text["save"], status=422)
    expect(anna.page.locator("#id_ends_at_error")).to_contain_text(text["ends_before"])
    expect(field(anna, "ends_at")).to_have_value(local(start - timedelta(hours=1)))
    anna.step("an end before the start is refused at the field, the entry kept")
    field(anna, "ends_at").fill(local(start + timedelta(hours=2, minutes=30)))
    anna.submit(text["save"])

    open_section(anna, text["venue"])
    field(anna, "step_free").check()
    field(anna, "hearing_loop").check()
    field(anna, "accessibility_notes").fill("Eingang mit Rampe an der Rückseite")
    anna.submit(text["save"])
    anna.step("venue with accessibility saved")

    open_section(anna, text["zoom"])
    anna.page.get_by_label(text["ukrainian"], exact=True).check()
    anna.submit(text["save"])
    anna.step("interpretation chosen from the list")

    event = Event.objects.get(title_de="Bürgerdialog Stadtpark")
    anna.open(f"/organisation/veranstaltungen/{event.slug}/bearbeiten/")
    anna.page.get_by_role("link", name=text["preview"]).click()
    anna.page.wait_for_load_state()
    expect(anna.page.get_by_text(text["banner"])).to_be_visible()
    expect(anna.page.get_by_text(text["step_free"], exact=True)).to_be_visible()
    anna.step("preview of the draft")

    citizen = browse(language, who="citizen")
    citizen.open(f"/veranstaltungen/{event.slug}/", status=404)
    citizen.step("the draft is not public")

    anna.open(f"/organisation/veranstaltungen/{event.slug}/bearbeiten/")
    anna.submit(text["publish"])
    assert text["published"] in messages(anna)
    anna.step("published")
    citizen.open(f"/veranstaltungen/{event.slug}/")
    citizen.step("the public page")

    anna.submit(text["unpublish"])
    assert text["draft_again"] in messages(anna)
    citizen.open(f"/veranstaltungen/{event.slug}/", status=404)
    anna.submit(text["publish"])
    anna.step("back to draft and published again")

    anna.page.get_by_role("link", name=text["copy"]).click()
    anna.step("copy form")
    anna.submit(text["save_copy"])
    assert text["copied"] in messages(anna)
    anna.step("the copy, a draft")

    anna.open(f"/organisation/veranstaltungen/{event.slug}/serie/")
    for number, weeks in enumerate((2, 3, 4), start=1):
        field(anna, f"date_{number}").fill(f"{(start + timedelta(weeks=weeks)).date():%Y-%m-%d}")
    anna.step("series form")
    anna.submit(text["create_dates"])
    assert text["series_done"] in messages(anna)
    anna.step("the series on the dashboard")
    assert Event.objects.filter(title_de="Bürgerdialog Stadtpark").count() == 5
