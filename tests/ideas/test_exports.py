"""Exports of an event's ideas and a working group's backlog: CSV (safe against formula
injection), a Markdown protocol, JSON and a CSV for CONSUL's proposal import."""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.csv import neutralise
from ideas import services
from ideas.exports import escape_markdown
from tests.ideas.ideas_factories import add_idea


@pytest.fixture
def sorted_ideas(group, moderator, organiser, lead, working_group):
    risky = add_idea(group, '=HYPERLINK("http://evil")', actor=moderator, text="+49 123", theme="@Verwaltung")
    plain = add_idea(group, "Termine *online* buchen", actor=moderator, text="# keine Überschrift", for_plenum=True)
    services.sort_into_working_group(risky, working_group, actor=organiser, now=timezone.now())
    services.sort_into_working_group(plain, working_group, actor=organiser, now=timezone.now())
    item = services.create_backlog_item(working_group, "Terminbuchung", [plain.pk], actor=lead, now=timezone.now())
    services.update_backlog_item(
        item, services.ItemChanges(status="in_progress", public_note="-Pilot läuft"), actor=lead, now=timezone.now()
    )
    return risky, plain


def rows(response):
    """CONSUL's file: commas, English columns."""
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def table(response):
    """The ideas table, in the format of every export: BOM, semicolons, the page's language."""
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_cells_that_a_spreadsheet_would_run_are_neutralised(value):
    assert neutralise(value) == "'" + value


def test_ordinary_cells_stay_as_they_are():
    assert neutralise("Bürgerbüro") == "Bürgerbüro"
    assert neutralise(None) == ""


def test_event_csv_lists_every_idea_with_where_it_stands(organiser_client, event, sorted_ideas):
    response = organiser_client.get(reverse("ideas:event_export", args=[event.slug, "csv"]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="ideen-{event.slug}-')
    assert response["Content-Disposition"].endswith('.csv"')
    risky, plain = table(response)
    assert risky["Titel"] == '\'=HYPERLINK("http://evil")'
    assert risky["Text"] == "'+49 123"
    assert risky["Thema"] == "'@Verwaltung"
    assert risky["Im Plenum"] == "nein"
    assert plain["Im Plenum"] == "ja"
    assert plain["Titel"] == "Termine *online* buchen"  # as written: a spreadsheet shows text as text
    assert plain["Status"] == "in Umsetzung"
    assert plain["Öffentliche Notiz"] == "'-Pilot läuft"
    assert plain["Gruppe"] == "Tisch 1"


def test_ideas_csv_in_english_on_english_pages(organiser_client, event, sorted_ideas):
    with translation.override("en"):
        response = organiser_client.get(reverse("ideas:event_export", args=[event.slug, "csv"]))

    risky, plain = table(response)
    assert list(risky)[:3] == ["No.", "Title", "Text"]
    assert plain["Taken to the plenum"] == "yes"


def test_the_protocol_escapes_only_what_would_format():
    assert escape_markdown("ÖPNV-Takt (Linie 5), Bus 1.5 km") == "ÖPNV-Takt (Linie 5), Bus 1.5 km"
    assert escape_markdown("- keine Liste") == "\\- keine Liste"
    assert escape_markdown("1. Platz") == "1\\. Platz"
    assert escape_markdown("<b>fett</b> [Link](x)") == "\\<b\\>fett\\</b\\> \\[Link\\](x)"


def test_csv_never_carries_the_submitters_address(organiser_client, event, group):
    services.add_idea_at_table(
        group,
        services.IdeaDraft(title="Mit Adresse", email="geheim@example.org", updates_consent=True),
        client_id="x",
        now=timezone.now(),
    )
    for fmt in ("csv", "json", "md", "consul.csv"):
        response = organiser_client.get(reverse("ideas:event_export", args=[event.slug, fmt]))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"geheim@example.org" not in body


def test_markdown_protocol_reads_well_and_keeps_citizens_words_inert(organiser_client, event, sorted_ideas):
    response = organiser_client.get(reverse("ideas:event_export", args=[event.slug, "md"]))

    text = response.content.decode()
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert text.startswith("# ")
    assert "## Tisch 1" in text
    assert "**Termine \\*online\\* buchen**" in text
    assert "\\# keine Überschrift" in text


def test_event_json_has_the_event_and_every_idea(organiser_client, event, sorted_ideas):
    body = json.loads(organiser_client.get(reverse("ideas:event_export", args=[event.slug, "json"])).content)

    assert body["event"]["slug"] == event.slug
    assert [idea["title"] for idea in body["ideas"]] == [idea.title for idea in sorted_ideas]
    assert body["ideas"][1]["working_group"] == "Digitale Verwaltung"


def test_consul_csv_has_the_columns_of_consuls_proposal_import(organiser_client, event, group, moderator):
    add_idea(group, "T" * 140, actor=moderator, text="Lang " * 100, theme="Schulen")

    response = organiser_client.get(reverse("ideas:event_export", args=[event.slug, "consul.csv"]))

    (row,) = rows(response)
    assert list(row) == ["title", "summary", "description", "tags"]
    assert len(row["title"]) <= 80 and row["title"].endswith("…")
    assert len(row["summary"]) <= 200
    assert "Tisch 1" in row["description"]
    assert row["tags"] == "Schulen, Tisch 1"


def test_working_group_exports_follow_the_backlog(client, lead, working_group, sorted_ideas):
    client.force_login(lead)
    url = lambda fmt: reverse("ideas:working_group_export", args=[working_group.slug, fmt])  # noqa: E731

    protocol = client.get(url("md")).content.decode()
    data = json.loads(client.get(url("json")).content)
    consul = rows(client.get(url("consul.csv")))
    ideas = table(client.get(url("csv")))

    assert "1. **Terminbuchung**" in protocol
    assert "\\-Pilot läuft" in protocol
    assert "Tisch 1" in protocol
    assert [item["title"] for item in data["items"]] == ["Terminbuchung"]
    assert data["items"][0]["idea_ids"] == [sorted_ideas[1].pk]
    assert [row["title"] for row in consul] == ["Terminbuchung"]
    assert consul[0]["summary"] == "'-Pilot läuft"
    assert {row["Titel"] for row in ideas} == {'\'=HYPERLINK("http://evil")', "Termine *online* buchen"}


def test_exports_are_for_organisers_and_leads_only(client, other_organiser, event, working_group, sorted_ideas, db):
    anonymous = client.get(reverse("ideas:event_export", args=[event.slug, "csv"]))
    client.force_login(other_organiser)
    foreign = client.get(reverse("ideas:event_export", args=[event.slug, "csv"]))

    assert anonymous.status_code == 302
    assert foreign.status_code == 404


def test_unknown_export_format_is_not_found(organiser_client, event):
    assert organiser_client.get(reverse("ideas:event_export", args=[event.slug, "xlsx"])).status_code == 404
