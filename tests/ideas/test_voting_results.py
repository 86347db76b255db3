"""Where the plenum's dots go: the API (the wall, the organisers' switch, a registrant's ballot by
their personal link), the working groups' backlogs (count and sort) and the exports."""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from ideas import services
from ideas.access import plenum_vote_token
from ideas.models import Dot, PlenumVoting
from tests.factories import bearer, confirmed_registration, issue_token
from tests.ideas.ideas_factories import add_idea


@pytest.fixture
def ideas(group, moderator):
    return [add_idea(group, title, actor=moderator, for_plenum=True) for title in ("Bänke", "Radweg", "Bäume")]


@pytest.fixture
def open_voting(event, organiser, now):
    services.configure_voting(event, 3, actor=organiser, now=now)
    return services.set_voting_open(event, True, actor=organiser, now=now)


def give(event, idea, count: int, *, device: str):
    voter = services.voter_for_device(event, device, now=timezone.now())
    for _ in range(count):
        services.give_dot(voter, idea.pk, now=timezone.now())


def ballot_path(registration) -> str:
    return f"/api/plenum/votes/{plenum_vote_token(registration)}"


# The API


def test_the_plenum_api_carries_dots_and_the_voting_state(api, event, ideas, open_voting):
    give(event, ideas[1], 2, device="a")

    body = api.get(f"/api/events/{event.slug}/plenum").json()

    assert body["voting"] == {"dots_per_voter": 3, "is_open": True}
    assert [(i["title"], i["dots"]) for i in body["groups"][0]["ideas"]] == [("Bänke", 0), ("Radweg", 2), ("Bäume", 0)]


def test_a_registrant_gives_and_takes_back_dots_through_the_api(api, event, ideas, open_voting):
    path = ballot_path(confirmed_registration(event, "Ada"))

    given = api.post(f"{path}/dots", {"idea_id": ideas[0].pk}, content_type="application/json")
    api.post(f"{path}/dots", {"idea_id": ideas[0].pk}, content_type="application/json")
    taken = api.delete(f"{path}/dots/{ideas[0].pk}")

    assert given.status_code == 201
    assert given.json()["dots_left"] == 2 and given.json()["given"] == [{"idea_id": ideas[0].pk, "dots": 1}]
    assert taken.status_code == 200 and taken.json()["dots_left"] == 2
    assert api.get(path).json()["given"] == [{"idea_id": ideas[0].pk, "dots": 1}]


@pytest.mark.parametrize(
    ("case", "status", "code"),
    [
        ("closed", 409, "voting_closed"),
        ("spent", 409, "no_dots_left"),
        ("unknown", 404, "idea_not_found"),
        ("forged", 404, "link_invalid"),
        ("nothing_to_take", 409, "no_dot_to_take_back"),
    ],
)
def test_api_refusals_carry_a_code_and_change_nothing(api, event, organiser, ideas, open_voting, case, status, code):
    registration = confirmed_registration(event, "Ada")
    path = ballot_path(registration)
    if case == "spent":
        for _ in range(3):
            api.post(f"{path}/dots", {"idea_id": ideas[0].pk}, content_type="application/json")
    if case == "closed":
        services.set_voting_open(event, False, actor=organiser, now=timezone.now())
    dots_before = Dot.objects.count()

    if case == "nothing_to_take":
        response = api.delete(f"{path}/dots/{ideas[1].pk}")
    else:
        idea_id = 999999 if case == "unknown" else ideas[0].pk
        url = f"{path[:-4]}dead/dots" if case == "forged" else f"{path}/dots"
        response = api.post(url, {"idea_id": idea_id}, content_type="application/json")

    assert response.status_code == status
    assert response.json()["code"] == code and response.json()["detail"]
    assert Dot.objects.count() == dots_before


