"""Every public reader of ideas shows approved ideas only (`Idea.objects.public()`): a pending
and a hidden contribution are in none of them, even when the database says they were marked for
the plenum, handed to a working group, put into a backlog item or merged into a public idea.
An approved idea placed the same way is in every one of them, so each check can fail."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ideas import services
from ideas.models import Idea, Moderation
from tests.ideas.ideas_factories import add_idea

PENDING = "WartetAufFreigabe"
HIDDEN = "VerborgenMitGrund"
PUBLIC = "FreigegebenOffen"


@pytest.fixture
def placed(group, moderator, organiser, lead, working_group, now):
    """Ideas in every public place: approved ones, pending ones and hidden ones (one word each,
    so that no export escapes a character of their titles)."""
    public = add_idea(group, PUBLIC, actor=moderator, for_plenum=True)
    services.sort_into_working_group(public, working_group, actor=organiser, now=now)
    services.create_backlog_item(working_group, "Backlog-Eintrag", [public.pk], actor=lead, now=now)
    waiting_public = add_idea(group, PUBLIC + "WARTEND", actor=moderator)
    services.sort_into_working_group(waiting_public, working_group, actor=organiser, now=now)
    item = Idea.objects.get(pk=public.pk).backlog_item
    for title, state in ((PENDING, Moderation.PENDING), (HIDDEN, Moderation.HIDDEN)):
        for suffix, fields in (
            ("PLENUM", {"for_plenum": True, "marked_for_plenum_at": now}),
            ("AG", {"working_group": working_group}),
            ("BACKLOG", {"working_group": working_group, "backlog_item": item}),
            ("DUPLIKAT", {"merged_into": public}),
        ):
            idea, _created = services.add_idea_at_table(
                group, services.IdeaDraft(title=title + suffix), client_id=title + suffix, now=now
            )
            Idea.objects.filter(pk=idea.pk).update(moderation=state, hidden_reason="Grund", **fields)
    return public


def public_readers(event, working_group, organiser, lead) -> dict:
    """Every page, feed, API answer and export that shows ideas to someone outside the team's
    capture pages and moderation queue."""
    anonymous, organiser_client, lead_client = Client(), Client(), Client()
    organiser_client.force_login(organiser)
    lead_client.force_login(lead)
    readers = {
        "event ideas page": anonymous.get(reverse("ideas:event_ideas", args=[event.slug])),
        "plenum wall": anonymous.get(reverse("ideas:plenum", args=[event.slug])),
        "plenum wall poll": anonymous.get(reverse("ideas:plenum_ideas", args=[event.slug])),
        "working group page": anonymous.get(reverse("ideas:working_group", args=[working_group.slug])),
        "English event ideas page": anonymous.get("/en" + reverse("ideas:event_ideas", args=[event.slug])),
        "API plenum": anonymous.get(f"/api/events/{event.slug}/plenum"),
        "API working group": anonymous.get(f"/api/working-groups/{working_group.slug}"),
        "organisers' board": organiser_client.get(reverse("ideas:organise", args=[event.slug])),
        "leads' backlog page": lead_client.get(reverse("ideas:backlog", args=[working_group.slug])),
    }
    for fmt in ("csv", "json", "md", "consul.csv"):
        readers[f"event export {fmt}"] = organiser_client.get(reverse("ideas:event_export", args=[event.slug, fmt]))
        readers[f"working group export {fmt}"] = lead_client.get(
            reverse("ideas:working_group_export", args=[working_group.slug, fmt])
        )
    return readers


def body_of(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8-sig")


def test_no_public_reader_shows_a_pending_or_hidden_contribution(placed, event, working_group, organiser, lead):
    for name, response in public_readers(event, working_group, organiser, lead).items():
        body = body_of(response)
        assert response.status_code == 200, name
        assert PENDING not in body, name
        assert HIDDEN not in body, name


def test_every_public_reader_shows_the_approved_idea(placed, event, working_group, organiser, lead):
    for name, response in public_readers(event, working_group, organiser, lead).items():
        assert PUBLIC in body_of(response), name


def test_a_pending_idea_gets_no_dot_even_when_marked_for_the_plenum(group, organiser, now):
    idea, _created = services.add_idea_at_table(group, services.IdeaDraft(title="Wartet"), client_id="p", now=now)
    Idea.objects.filter(pk=idea.pk).update(for_plenum=True, marked_for_plenum_at=now)
    services.configure_voting(group.event, 3, actor=organiser, now=now)
    services.set_voting_open(group.event, True, actor=organiser, now=now)
    voter = services.voter_for_device(group.event, "geraet", now=now)

    with pytest.raises(Exception) as refused:
        services.give_dot(voter, idea.pk, now=now)

    assert refused.value.code == "idea_not_in_plenum"
    assert idea.dots.count() == 0


def test_a_pending_idea_cannot_be_handed_to_a_working_group(group, organiser, working_group, now):
    idea, _created = services.add_idea_at_table(group, services.IdeaDraft(title="Wartet"), client_id="w", now=now)

    with pytest.raises(Exception) as refused:
        services.sort_into_working_group(idea, working_group, actor=organiser, now=timezone.now())

    assert refused.value.code == "idea_not_approved"
    assert Idea.objects.get(pk=idea.pk).working_group is None
