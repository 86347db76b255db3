"""The backlog board: columns by status, an item moved by a button (a plain form), a rejection
only with a reason (answered at the field, nothing saved), for the group's leads only."""

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import AuditEntry
from ideas import services
from ideas.models import BacklogItem
from tests.factories import make_user
from tests.ideas.ideas_factories import add_idea
from tests.registrations.staff_helpers import client_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(working_group, group, moderator, organiser, lead):
    idea = add_idea(group, "Serviceportal", actor=moderator)
    services.sort_into_working_group(idea, working_group, actor=organiser, now=timezone.now())
    return services.create_backlog_item(working_group, "Serviceportal", [idea.pk], actor=lead, now=timezone.now())


def move(client, item, **data):
    url = reverse("ideas:move_item", args=[item.working_group.slug, item.pk])
    return client.post(url, {f"move-{item.pk}-{key}": value for key, value in data.items()}, follow=True)


def test_the_board_shows_a_column_per_status_with_the_item_in_its_own(item, lead):
    response = client_of(lead).get(reverse("ideas:backlog_board", args=[item.working_group.slug]))
    assert response.status_code == 200
    columns = response.text.split('class="backlog-board__column"')[1:]
    assert len(columns) == 5
    assert "Serviceportal" in columns[0] and all("Serviceportal" not in column for column in columns[1:])
    assert "Verschieben nach „in Umsetzung“" in columns[0]


def test_a_lead_moves_an_item_with_a_button(item, lead):
    response = move(client_of(lead), item, status="in_progress")
    assert response.status_code == 200
    assert BacklogItem.objects.get(pk=item.pk).status == "in_progress"
    assert "„Serviceportal“ ist jetzt: in Umsetzung." in response.text
    assert AuditEntry.objects.filter(action="backlog_item.updated", target_id=item.pk).exists()


def test_a_rejection_without_a_reason_is_answered_at_the_field_and_changes_nothing(item, lead):
    response = move(client_of(lead), item, status="rejected", rejection_reason="  ")
    assert response.status_code == 422
    assert '<details class="backlog-board__reject" open>' in response.text
    assert 'aria-invalid="true"' in response.text or "kern-form-input--error" in response.text
    assert BacklogItem.objects.get(pk=item.pk).status == "new"


def test_a_rejection_with_a_reason_is_saved_with_it(item, lead):
    move(client_of(lead), item, status="rejected", rejection_reason="Schon umgesetzt.")
    saved = BacklogItem.objects.get(pk=item.pk)
    assert (saved.status, saved.rejection_reason) == ("rejected", "Schon umgesetzt.")


def test_an_unknown_status_changes_nothing(item, lead):
    response = move(client_of(lead), item, status="archived")
    assert response.status_code == 422
    assert BacklogItem.objects.get(pk=item.pk).status == "new"


@pytest.mark.parametrize("who", ["staff_member_not_leading", "anonymous"])
def test_only_leads_move_items(item, who):
    client = client_of(make_user("andere-leitung") if who == "staff_member_not_leading" else None)
    response = client.post(reverse("ideas:move_item", args=[item.working_group.slug, item.pk]), {})
    assert response.status_code in (302, 403)
    assert BacklogItem.objects.get(pk=item.pk).status == "new"


def test_the_presentation_mode_shows_the_wall_without_site_chrome_or_controls(plenum_idea, event):
    response = client_of(None).get(reverse("ideas:plenum_presentation", args=[event.slug]))
    assert response.status_code == 200
    assert "Mehr Bänke am Markt" in response.text
    assert "<header" not in response.text and "<footer" not in response.text and "<button" not in response.text
    assert reverse("ideas:plenum", args=[event.slug]) in response.text
    wall = client_of(None).get(reverse("ideas:plenum", args=[event.slug]))
    assert reverse("ideas:plenum_presentation", args=[event.slug]) in wall.text
