"""Breakout groups: creating them (web and API), moderators, the table's QR poster, and who sits
in which group (by hand, evenly at random, by preference)."""

import random
from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from events.models import AuditEntry
from ideas import services
from ideas.access import preference_link_token
from ideas.models import BreakoutGroup, GroupMembership, GroupPreference, Idea, Moderator
from tests.factories import bearer, confirmed_registration, issue_token, running_event


def create_group(api, event, token, **payload):
    return api.post(f"/api/events/{event.slug}/groups", payload, content_type="application/json", headers=bearer(token))


def test_organiser_creates_a_group_and_gets_a_capture_link_and_token(api, organiser, event, client):
    response = create_group(api, event, issue_token(organiser), name="Raum 3", topic="Mobilität")

    assert response.status_code == 201
    body = response.json()
    assert set(body) >= {"id", "name", "capture_url", "moderator_token"}
    assert body["name"] == "Raum 3"
    moderator = Moderator.objects.get(group_id=body["id"])
    assert moderator.token_hash and body["moderator_token"] not in moderator.token_hash
    capture_path = body["capture_url"].removeprefix("http://testserver")
    assert client.get(capture_path).status_code == 200
    idea = api.post(
        f"/api/groups/{body['id']}/ideas",
        {"title": "Radwege"},
        content_type="application/json",
        headers=bearer(body["moderator_token"]),
    )
    assert idea.status_code == 201
    assert AuditEntry.objects.filter(action="breakout_group.created", target_id=body["id"]).exists()


def test_group_needs_a_name_and_a_unique_one(api, organiser, event):
    token = issue_token(organiser)
    empty = create_group(api, event, token, name="  ")
    create_group(api, event, token, name="Raum 1")
    twice = create_group(api, event, token, name="raum 1")

    assert (empty.status_code, empty.json()["code"]) == (422, "group_name_required")
    assert (twice.status_code, twice.json()["code"]) == (409, "group_name_taken")
    assert BreakoutGroup.objects.count() == 1
    assert Moderator.objects.count() == 1


def test_only_organisers_of_the_event_create_groups(api, other_organiser, event):
    foreign = create_group(api, event, issue_token(other_organiser), name="Fremd")
    anonymous = api.post(f"/api/events/{event.slug}/groups", {"name": "Anonym"}, content_type="application/json")

    assert (foreign.status_code, foreign.json()["code"]) == (404, "not_found")
    assert anonymous.status_code == 401
    assert not BreakoutGroup.objects.exists()


def test_organiser_creates_a_group_on_the_web_page(organiser_client, event):
    response = organiser_client.post(
        reverse("ideas:add_group", args=[event.slug]),
        {"name": "Tisch A", "topic": "Schulen", "kind": "table", "moderator_name": "Kim"},
    )
    assert response.status_code == 302
    group = BreakoutGroup.objects.get()
    assert group.kind == "table"
    board = organiser_client.get(reverse("ideas:organise", args=[event.slug]))
    assert "/moderation/" in board.text
    assert "Kim" in board.text


def test_web_form_shows_a_clear_error_for_a_taken_name(organiser_client, event, group):
    response = organiser_client.post(
        reverse("ideas:add_group", args=[event.slug]), {"name": group.name, "kind": "room"}
    )
    assert response.status_code == 422
    assert "id_name_error" in response.text
    assert BreakoutGroup.objects.count() == 1


def test_revoking_from_the_board_ends_the_moderators_access(organiser_client, event, moderator, client):
    from ideas.access import moderator_link_token

    url = reverse("ideas:moderated:page", kwargs={"token": moderator_link_token(moderator)})
    organiser_client.post(reverse("ideas:revoke_moderator", args=[event.slug, moderator.pk]))

    assert client.get(url).status_code == 403
    assert AuditEntry.objects.filter(action="moderator.revoked", target_id=moderator.pk).exists()


def test_table_poster_leads_participants_to_a_form_for_that_group(organiser_client, client, event, organiser):
    group, _access = services.create_group(
        event, services.GroupData("Tisch im DIEZE", kind="table"), actor=organiser, now=timezone.now()
    )
    poster = organiser_client.get(reverse("ideas:poster", args=[event.slug, group.pk]))
    qr = organiser_client.get(reverse("ideas:poster_qr", args=[event.slug, group.pk]))
    table_url = reverse("ideas:table", args=[group.poster_key])

    assert table_url in poster.text
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<svg")
    form = client.get(table_url)
    response = client.post(
        table_url,
        {
            "title": "Sitzbänke mit WLAN",
            "client_id": form.context["form"]["client_id"].value(),
            "email": "buergerin@example.org",
            "updates_consent": "on",
        },
    )
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert (idea.group, idea.source, idea.submitter_email) == (group, "participant", "buergerin@example.org")
    assert idea.updates_consent_at is not None


def test_table_form_refuses_an_address_without_consent_and_keeps_nothing(client, group):
    url = reverse("ideas:table", args=[group.poster_key])
    response = client.post(url, {"title": "Idee", "client_id": "t-1", "email": "a@example.org"})
    assert response.status_code == 422
    assert "id_updates_consent_error" in response.text
    assert not Idea.objects.exists()


