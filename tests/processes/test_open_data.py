"""The open data of a process: events with anonymous counts, ideas, items, with the licence; no
personal data; the frame for the city's website only for the configured origins."""

import csv
import io
import json

from django.test import Client
from django.utils import timezone

from ideas.models import BacklogStatus, Moderation
from tests.factories import register, registration_data
from tests.processes.conftest import add_idea, add_working_group


def test_the_json_holds_events_counts_ideas_items_and_the_licence_but_no_person(process, events):
    process.events.add(events["coming"], events["draft"])
    register(
        events["coming"],
        registration_data(7, name="Erika Geheim", email="erika@example.org", companions=1),
        timezone.now(),
    )
    add_idea(
        events["coming"], "Sitzbänke am Markt", submitter_email="ideen@example.org", updates_consent_at=timezone.now()
    )
    add_idea(events["coming"], "Versteckt", moderation=Moderation.HIDDEN, hidden_reason="Beleidigend")
    process.working_groups.add(add_working_group("markt", items=[("Bänke", BacklogStatus.IN_PROGRESS)]))

    response = Client().get("/prozesse/digitalstrategie/offene-daten.json")
    data = json.loads(response.content)

    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    assert data["process"]["licence"] == "dl-de/by-2-0"
    assert [event["slug"] for event in data["events"]] == [events["coming"].slug]
    assert data["events"][0]["participants"] == 2
    assert [idea["title"] for idea in data["ideas"]] == ["Sitzbänke am Markt"]
    assert data["items"][0]["status"] == "in_progress"
    assert [phase["title_de"] for phase in data["phases"]] == ["Auftakt", "Themen-Labore", "Ratsbeschluss"]
    text = response.content.decode()
    assert "Erika" not in text and "example.org" not in text


def rows_of(url: str) -> list[list[str]]:
    body = b"".join(Client().get(url).streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


def test_each_kind_is_a_csv_with_a_header_and_the_licence_even_when_empty(process, events):
    process.events.add(events["coming"])
    add_idea(events["coming"], '=HYPERLINK("http://böse.example")')
    ideas = rows_of("/prozesse/digitalstrategie/offene-daten/ideas.csv")
    assert ideas[0][-1] == "licence" and ideas[1][-1] == "dl-de/by-2-0"
    assert ideas[1][2].startswith("'=")  # a formula is neutralised as in every export
    items = rows_of("/prozesse/digitalstrategie/offene-daten/items.csv")
    assert items == [["id", "working_group", "title", "status", "public_note", "reason", "url", "licence"]]
    assert Client().get("/prozesse/digitalstrategie/offene-daten/personen.csv").status_code == 404


def test_a_draft_process_has_no_open_data(process):
    process.published = False
    process.save()
    assert Client().get("/prozesse/digitalstrategie/offene-daten.json").status_code == 404


def test_the_frame_may_not_be_framed_without_configured_origins(process, events, settings):
    process.events.add(events["coming"])
    settings.EMBED_ORIGINS = []
    response = Client().get("/prozesse/digitalstrategie/einbetten/")
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    html = response.content.decode()
    assert "<script" not in html and 'target="_top"' in html and events["coming"].title_de in html


def test_the_frame_is_allowed_only_to_the_configured_origins(process, settings):
    settings.EMBED_ORIGINS = ["https://www.stadt.example"]
    response = Client().get("/prozesse/digitalstrategie/einbetten/")
    assert "frame-ancestors https://www.stadt.example" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    assert "frame-ancestors 'none'" in Client().get("/prozesse/digitalstrategie/")["Content-Security-Policy"]
