"""The result of a process: the team writes it in sections and accounts for each working-group
item; citizens read what became of the ideas, as a page and as the same PDF (read back here)."""

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from events.models import AuditEntry
from ideas.models import BacklogStatus
from processes.models import SectionItem
from processes.results import ItemAccount, SectionData
from tests.factories import make_user
from tests.processes.conftest import add_idea, add_result, add_working_group
from tests.registrations.staff_helpers import client_of


@pytest.fixture
def group(process, events):
    made = add_working_group(
        "wlan", items=[("Freies WLAN in allen Bibliotheken", BacklogStatus.DONE), ("Glasfaser", BacklogStatus.NEW)]
    )
    process.working_groups.add(made)
    item = made.items.get(position=0)
    add_idea(events["past"], "WLAN in der Stadtbücherei", working_group=made, backlog_item=item)
    return made


@pytest.fixture
def result(process, group, organiser):
    section = SectionData("Digitale Teilhabe", heading_en="Digital participation", text_de="Alle sollen teilhaben.")
    accounts = [
        ItemAccount(group.items.get(position=0), "adopted", progress=60),
        ItemAccount(group.items.get(position=1), "not_adopted", reason="Sache des Bundes."),
    ]
    return add_result(process, actor=organiser, sections=[(section, accounts)])


def test_the_report_traces_an_idea_from_the_room_to_the_adopted_section(result, events):
    response = Client().get("/prozesse/digitalstrategie/ergebnis/")
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        html.index("Digitale Teilhabe")
        < html.index("Freies WLAN in allen Bibliotheken")
        < html.index("WLAN in der Stadtbücherei")
    )
    assert "60 %" in html and "Sache des Bundes." in html and "18. März 2027" in html
    assert events["past"].title_de in html and "Tisch 1" in html  # where the idea was said


def test_the_pdf_is_the_same_report_in_the_readers_language(result):
    response = Client().get("/en/prozesse/digitalstrategie/ergebnis.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Digital strategy 2030" in text and "Digital participation" in text
    assert "Freies WLAN in allen Bibliotheken" in text and "60 % done" in text and "18 March 2027" in text


def test_an_unpublished_result_is_only_for_the_team(result, organiser):
    result.published = False
    result.save()
    assert Client().get("/prozesse/digitalstrategie/ergebnis/").status_code == 404
    assert Client().get("/prozesse/digitalstrategie/ergebnis.pdf").status_code == 404
    assert "Digitalisierungsstrategie 2030" not in Client().get("/prozesse/digitalstrategie/").content.decode()
    assert client_of(organiser).get("/prozesse/digitalstrategie/ergebnis/").status_code == 200


def test_the_process_page_leads_to_the_published_result(result):
    html = Client().get("/prozesse/digitalstrategie/").content.decode()
    assert "/prozesse/digitalstrategie/ergebnis/" in html and "Digitalisierungsstrategie 2030" in html


def test_the_team_accounts_for_an_item_and_is_refused_at_the_field_without_a_reason(result, group, organiser):
    section = result.sections.get()
    SectionItem.objects.all().delete()
    client = client_of(organiser)
    url = f"/organisation/prozesse/digitalstrategie/ergebnis/abschnitte/{section.pk}/punkte/"
    prefix = f"section-{section.pk}"
    item = group.items.get(position=1)
    refused = client.post(
        url, {f"{prefix}-item": item.pk, f"{prefix}-adoption": "not_adopted", f"{prefix}-progress": "0"}
    )
    assert refused.status_code == 422 and f'id="id_{prefix}-reason_error"' in refused.content.decode()
    assert not SectionItem.objects.exists()
    too_far = client.post(
        url, {f"{prefix}-item": item.pk, f"{prefix}-adoption": "adopted", f"{prefix}-progress": "120"}
    )
    assert too_far.status_code == 422 and not SectionItem.objects.exists()
    client.post(url, {f"{prefix}-item": item.pk, f"{prefix}-adoption": "partly", f"{prefix}-progress": "30"})
    assert SectionItem.objects.get().progress == 30
    assert AuditEntry.objects.filter(action="process.item_accounted").count() == 3


def test_an_item_of_another_process_cannot_be_accounted_for(result, organiser):
    stranger = add_working_group("fremd", items=[("Fremder Punkt", BacklogStatus.NEW)])
    section = result.sections.get()
    prefix = f"section-{section.pk}"
    response = client_of(organiser).post(
        f"/organisation/prozesse/digitalstrategie/ergebnis/abschnitte/{section.pk}/punkte/",
        {f"{prefix}-item": stranger.items.get().pk, f"{prefix}-adoption": "adopted", f"{prefix}-progress": "10"},
    )
    assert response.status_code == 422 and not SectionItem.objects.filter(item__working_group=stranger).exists()


def test_the_team_writes_the_document_and_its_sections(process, organiser):
    client = client_of(organiser)
    client.post("/organisation/prozesse/digitalstrategie/ergebnis/", {"title_de": "Konzept"})
    client.post("/organisation/prozesse/digitalstrategie/ergebnis/abschnitte/", {"heading_de": "Verwaltung"})
    assert [section.heading_de for section in process.result.sections.all()] == ["Verwaltung"]
    missing = client.post(
        "/organisation/prozesse/digitalstrategie/ergebnis/abschnitte/", {"text_de": "ohne Überschrift"}
    )
    assert missing.status_code == 422 and "ohne Überschrift" in missing.content.decode()


def test_nobody_outside_the_team_may_write_the_result(process):
    stranger = make_user("fremd")
    assert (
        client_of(stranger).post("/organisation/prozesse/digitalstrategie/ergebnis/", {"title_de": "X"}).status_code
        == 404
    )
    assert client_of(None).get("/organisation/prozesse/digitalstrategie/ergebnis/").status_code == 302


def test_the_open_data_carries_the_published_result(result):
    data = Client().get("/prozesse/digitalstrategie/offene-daten.json").json()
    assert data["result"]["adopted_on"] == "2027-03-18"
    assert [item["adoption"] for item in data["result"]["sections"][0]["items"]] == ["adopted", "not_adopted"]
    result.published = False
    result.save()
    assert Client().get("/prozesse/digitalstrategie/offene-daten.json").json()["result"] is None
