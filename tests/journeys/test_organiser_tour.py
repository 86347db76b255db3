"""The guided tour of docs/organisers.md, walked by a city employee: log in, the dashboard, a new
event, its sections, the preview, publishing, the registrations, and on the day of another event
the check-in, a message to the registrants and the attendance report. In German and English.

With SAVE_DOC_SCREENSHOTS=1 the pictures of the tour are saved into docs/img/organisers/
(tests/journeys/doc_pictures.py); commit them when the pages changed."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Event
from registrations import services
from registrations.checkin.services import check_in_registration
from tests.factories import EventFactory, agreement, registration_data
from tests.journeys.doc_pictures import picture
from tests.journeys.staff import PASSWORD, messages, staff_user

pytestmark = pytest.mark.journey

GUIDE = "organisers"
TEXTS = {
    "de": {
        "new": "Neue Veranstaltung",
        "save_draft": "Als Entwurf speichern",
        "save": "Abschnitt speichern",
        "missing": "Eine Beschreibung auf Deutsch.",
        "preview": "Vorschau der öffentlichen Seite",
        "banner": "Vorschau – nicht veröffentlicht",
        "publish": "Veröffentlichen",
        "published": "Die Veranstaltung ist veröffentlicht.",
        "send": "Senden",
        "subject": "Heute: Eingang über die Rampe",
        "body": "Der Haupteingang ist heute gesperrt. Nutzen Sie die Rampe an der Rückseite.",
    },
    "en": {
        "new": "New event",
        "save_draft": "Save as draft",
        "save": "Save the section",
        "missing": "A description in German.",
        "preview": "Preview the public page",
        "banner": "Preview – not published",
        "publish": "Publish",
        "published": "The event is published.",
        "send": "Send",
        "subject": "Today: entrance by the ramp",
        "body": "The main entrance is closed today. Please use the ramp at the back.",
    },
}


def local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


def field(journey, name: str):
    return journey.page.locator(f"[name={name}]")


def register(event, number: int, name: str, *, at):
    data = registration_data(number, "onsite", name=name)
    return services.register(event, data, channel="web", received_at=at, now=at)


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_organisers_tour(browse, language):
    text = TEXTS[language]
    now = timezone.now()
    organiser = staff_user("stadt-orga")
    # An event of the same organiser that takes place today, with people registered.
    today = EventFactory(format="onsite", onsite=30, terms=agreement(), now=now - timedelta(days=5))(
        title_de="Bürgerdialog Radverkehr",
        title_en="Citizen dialogue on cycling",
        slug="radverkehr",
        team=[organiser],
        starts_at=now + timedelta(minutes=20),
        opens=now - timedelta(days=5),
        closes=now - timedelta(hours=2),
    )
    for number, name in enumerate(["Erika Muster", "Jonas Berg", "Aylin Demir", "Piotr Nowak"], start=1):
        registered = register(today, number, name, at=now - timedelta(days=3, hours=number))
    check_in_registration(today, registered.pk, actor=organiser, now=now)

    anna = browse(language)
    anna.open("/organisation/anmelden/")
    picture(anna, GUIDE, 1, "login")
    field(anna, "username").fill(organiser.get_username())
    field(anna, "password").fill(PASSWORD)
    anna.submit(anna.page.locator("main form[action*='/anmelden/'] [type=submit]"))
    picture(anna, GUIDE, 2, "dashboard")

    anna.page.get_by_role("link", name=text["new"]).click()
    start = (now + timedelta(days=40)).replace(hour=17, minute=0, second=0, microsecond=0)
    field(anna, "title_de").fill("Bürgerdialog Stadtpark")
    anna.page.locator("input[name=format][value=onsite]").check()
    field(anna, "starts_at").fill(local(start))
    field(anna, "ends_at").fill(local(start + timedelta(hours=2)))
    field(anna, "onsite_capacity").fill("40")
    field(anna, "venue_name").fill("Ratssaal")
    field(anna, "venue_address").fill("Europaplatz 1, 44575 Castrop-Rauxel")
    picture(anna, GUIDE, 3, "new-event")
    anna.submit(text["save_draft"])
    expect(anna.page.get_by_text(text["missing"])).to_be_visible()
    picture(anna, GUIDE, 4, "editor-what-is-missing")

    anna.page.get_by_role("link", name=text["missing"]).click()
    field(anna, "title_en").fill("Citizen dialogue city park")
    field(anna, "description_de").fill("Wie soll der Stadtpark in zehn Jahren aussehen? Wir planen gemeinsam.")
    field(anna, "description_en").fill("What should the city park look like in ten years? Let us plan it together.")
    picture(anna, GUIDE, 5, "section-basics")
    anna.submit(text["save"])

    event = Event.objects.get(title_de="Bürgerdialog Stadtpark")
    anna.open(f"/organisation/veranstaltungen/{event.slug}/bearbeiten/")
    anna.page.get_by_role("link", name=text["preview"]).click()
    anna.page.wait_for_load_state()
    expect(anna.page.get_by_text(text["banner"])).to_be_visible()
    picture(anna, GUIDE, 6, "preview")

    anna.open(f"/organisation/veranstaltungen/{event.slug}/bearbeiten/")
    anna.submit(text["publish"])
    assert text["published"] in messages(anna)
    picture(anna, GUIDE, 7, "published")

    event.refresh_from_db()
    for number, name in enumerate(["Lotte Kranichfeld", "Mehmet Yilmaz"], start=10):
        register(event, number, name, at=timezone.now())
    anna.open(f"/organisation/veranstaltungen/{event.slug}/anmeldungen/")
    expect(anna.page.locator("main")).to_contain_text("Lotte Kranichfeld")
    picture(anna, GUIDE, 8, "registrations")

    # On the day of the other event: the door, a message, the report.
    anna.open(f"/einlass/{today.slug}/gaeste/")
    anna.page.locator("#guest-search").fill("erika")
    anna.submit(anna.page.locator("form[role=search] button[type=submit]"))
    expected = anna.page.locator("section[aria-labelledby=expected-heading]")
    anna.submit(expected.locator("button[type=submit]").first)
    expect(anna.page.locator("section[aria-labelledby=present-heading]")).to_contain_text("Erika Muster")
    picture(anna, GUIDE, 9, "check-in")

    anna.open(f"/postausgang/{today.slug}/nachricht/")
    field(anna, "subject").fill(text["subject"])
    field(anna, "body").fill(text["body"])
    field(anna, "subject_en").fill("Your seat in the city park dialogue")
    field(anna, "body_en").fill("We are looking forward to seeing you.")
    picture(anna, GUIDE, 10, "message")
    anna.submit(text["send"])
    picture(anna, GUIDE, 11, "message-sent")

    anna.open(f"/organisation/berichte/{today.slug}/")
    expect(anna.page.locator("main")).to_contain_text(today.title_de if language == "de" else today.title_en)
    picture(anna, GUIDE, 12, "report")
