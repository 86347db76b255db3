"""The plenum wall and the backlog pages use the same number of SQL queries for 10 ideas and for
1,000: every list is fetched in one go, never idea by idea."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ideas import services
from ideas.models import BacklogItem, BreakoutGroup, Idea, WorkingGroup
from tests.factories import running_event


def fill(size: int, *, organiser, working_group) -> object:
    """An event with four groups and `size` ideas: half marked for the plenum, some merged, most
    handed to the working group, one backlog item for every five of those."""
    event = running_event(team=[organiser])
    now = timezone.now()
    groups = [
        services.create_group(event, services.GroupData(f"Gruppe {n}"), actor=organiser, now=now)[0] for n in range(4)
    ]
    ideas = Idea.objects.bulk_create(
        Idea(
            event=event,
            group=groups[n % 4],
            title=f"Idee {n}",
            text="Text",
            for_plenum=n % 2 == 0,
            marked_for_plenum_at=now if n % 2 == 0 else None,
            source="moderator",
            moderation="approved",
            created_at=now,
            updated_at=now,
        )
        for n in range(size)
    )
    survivors = [idea for n, idea in enumerate(ideas) if n % 10 != 9]
    for n, idea in enumerate(ideas):
        if n % 10 == 9:
            idea.merged_into, idea.for_plenum = ideas[n - 1], False
    items = BacklogItem.objects.bulk_create(
        BacklogItem(
            working_group=working_group,
            title=f"Punkt {n}",
            position=n + 1,
            created_at=now,
            updated_at=now,
            status_changed_at=now,
        )
        for n in range(len(survivors) // 5)
    )
    for n, idea in enumerate(survivors):
        idea.working_group = working_group
        if n // 5 < len(items) and n % 5 < 4:
            idea.backlog_item = items[n // 5]
    Idea.objects.bulk_update(ideas, ["merged_into", "for_plenum", "working_group", "backlog_item"])
    return event


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def two_sizes(organiser, lead, now):
    small_group = services.create_working_group("Klein", actor=organiser, leads=[lead], now=now)
    large_group = services.create_working_group("Groß", actor=organiser, leads=[lead], now=now)
    small = fill(10, organiser=organiser, working_group=small_group)
    large = fill(1000, organiser=organiser, working_group=large_group)
    assert Idea.objects.filter(event=large).count() == 1000
    return (small, small_group), (large, large_group)


@pytest.mark.parametrize(
    "page",
    ["ideas:plenum", "ideas:plenum_ideas", "ideas:event_ideas"],
)
def test_plenum_and_event_pages_do_not_grow_with_the_ideas(client, two_sizes, page):
    (small, _), (large, _) = two_sizes
    small_count = queries_for(client, reverse(page, args=[small.slug]))
    large_count = queries_for(client, reverse(page, args=[large.slug]))
    assert small_count == large_count


def test_plenum_wall_shows_the_large_event_completely(client, two_sizes):
    (_, _), (large, _) = two_sizes
    page = client.get(reverse("ideas:plenum", args=[large.slug])).text
    assert page.count("data-idea-id=") == Idea.objects.filter(event=large, for_plenum=True).count() == 500


@pytest.mark.parametrize("page", ["ideas:working_group", "ideas:backlog"])
def test_backlog_pages_do_not_grow_with_the_ideas(client, lead, two_sizes, page):
    (_, small_group), (_, large_group) = two_sizes
    client.force_login(lead)
    assert queries_for(client, reverse(page, args=[small_group.slug])) == queries_for(
        client, reverse(page, args=[large_group.slug])
    )


def test_api_plenum_and_backlog_do_not_grow_with_the_ideas(client, two_sizes):
    (small, small_group), (large, large_group) = two_sizes
    assert queries_for(client, f"/api/events/{small.slug}/plenum") == queries_for(
        client, f"/api/events/{large.slug}/plenum"
    )
    assert queries_for(client, f"/api/working-groups/{small_group.slug}") == queries_for(
        client, f"/api/working-groups/{large_group.slug}"
    )


def test_organiser_board_does_not_grow_with_the_ideas(client, organiser, two_sizes):
    (small, _), (large, _) = two_sizes
    client.force_login(organiser)
    assert queries_for(client, reverse("ideas:organise", args=[small.slug])) == queries_for(
        client, reverse("ideas:organise", args=[large.slug])
    )
    assert BreakoutGroup.objects.filter(event=large).count() == 4
    assert WorkingGroup.objects.count() == 2
