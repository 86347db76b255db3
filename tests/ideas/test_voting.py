"""Dot voting in the plenum, the rules: organisers set the dots and open or close the voting;
voters give dots within their budget and take them back while it is open; bad input changes
nothing."""

import pytest
from django.utils import timezone

from events.models import AuditEntry
from ideas import services
from ideas.models import Dot, PlenumVoting, Voter
from tests.factories import confirmed_registration, running_event
from tests.ideas.ideas_factories import add_idea


@pytest.fixture
def open_voting(event, organiser, now):
    services.configure_voting(event, 3, actor=organiser, now=now)
    return services.set_voting_open(event, True, actor=organiser, now=now)


@pytest.fixture
def voter(event, now):
    return services.voter_for_device(event, "geraet-1", now=now)


def dots_on(idea) -> int:
    return Dot.objects.filter(idea=idea).count()


def test_a_voter_gives_dots_until_the_budget_is_spent(open_voting, voter, plenum_idea, now):
    for _ in range(3):
        services.give_dot(voter, plenum_idea.pk, now=now)

    with pytest.raises(services.voting.DomainError) as refusal:
        services.give_dot(voter, plenum_idea.pk, now=now)

    assert refusal.value.code == "no_dots_left"
    assert dots_on(plenum_idea) == 3
    assert Voter.objects.get(pk=voter.pk).dots_used == 3


def test_a_dot_taken_back_can_be_given_again(open_voting, voter, plenum_idea, group, moderator, now):
    other = add_idea(group, "Radweg", actor=moderator, for_plenum=True)
    for _ in range(3):
        services.give_dot(voter, plenum_idea.pk, now=now)

    services.take_back_dot(voter, plenum_idea.pk, now=now)
    services.give_dot(voter, other.pk, now=now)

    assert (dots_on(plenum_idea), dots_on(other)) == (2, 1)
    assert Voter.objects.get(pk=voter.pk).dots_used == 3
    assert AuditEntry.objects.filter(action="plenum_dot.taken_back", actor_label=str(voter)).count() == 1


def test_taking_back_without_a_dot_on_the_idea_is_refused(open_voting, voter, plenum_idea, now):
    with pytest.raises(services.voting.DomainError) as refusal:
        services.take_back_dot(voter, plenum_idea.pk, now=now)
    assert refusal.value.code == "no_dot_to_take_back"
    assert Voter.objects.get(pk=voter.pk).dots_used == 0


@pytest.mark.parametrize("is_open", [False, None])
def test_no_dot_is_given_or_taken_back_while_voting_is_closed_or_off(
    event, organiser, voter, plenum_idea, now, is_open
):
    if is_open is False:
        services.configure_voting(event, 3, actor=organiser, now=now)
        services.set_voting_open(event, True, actor=organiser, now=now)
        services.give_dot(voter, plenum_idea.pk, now=now)
        services.set_voting_open(event, False, actor=organiser, now=now)

    for change in (services.give_dot, services.take_back_dot):
        with pytest.raises(services.voting.DomainError) as refusal:
            change(voter, plenum_idea.pk, now=now)
        assert refusal.value.code == "voting_closed"
    assert dots_on(plenum_idea) == (1 if is_open is False else 0)


def test_setting_zero_dots_turns_the_voting_off(event, organiser, open_voting, now):
    voting = services.configure_voting(event, 0, actor=organiser, now=now)
    assert (voting.dots_per_voter, voting.is_open) == (0, False)


@pytest.mark.parametrize(
    ("idea_id", "code"),
    [
        ("999999", "idea_not_found"),
        ("abc", "idea_not_found"),
        ("other_event", "idea_of_other_event"),
        ("not_marked", "idea_not_in_plenum"),
    ],
)
def test_dots_only_go_to_ideas_on_this_events_wall(
    open_voting, voter, plenum_idea, group, moderator, other_organiser, now, idea_id, code
):
    if idea_id == "other_event":
        other_event = running_event(team=[other_organiser])
        other_group, _access = services.create_group(
            other_event, services.GroupData("Anderswo"), actor=other_organiser, now=now
        )
        idea_id = add_idea(other_group, "Fremd", actor=other_organiser, for_plenum=True).pk
    elif idea_id == "not_marked":
        idea_id = add_idea(group, "Nur in der Gruppe", actor=moderator).pk

    with pytest.raises(services.voting.DomainError) as refusal:
        services.give_dot(voter, idea_id, now=now)

    assert refusal.value.code == code
    assert Dot.objects.count() == 0
    assert Voter.objects.get(pk=voter.pk).dots_used == 0


def test_dots_of_a_merged_idea_follow_it_to_the_idea_it_was_merged_into(
    open_voting, voter, plenum_idea, group, moderator, organiser, now
):
    duplicate = add_idea(group, "Sitzbänke", actor=moderator, for_plenum=True)
    services.give_dot(voter, duplicate.pk, now=now)

    services.merge_ideas(plenum_idea, [duplicate], actor=organiser, now=now)

    assert (dots_on(plenum_idea), dots_on(duplicate)) == (1, 0)


def test_organisers_of_other_events_and_anonymous_people_cannot_configure_or_open(event, other_organiser, now):
    from django.contrib.auth.models import AnonymousUser

    for actor in (other_organiser, AnonymousUser()):
        with pytest.raises(services.voting.DomainError) as refusal:
            services.configure_voting(event, 5, actor=actor, now=now)
        assert (refusal.value.code, refusal.value.status) == ("not_found", 404)
        with pytest.raises(services.voting.DomainError) as refusal:
            services.set_voting_open(event, True, actor=actor, now=now)
        assert (refusal.value.code, refusal.value.status) == ("not_found", 404)
    assert not PlenumVoting.objects.exists()


@pytest.mark.parametrize("dots", [-1, 21, "3"])
def test_a_bad_number_of_dots_is_refused_and_nothing_changes(event, organiser, open_voting, now, dots):
    with pytest.raises(services.voting.DomainError) as refusal:
        services.configure_voting(event, dots, actor=organiser, now=now)
    assert refusal.value.code == "invalid_dots"
    assert PlenumVoting.objects.get(event=event).dots_per_voter == 3


def test_voting_cannot_open_without_dots(event, organiser, now):
    with pytest.raises(services.voting.DomainError) as refusal:
        services.set_voting_open(event, True, actor=organiser, now=now)
    assert refusal.value.code == "voting_without_dots"
    assert not PlenumVoting.objects.filter(event=event).exists()


def test_one_registration_is_one_voter_and_only_a_confirmed_one(event, now):
    confirmed = confirmed_registration(event, "Ada")
    assert services.voter_for_registration(confirmed, now=now) == services.voter_for_registration(confirmed, now=now)
    with pytest.raises(services.voting.DomainError) as refusal:
        services.voter_for_registration(confirmed_registration(event, "Bea", status="cancelled"), now=now)
    assert refusal.value.code == "not_a_participant"


def test_one_device_is_one_voter_per_event(event, other_event, now):
    first = services.voter_for_device(event, "geraet-x", now=now)
    assert services.voter_for_device(event, "geraet-x", now=timezone.now()) == first
    assert services.voter_for_device(other_event, "geraet-x", now=now) != first
    assert first.device_hash != "geraet-x"
