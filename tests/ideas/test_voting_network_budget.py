"""Dot voting per device is limited per network: one script with fresh cookies cannot stuff one
idea beyond what a full room gives it (findings L6; numbers in docs/ideas.md)."""

import pytest
from django.test import Client
from django.urls import reverse

from events.models import SeatPool
from ideas import services
from ideas.access import plenum_vote_token
from ideas.models import Dot
from ideas.services.network_budget import DOTS_PER_IDEA_FLOOR, dots_per_idea_per_network
from tests.factories import confirmed_registration
from tests.ideas.ideas_factories import add_idea

pytestmark = pytest.mark.django_db

DOTS = 3


@pytest.fixture
def open_voting(event, organiser, now):
    services.configure_voting(event, DOTS, actor=organiser, now=now)
    return services.set_voting_open(event, True, actor=organiser, now=now)


@pytest.fixture
def second_idea(group, moderator):
    return add_idea(group, "Trinkbrunnen am Rathaus", actor=moderator, for_plenum=True)


def vote_path(event) -> str:
    return reverse("ideas:vote", args=[event.slug])


def device(event, address="203.0.113.7") -> Client:
    """A fresh cookie from one address, as a script makes them."""
    phone = Client(REMOTE_ADDR=address)
    assert phone.get(vote_path(event)).status_code == 200
    return phone


def give(phone, event, idea):
    return phone.post(vote_path(event), {"idea": idea.pk, "action": "give"}, HTTP_HX_REQUEST="true")


def test_fresh_cookies_from_one_address_stop_at_the_networks_budget_for_one_idea(
    event, open_voting, plenum_idea, second_idea
):
    budget = dots_per_idea_per_network(event)
    answers = [
        give(phone, event, plenum_idea)
        for phone in (device(event) for _ in range(budget // DOTS + 1))
        for _ in range(DOTS)
    ]

    assert budget == DOTS_PER_IDEA_FLOOR
    assert Dot.objects.filter(idea=plenum_idea).count() == budget
    refused = [answer for answer in answers if answer.status_code == 429]
    assert len(refused) == len(answers) - budget
    assert 'data-code="network_budget_spent"' in refused[0].text
    assert give(device(event), event, second_idea).status_code == 200
    assert give(device(event, address="198.51.100.20"), event, plenum_idea).status_code == 200


def test_a_dot_taken_back_returns_to_the_budget(event, open_voting, plenum_idea):
    phones = [device(event) for _ in range(DOTS_PER_IDEA_FLOOR // DOTS)]
    for phone in phones:
        for _ in range(DOTS):
            assert give(phone, event, plenum_idea).status_code == 200
    late = device(event)
    assert give(late, event, plenum_idea).status_code == 429

    taken = phones[0].post(vote_path(event), {"idea": plenum_idea.pk, "action": "take"}, HTTP_HX_REQUEST="true")

    assert taken.status_code == 200
    assert give(late, event, plenum_idea).status_code == 200
    assert Dot.objects.filter(idea=plenum_idea).count() == DOTS_PER_IDEA_FLOOR


def test_a_refused_dot_leaves_the_devices_own_budget_untouched(event, open_voting, plenum_idea, second_idea):
    for phone in [device(event) for _ in range(DOTS_PER_IDEA_FLOOR // DOTS)]:
        for _ in range(DOTS):
            give(phone, event, plenum_idea)
    late = device(event)

    assert give(late, event, plenum_idea).status_code == 429
    assert [give(late, event, second_idea).status_code for _ in range(DOTS)] == [200] * DOTS


def test_the_budget_is_the_rooms_seats_on_site(event):
    SeatPool.objects.create(event=event, seat_type="onsite", capacity=180)

    assert dots_per_idea_per_network(event) == 180


def test_registrations_voting_by_their_link_are_not_counted_against_the_network(event, open_voting, plenum_idea):
    voters = [confirmed_registration(event, f"Person {n}") for n in range(DOTS_PER_IDEA_FLOOR // DOTS + 1)]
    for registration in voters:
        path = reverse("ideas:personal_vote", args=[plenum_vote_token(registration)])
        for _ in range(DOTS):
            assert Client().post(path, {"idea": plenum_idea.pk, "action": "give"}).status_code == 302

    assert Dot.objects.filter(idea=plenum_idea).count() == len(voters) * DOTS > DOTS_PER_IDEA_FLOOR
