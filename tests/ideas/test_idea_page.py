"""An approved idea's own public page: where it was said, whether it went to the plenum, the
working group and the backlog item with its status. Ideas not approved are not there."""

import pytest
from django.test import Client
from django.utils import timezone

from ideas.models import BacklogItem, Idea, LiveVia, Moderation, WorkingGroup
from tests.factories import running_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def working_group(now):
    return WorkingGroup.objects.create(slug="mobilitaet", title="AG Mobilität", created_at=now)


def new_idea(event, title: str, **fields) -> Idea:
    now = timezone.now()
    return Idea.objects.create(
        event=event,
        title=title,
        source=fields.pop("source", "moderator"),
        moderation=fields.pop("moderation", Moderation.APPROVED),
        created_at=now,
        updated_at=now,
        **fields,
    )


def page_of(idea: Idea, client=None):
    return (client or Client()).get(f"/veranstaltungen/{idea.event.slug}/ideen/{idea.pk}/")


def test_the_idea_page_traces_the_idea_from_the_group_to_the_backlog_item(event, group, working_group, now):
    item = BacklogItem.objects.create(
        working_group=working_group,
        title="Fahrradstraßen",
        position=1,
        status="in_progress",
        public_note="Erste Straße im Frühjahr.",
        created_at=now,
        updated_at=now,
        status_changed_at=now,
    )
    idea = new_idea(event, "Mehr Radwege", group=group, for_plenum=True, working_group=working_group, backlog_item=item)

    response = page_of(idea)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Tisch 1") < html.index("Ins Plenum getragen.") < html.index("AG Mobilität")
    assert html.index("AG Mobilität") < html.index("Fahrradstraßen") < html.index("Erste Straße im Frühjahr.")
    assert event.title_de in html and "in Umsetzung" in html


def test_a_live_idea_names_where_it_was_sent_from_and_that_it_has_not_gone_on(event):
    idea = new_idea(event, "Frage aus dem Stream", source="live", via=LiveVia.STREAM)
    html = page_of(idea).content.decode()
    assert "Livestream" in html and "Nicht ins Plenum getragen." in html
    assert "Noch keiner Arbeitsgruppe übergeben." in html


def test_a_merged_idea_follows_the_idea_it_was_merged_into(event, group, working_group):
    kept = new_idea(event, "Radwege", group=group, working_group=working_group)
    merged = new_idea(event, "Radwege ausbauen", group=group, merged_into=kept)
    html = page_of(merged).content.decode()
    assert "Zusammengeführt mit „Radwege“" in html and "AG Mobilität" in html
    assert f"/ideen/{merged.pk}/" in page_of(kept).content.decode()  # also raised: linked from the other


@pytest.mark.parametrize("moderation", [Moderation.PENDING, Moderation.HIDDEN])
def test_an_idea_not_approved_has_no_page(event, group, moderation):
    idea = new_idea(event, "Nicht öffentlich", group=group, moderation=moderation, hidden_reason="Beleidigung")
    assert page_of(idea).status_code == 404


def test_an_idea_is_found_only_under_its_own_event(event, other_event, group):
    idea = new_idea(event, "Radwege", group=group)
    assert Client().get(f"/veranstaltungen/{other_event.slug}/ideen/{idea.pk}/").status_code == 404


def test_an_idea_of_a_draft_event_is_only_for_its_organisers(organiser_client, organiser):
    draft = running_event(status="draft", team=[organiser])
    idea = new_idea(draft, "Vorschau", source="live")
    assert page_of(idea).status_code == 404
    assert page_of(idea, organiser_client).status_code == 200


def test_the_event_ideas_page_links_each_idea_to_its_page(event, group):
    idea = new_idea(event, "Mehr Radwege", group=group)
    html = Client().get(f"/veranstaltungen/{event.slug}/ideen/").content.decode()
    assert f'href="/veranstaltungen/{event.slug}/ideen/{idea.pk}/"' in html