def test_a_malformed_dot_is_refused_as_invalid_input(api, event, ideas, open_voting):
    response = api.post(
        f"{ballot_path(confirmed_registration(event, 'Ada'))}/dots", {"idea": "x"}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["code"]
    assert not Dot.objects.exists()


def test_organisers_switch_the_voting_through_the_api_and_others_cannot(api, event, organiser, other_organiser):
    url = f"/api/events/{event.slug}/plenum/voting"
    payload = {"dots_per_voter": 4, "is_open": True}

    assert api.put(url, payload, content_type="application/json").status_code == 401
    other = api.put(url, payload, content_type="application/json", headers=bearer(issue_token(other_organiser)))
    assert other.status_code == 404 and other.json()["code"] == "not_found"
    assert not PlenumVoting.objects.exists()

    response = api.put(url, payload, content_type="application/json", headers=bearer(issue_token(organiser)))
    assert response.status_code == 200 and response.json() == payload


def test_opening_without_dots_through_the_api_saves_nothing(api, event, organiser):
    response = api.put(
        f"/api/events/{event.slug}/plenum/voting",
        {"dots_per_voter": 0, "is_open": True},
        content_type="application/json",
        headers=bearer(issue_token(organiser)),
    )
    assert response.status_code == 422 and response.json()["code"] == "voting_without_dots"
    assert not PlenumVoting.objects.exists()


# Backlogs


@pytest.fixture
def backlog(event, ideas, open_voting, organiser, lead, working_group, now):
    give(event, ideas[0], 1, device="a")
    give(event, ideas[1], 3, device="b")
    give(event, ideas[2], 1, device="c")
    for idea in ideas:
        services.sort_into_working_group(idea, working_group, actor=organiser, now=now)
    first = services.create_backlog_item(working_group, "Sitzen", [ideas[0].pk], actor=lead, now=now)
    second = services.create_backlog_item(working_group, "Radfahren", [ideas[1].pk, ideas[2].pk], actor=lead, now=now)
    return first, second


def test_backlog_items_show_their_ideas_dots_and_sort_by_them(client, working_group, backlog):
    page = reverse("ideas:working_group", args=[working_group.slug])

    by_position = client.get(page).text
    by_dots = client.get(page + "?sort=dots").text

    assert by_position.index("Sitzen") < by_position.index("Radfahren")
    assert by_dots.index("Radfahren") < by_dots.index("Sitzen")
    assert 'data-dots="4">4 Punkte im Plenum' in by_dots and 'data-dots="1">1 Punkt im Plenum' in by_dots
    items = client.get(f"/api/working-groups/{working_group.slug}").json()["items"]
    assert [(item["title"], item["dots"]) for item in items] == [("Sitzen", 1), ("Radfahren", 4)]


def test_the_leads_backlog_page_sorts_by_dots_too(working_group, backlog, lead):
    from django.test import Client

    client = Client()
    client.force_login(lead)
    page = client.get(reverse("ideas:backlog", args=[working_group.slug]) + "?sort=dots").text
    assert page.index("Radfahren") < page.index("Sitzen")


# Exports


def test_exports_carry_the_dots(organiser_client, event, working_group, backlog, lead):
    export = organiser_client.get(reverse("ideas:event_export", args=[event.slug, "csv"]))
    table = b"".join(export.streaming_content).decode("utf-8-sig")
    records = {row["Titel"]: row["Punkte im Plenum"] for row in csv.DictReader(io.StringIO(table), delimiter=";")}
    assert records == {"Bänke": "1", "Radweg": "3", "Bäume": "1"}

    protocol = organiser_client.get(reverse("ideas:event_export", args=[event.slug, "md"])).text
    assert "3 Punkte im Plenum" in protocol

    from django.test import Client

    lead_client = Client()
    lead_client.force_login(lead)
    document = json.loads(
        lead_client.get(reverse("ideas:working_group_export", args=[working_group.slug, "json"])).text
    )
    assert [(item["title"], item["plenum_dots"]) for item in document["items"]] == [("Sitzen", 1), ("Radfahren", 4)]
    assert (
        "4 Punkte im Plenum"
        in lead_client.get(reverse("ideas:working_group_export", args=[working_group.slug, "md"])).text
    )