def test_renewed_poster_key_retires_the_old_qr_code(client, group, organiser):
    old = reverse("ideas:table", args=[group.poster_key])
    services.renew_poster_key(group, actor=organiser, now=timezone.now())
    assert client.get(old).status_code == 404
    assert client.get(reverse("ideas:table", args=[group.poster_key])).status_code == 200


def test_table_closes_after_the_event(client, organiser):
    past = running_event(starts_in=timedelta(days=-3), team=[organiser])
    group, _access = services.create_group(
        past, services.GroupData("Alt", kind="table"), actor=organiser, now=timezone.now()
    )
    response = client.post(reverse("ideas:table", args=[group.poster_key]), {"title": "spät", "client_id": "x"})
    assert response.status_code == 403
    assert response.context["code"] == "table_closed"
    assert not Idea.objects.exists()


def groups_for(event, organiser, names):
    return [
        services.create_group(event, services.GroupData(name), actor=organiser, now=timezone.now())[0] for name in names
    ]


def test_evenly_at_random_gives_groups_sizes_that_differ_by_at_most_one(event, organiser):
    groups = groups_for(event, organiser, ["A", "B", "C"])
    for number in range(10):
        confirmed_registration(event, f"Person {number}")
    confirmed_registration(event, "Abgesagt", status="cancelled")
    confirmed_registration(event, "Wartet", status="waitlisted")

    sizes = services.assign_evenly_at_random(event, actor=organiser, now=timezone.now(), rng=random.Random(7))

    assert sorted(sizes.values()) == [3, 3, 4]
    assert GroupMembership.objects.count() == 10
    assert set(Counter(GroupMembership.objects.values_list("group_id", flat=True))) == {g.pk for g in groups}


def test_by_preference_follows_wishes_first_come_while_groups_stay_even(event, organiser):
    schools, mobility = groups_for(event, organiser, ["Schulen", "Mobilität"])
    people = [confirmed_registration(event, f"Person {number}") for number in range(4)]
    day_before = event.starts_at - timedelta(days=1)
    for offset, person in enumerate(people[:3]):
        services.set_preference(person, schools, now=day_before + timedelta(minutes=offset))

    services.assign_by_preference(event, actor=organiser, now=timezone.now(), rng=random.Random(1))

    placed = dict(GroupMembership.objects.values_list("registration_id", "group_id"))
    assert placed[people[0].pk] == placed[people[1].pk] == schools.pk
    assert placed[people[2].pk] == placed[people[3].pk] == mobility.pk
    assert GroupMembership.objects.get(registration=people[0]).assigned_by == "preference"


def test_assigning_needs_groups_and_leaves_placed_people_where_they_are(event, organiser):
    person = confirmed_registration(event, "Früh")
    with pytest.raises(DomainError) as refused:
        services.assign_evenly_at_random(event, actor=organiser, now=timezone.now())
    assert refused.value.code == "no_groups"
    _first, second = groups_for(event, organiser, ["1", "2"])
    services.assign_member(person, second, actor=organiser, now=timezone.now())
    confirmed_registration(event, "Spät")

    services.assign_evenly_at_random(event, actor=organiser, now=timezone.now())

    assert GroupMembership.objects.get(registration=person).group == second


def test_organiser_assigns_by_hand_on_the_members_page(organiser_client, event, group, other_group_and_access):
    person = confirmed_registration(event, "Ada")
    url = reverse("ideas:members", args=[event.slug])
    assert "Ada" in organiser_client.get(url).text

    organiser_client.post(url, {f"group-{person.pk}": str(other_group_and_access[0].pk)})

    assert GroupMembership.objects.get(registration=person).group == other_group_and_access[0]
    assert AuditEntry.objects.filter(action="breakout_group.member_assigned").count() == 1


def test_registrant_chooses_a_group_through_their_preference_link(client, organiser):
    coming = running_event(starts_in=timedelta(days=3), team=[organiser])
    first, second = groups_for(coming, organiser, ["Verwaltung", "Schulen"])
    person = confirmed_registration(coming, "Bea")
    url = reverse("ideas:preference", args=[preference_link_token(person)])

    page = client.get(url)
    client.post(url, {"group": second.pk})

    assert first.name in page.text and second.name in page.text
    assert GroupPreference.objects.get(registration=person).group == second


def test_preference_link_refuses_a_group_of_another_event_and_tampering(
    client, organiser, other_event, other_organiser
):
    coming = running_event(starts_in=timedelta(days=3), team=[organiser])
    person = confirmed_registration(coming, "Cem")
    foreign, _access = services.create_group(
        other_event, services.GroupData("Fremd"), actor=other_organiser, now=timezone.now()
    )
    url = reverse("ideas:preference", args=[preference_link_token(person)])

    client.post(url, {"group": foreign.pk})

    assert not GroupPreference.objects.exists()
    assert client.get(url[:-3] + "xx/").status_code == 404


def test_preference_closes_when_the_event_starts(event, group):
    person = confirmed_registration(event, "Dan")
    with pytest.raises(DomainError) as refused:
        services.set_preference(person, group, now=event.starts_at)
    assert refused.value.code == "preference_closed"
    assert not GroupPreference.objects.exists()
