"""The trace on an idea's own page continues into the result: the section of a published result
that accounts for the idea's backlog item, with how far it is taken up and why not. Nothing of a
result not published; a fixed number of queries however many results account for the item."""

from email import message_from_bytes

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ideas.models import BacklogStatus
from ideas.notifications import send_stage_mails
from processes.results import ItemAccount, SectionData
from processes.services import ProcessData, create_process
from registrations.models import OutboxMail
from tests.processes.conftest import add_idea, add_result, add_working_group


@pytest.fixture
def group(process):
    made = add_working_group("wlan", items=[("Freies WLAN in allen Bibliotheken", BacklogStatus.DONE)])
    process.working_groups.add(made)
    return made


@pytest.fixture
def idea(group, events):
    return add_idea(
        events["past"],
        "WLAN in der Stadtbücherei",
        for_plenum=True,
        working_group=group,
        backlog_item=group.items.get(),
    )


def write_result(process, group, organiser, *, sections=1, published=True, adoption="partly", reason=""):
    account = ItemAccount(group.items.get(), adoption, reason=reason, progress=40)
    return add_result(
        process,
        actor=organiser,
        sections=[(SectionData(f"Digitale Teilhabe {number}"), [account]) for number in range(1, sections + 1)],
        published=published,
    )


def page_of(idea):
    return Client().get(f"/veranstaltungen/{idea.event.slug}/ideen/{idea.pk}/")


def test_the_idea_page_leads_to_the_section_of_the_result_with_status_and_progress(process, group, organiser, idea):
    result = write_result(process, group, organiser)
    section = result.sections.get()

    html = page_of(idea).content.decode()

    assert html.index("Tisch 1") < html.index("AG wlan") < html.index("Freies WLAN in allen Bibliotheken")
    assert html.index("Freies WLAN in allen Bibliotheken") < html.index("Digitale Teilhabe 1")
    assert f'href="/prozesse/digitalstrategie/ergebnis/#section-{section.pk}"' in html
    assert "Digitalisierungsstrategie 2030" in html and "teilweise übernommen" in html and "40 % umgesetzt" in html


def test_an_item_not_taken_up_shows_the_reason(process, group, organiser, idea):
    write_result(process, group, organiser, adoption="not_adopted", reason="Sache des Landes.")
    html = page_of(idea).content.decode()
    assert "nicht übernommen" in html and "Sache des Landes." in html and "% umgesetzt" not in html


@pytest.mark.parametrize("unpublished", ["result", "process"])
def test_nothing_of_an_unpublished_result_shows(process, group, organiser, idea, unpublished):
    write_result(process, group, organiser, published=unpublished != "result")
    if unpublished == "process":
        process.published = False
        process.save()
    html = page_of(idea).content.decode()
    assert page_of(idea).status_code == 200
    assert "Digitale Teilhabe" not in html and "Digitalisierungsstrategie 2030" not in html


def test_the_idea_page_reads_the_same_number_of_queries_for_one_result_and_for_many(process, group, organiser, idea):
    write_result(process, group, organiser, sections=1)
    page_of(idea)  # what a first request caches is not counted
    with CaptureQueriesContext(connection) as one:
        assert page_of(idea).status_code == 200
    for number in range(3):
        other = create_process(
            ProcessData(slug=f"weiterer-{number}", title_de=f"Weiterer Prozess {number}", published=True),
            actor=organiser,
            now=timezone.now(),
        )
        other.working_groups.add(group)
        write_result(other, group, organiser, sections=4)
    with CaptureQueriesContext(connection) as many:
        html = page_of(idea).content.decode()
    assert html.count('data-step="result"') == 13
    assert len(many) == len(one)


def test_the_result_page_links_each_idea_to_its_own_page(process, group, organiser, idea):
    write_result(process, group, organiser)
    html = Client().get("/prozesse/digitalstrategie/ergebnis/").content.decode()
    assert f'href="/veranstaltungen/{idea.event.slug}/ideen/{idea.pk}/"' in html


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_status_mail_leads_to_the_idea_page_that_shows_the_section_of_the_result(
    process, group, organiser, idea, language, settings
):
    settings.SITE_URL = "http://testserver"
    idea.submitter_email, idea.updates_consent_at, idea.language = "anna@example.org", timezone.now(), language
    idea.save()
    write_result(process, group, organiser)

    send_stage_mails([idea.pk], now=timezone.now())

    mail = OutboxMail.objects.get(to="anna@example.org")
    body = message_from_bytes(bytes(mail.rendered)).get_payload(decode=True).decode()
    path = ("/en" if language == "en" else "") + f"/veranstaltungen/{idea.event.slug}/ideen/{idea.pk}/"
    assert f"http://testserver{path}\r\n" in body
    html = Client().get(path).content.decode()
    assert "WLAN in der Stadtbücherei" in html and "Digitale Teilhabe 1" in html
