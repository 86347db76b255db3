"""The public process page: timeline with the current phase, coming and past events, figures,
working groups; drafts only for the team; the event page links its process."""

import pytest
from django.test import Client
from django.utils import timezone

from ideas.models import BacklogStatus, Moderation
from processes.services import ProcessData, update_process
from registrations.models import Registration
from tests.factories import make_user, register, registration_data
from tests.processes.conftest import add_idea, add_working_group
from tests.registrations.staff_helpers import client_of


def page(client, url):
    response = client.get(url)
    return response, response.content.decode()


def test_the_page_shows_the_current_phase_the_events_and_the_figures(process, events):
    process.events.add(events["coming"], events["draft"], events["past"])
    now = timezone.now()
    register(events["coming"], registration_data(1, companions=2), now)
    register(events["coming"], registration_data(2), now)
    add_idea(events["past"], "Freies WLAN in der Bücherei")
    add_idea(events["past"], "Noch nicht freigegeben", moderation=Moderation.PENDING)
    process.working_groups.add(
        add_working_group("wlan", items=[("WLAN", BacklogStatus.DONE), ("Karte", BacklogStatus.NEW)])
    )

    response, html = page(Client(), "/prozesse/digitalstrategie/")

    assert response.status_code == 200
    assert 'aria-current="step"' in html and html.index("Themen-Labore") < html.index('aria-current="step"') + 400
    assert events["coming"].title_de in html and events["past"].title_de in html
    assert events["draft"].title_de not in html  # drafts are nobody's business
    assert response.context["figures"].participants == 4  # people: 1 + 2 companions, and 1
    assert response.context["figures"].ideas == 1  # the pending idea is not public
    assert (response.context["figures"].items_done, response.context["figures"].items) == (1, 2)
    assert "AG wlan" in html and "Noch nicht freigegeben" not in html


def test_the_page_speaks_english_on_the_english_site(process):
    _, html = page(Client(), "/en/prozesse/digitalstrategie/")
    assert "CAS.digital – digital strategy" in html and "Theme labs" in html and 'lang="en"' in html
    assert "Themen-Labore" not in html


def test_a_draft_process_is_hidden_from_citizens_and_other_organisers_but_previewed_by_its_team(process, organiser):
    update_process(
        process,
        ProcessData(slug=process.slug, title_de=process.title_de, published=False),
        actor=organiser,
        now=timezone.now(),
    )
    assert Client().get("/prozesse/digitalstrategie/").status_code == 404
    assert client_of(make_user("andere")).get("/prozesse/digitalstrategie/").status_code == 404
    response = client_of(organiser).get("/prozesse/digitalstrategie/")
    assert response.status_code == 200 and "Vorschau" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert "CAS.digital" not in Client().get("/prozesse/").content.decode()


def test_the_event_page_names_its_published_process(process, events):
    process.events.add(events["coming"])
    html = Client().get(events["coming"].get_absolute_url()).content.decode()
    assert 'href="/prozesse/digitalstrategie/"' in html
    process.published = False
    process.save()
    assert "/prozesse/digitalstrategie/" not in Client().get(events["coming"].get_absolute_url()).content.decode()


def test_the_list_shows_published_processes_with_their_current_phase(process):
    html = Client().get("/prozesse/").content.decode()
    assert "CAS.digital – Digitalisierungsstrategie" in html and "Themen-Labore" in html


@pytest.mark.parametrize(
    "path", ["/prozesse/unbekannt/", "/prozesse/unbekannt/veranstaltungen.ics", "/prozesse/unbekannt/einbetten/"]
)
def test_an_unknown_process_is_a_friendly_404(db, path):
    response = Client().get(path)
    assert response.status_code == 404


def test_the_calendar_feed_holds_the_public_events_and_answers_304_when_unchanged(process, events):
    process.events.add(events["coming"], events["draft"])
    response = Client().get("/prozesse/digitalstrategie/veranstaltungen.ics")
    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert events["coming"].title_de in body and events["draft"].title_de not in body
    again = Client().get("/prozesse/digitalstrategie/veranstaltungen.ics", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert "webcal://" in Client().get("/prozesse/digitalstrategie/").content.decode()


def test_registrations_of_other_events_do_not_count(process, events):
    register(events["coming"], registration_data(1), timezone.now())
    assert Registration.objects.count() == 1
    response = Client().get("/prozesse/digitalstrategie/")
    assert response.context["figures"].participants == 0


def test_every_public_page_leads_to_the_processes(db):
    html = Client().get("/").content.decode()
    assert 'href="/prozesse/"' in html and "Beteiligungsprozesse" in html
    assert 'href="/en/prozesse/"' in Client().get("/en/").content.decode()


def test_the_process_page_and_the_list_answer_304_until_something_changes(process, organiser):
    for url in ("/prozesse/digitalstrategie/", "/prozesse/"):
        first = Client().get(url)
        assert first.status_code == 200 and first.has_header("ETag")
        assert Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    first = Client().get("/prozesse/digitalstrategie/")
    data = ProcessData(slug=process.slug, title_de=process.title_de, description_de="Neu.", published=True)
    update_process(process, data, actor=organiser, now=timezone.now())
    changed = Client().get("/prozesse/digitalstrategie/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and "Neu." in changed.content.decode()
    assert not client_of(organiser).get("/prozesse/digitalstrategie/").has_header("ETag")
