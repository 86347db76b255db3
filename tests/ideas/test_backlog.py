"""Working groups and their backlogs: organisers sort ideas in, leads make ordered items and move
them through their statuses; the public page shows every idea with its origin."""

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from events.models import AuditEntry
from ideas import services
from ideas.models import BacklogItem, Idea, WorkingGroup
from tests.factories import bearer, issue_token, make_user
from tests.ideas.ideas_factories import add_idea


def post(api, url, payload, token=None):
    headers = bearer(token) if token else {}
    return api.post(url, payload, content_type="application/json", headers=headers)


def patch(api, url, payload, token=None):
    headers = bearer(token) if token else {}
    return api.patch(url, payload, content_type="application/json", headers=headers)


@pytest.fixture
def ideas(group, moderator):
    return [add_idea(group, title, actor=moderator) for title in ("Serviceportal", "Termine online", "E-Akte")]


def make_item(working_group, lead, organiser, ideas, title="Item"):
    for idea in ideas:
        services.sort_into_working_group(idea, working_group, actor=organiser, now=timezone.now())
    return services.create_backlog_item(working_group, title, [i.pk for i in ideas], actor=lead, now=timezone.now())


def test_organiser_founds_a_working_group_and_leads_it(api, organiser):
    response = post(
        api, "/api/working-groups", {"title": "Smart City", "description": "Laternen"}, issue_token(organiser)
    )

    assert response.status_code == 201
    assert response.json()["slug"] == "smart-city"
    assert response.json()["items"] == []
    group = WorkingGroup.objects.get()
    assert list(group.leads.all()) == [organiser]
    assert AuditEntry.objects.filter(action="working_group.created", target_id=group.pk).exists()


def test_working_group_needs_a_unique_title_and_an_organiser(api, organiser, lead, working_group):
    token = issue_token(organiser)
    empty = post(api, "/api/working-groups", {"title": " "}, token)
    twice = post(api, "/api/working-groups", {"title": "digitale verwaltung"}, token)
    not_staff = post(api, "/api/working-groups", {"title": "Neu"}, issue_token(lead))
    anonymous = post(api, "/api/working-groups", {"title": "Neu"})

    assert (empty.status_code, empty.json()["code"]) == (422, "title_required")
    assert (twice.status_code, twice.json()["code"]) == (409, "working_group_exists")
    assert (not_staff.status_code, not_staff.json()["code"]) == (403, "not_an_organiser")
    assert anonymous.status_code == 401
    assert WorkingGroup.objects.count() == 1


def test_organiser_of_the_event_sorts_an_idea_into_a_working_group(api, organiser, ideas, working_group):
    response = post(
        api, f"/api/ideas/{ideas[0].pk}/working-group", {"working_group": working_group.slug}, issue_token(organiser)
    )

    assert response.status_code == 200
    assert response.json()["working_group"] == working_group.slug
    assert response.json()["stage"] == "working_group"
    assert AuditEntry.objects.filter(action="idea.sorted", target_id=ideas[0].pk).exists()


def test_organiser_of_another_event_cannot_sort_its_ideas(api, other_organiser, ideas, working_group):
    response = post(
        api,
        f"/api/ideas/{ideas[0].pk}/working-group",
        {"working_group": working_group.slug},
        issue_token(other_organiser),
    )
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    ideas[0].refresh_from_db()
    assert ideas[0].working_group is None


def test_lead_makes_a_backlog_item_from_ideas(api, lead, organiser, ideas, working_group):
    for idea in ideas[:2]:
        services.sort_into_working_group(idea, working_group, actor=organiser, now=timezone.now())

    response = post(
        api,
        f"/api/working-groups/{working_group.slug}/items",
        {"title": "Termine digital buchen", "idea_ids": [ideas[0].pk, ideas[1].pk]},
        issue_token(lead),
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["position"], body["status"]) == (1, "new")
    assert [idea["title"] for idea in body["ideas"]] == ["Serviceportal", "Termine online"]
    assert body["ideas"][0]["origin"]["group"] == "Tisch 1"
    assert Idea.objects.filter(backlog_item_id=body["id"]).count() == 2


def test_lead_cannot_pull_in_ideas_of_events_they_do_not_organise(api, lead, ideas, working_group):
    response = post(
        api,
        f"/api/working-groups/{working_group.slug}/items",
        {"title": "Ohne Einordnung", "idea_ids": [ideas[0].pk]},
        issue_token(lead),
    )
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert not BacklogItem.objects.exists()


def test_organiser_who_leads_sorts_and_makes_an_item_in_one_step(api, organiser, ideas, working_group):
    working_group.leads.add(organiser)
    response = post(
        api,
        f"/api/working-groups/{working_group.slug}/items",
        {"title": "E-Akte", "idea_ids": [ideas[2].pk]},
        issue_token(organiser),
    )
    assert response.status_code == 201
    ideas[2].refresh_from_db()
    assert ideas[2].working_group == working_group


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"title": "", "idea_ids": [0]}, 422, "title_required"),
        ({"title": "Leer", "idea_ids": []}, 422, "ideas_required"),
        ({"title": "Gibt es nicht", "idea_ids": [999999]}, 404, "idea_not_found"),
    ],
)
def test_bad_backlog_item_is_refused_and_nothing_saved(api, lead, working_group, payload, status, code):
    response = post(api, f"/api/working-groups/{working_group.slug}/items", payload, issue_token(lead))
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert not BacklogItem.objects.exists()


def test_an_idea_goes_into_one_backlog_item_only(lead, organiser, ideas, working_group):
    make_item(working_group, lead, organiser, ideas[:1])
    with pytest.raises(DomainError) as refused:
        services.create_backlog_item(
            working_group, "Nochmal", [i.pk for i in ideas[:2]], actor=lead, now=timezone.now()
        )
    assert refused.value.code == "idea_in_backlog"
    assert BacklogItem.objects.count() == 1


def test_an_idea_in_one_working_groups_backlog_cannot_move_to_another(lead, organiser, ideas, working_group):
    make_item(working_group, lead, organiser, ideas[:1])
    other = services.create_working_group("Schulen", actor=organiser, now=timezone.now())
    with pytest.raises(DomainError) as refused:
        services.sort_into_working_group(ideas[0], other, actor=organiser, now=timezone.now())
    assert refused.value.code == "idea_in_backlog"


def test_lead_moves_an_item_through_its_statuses_and_reorders(api, lead, organiser, ideas, working_group):
    first, second, third = (make_item(working_group, lead, organiser, [idea], idea.title) for idea in ideas)
    token = issue_token(lead)

    moved = patch(
        api,
        f"/api/backlog-items/{third.pk}",
        {"position": 1, "status": "in_progress", "public_note": "Pilot im Bürgerbüro"},
        token,
    )

    assert moved.status_code == 200
    assert (moved.json()["position"], moved.json()["status"]) == (1, "in_progress")
    order = list(BacklogItem.objects.order_by("position").values_list("pk", "position"))
    assert order == [(third.pk, 1), (first.pk, 2), (second.pk, 3)]
    entry = AuditEntry.objects.get(action="backlog_item.updated", target_id=third.pk)
    assert entry.actor == lead
    assert entry.data["changed"] == {"status": "in_progress", "public_note": "Pilot im Bürgerbüro", "position": 1}


def test_rejecting_needs_a_reason_that_the_public_reads(api, client, lead, organiser, ideas, working_group):
    item = make_item(working_group, lead, organiser, ideas[:1], "Blockchain-Grundbuch")
    token = issue_token(lead)

    without = patch(api, f"/api/backlog-items/{item.pk}", {"status": "rejected"}, token)
    item.refresh_from_db()
    assert (without.status_code, without.json()["code"]) == (422, "rejection_reason_required")
    assert item.status == "new"

    with_reason = patch(
        api,
        f"/api/backlog-items/{item.pk}",
        {"status": "rejected", "rejection_reason": "Landesrecht lässt es nicht zu."},
        token,
    )
    assert with_reason.status_code == 200
    page = client.get(reverse("ideas:working_group", args=[working_group.slug]))
    assert "Landesrecht lässt es nicht zu." in page.text


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"status": "finished"}, "invalid_status"),
        ({"position": 0}, "position_out_of_range"),
        ({"position": 5}, "position_out_of_range"),
        ({"rejection_reason": "ohne Ablehnung"}, "reason_without_rejection"),
        ({"title": ""}, "title_required"),
    ],
)
def test_bad_backlog_change_is_refused_and_changes_nothing(api, lead, organiser, ideas, working_group, payload, code):
    item = make_item(working_group, lead, organiser, ideas[:1], "Bleibt")
    response = patch(api, f"/api/backlog-items/{item.pk}", {"public_note": "neu", **payload}, issue_token(lead))

    assert (response.status_code, response.json()["code"]) == (422, code)
    item.refresh_from_db()
    assert (item.title, item.status, item.position, item.public_note) == ("Bleibt", "new", 1, "")


def test_only_leads_change_a_backlog(api, client, lead, organiser, other_organiser, ideas, working_group):
    item = make_item(working_group, lead, organiser, ideas[:1])
    not_lead = patch(api, f"/api/backlog-items/{item.pk}", {"status": "done"}, issue_token(other_organiser))
    organiser_not_lead = patch(
        api, f"/api/backlog-items/{item.pk}", {"status": "done"}, issue_token(make_user("orga2"))
    )
    anonymous = patch(api, f"/api/backlog-items/{item.pk}", {"status": "done"})
    client.force_login(other_organiser)
    page = client.get(reverse("ideas:backlog", args=[working_group.slug]))

    for response in (not_lead, organiser_not_lead):
        assert (response.status_code, response.json()["code"]) == (403, "not_working_group_lead")
    assert anonymous.status_code == 401
    assert page.status_code == 403
    item.refresh_from_db()
    assert item.status == "new"


def test_public_working_group_shows_ordered_items_with_every_origin(
    api, lead, organiser, event, group, moderator, other_event, other_organiser, working_group
):
    idea = add_idea(group, "Digitale Bauanträge", actor=moderator)
    other_group, _access = services.create_group(
        other_event, services.GroupData("Raum B"), actor=other_organiser, now=timezone.now()
    )
    twin = add_idea(other_group, "Bauanträge online", actor=other_organiser)
    working_group.leads.add(other_organiser)
    make_item(working_group, lead, organiser, [idea], "Bauanträge")
    services.sort_into_working_group(twin, working_group, actor=other_organiser, now=timezone.now())

    response = api.get(f"/api/working-groups/{working_group.slug}")

    assert response.status_code == 200
    body = response.json()
    assert [item["title"] for item in body["items"]] == ["Bauanträge"]
    origin = body["items"][0]["ideas"][0]["origin"]
    assert (origin["event"], origin["group"]) == (event.slug, "Tisch 1")
    assert [waiting["title"] for waiting in body["waiting"]] == ["Bauanträge online"]
    assert body["waiting"][0]["origin"]["event"] == other_event.slug


def test_merged_duplicates_keep_their_origins_on_the_public_page(
    client, organiser, group, moderator, other_group_and_access, working_group
):
    survivor = add_idea(group, "Open Data Portal", actor=moderator)
    duplicate = add_idea(other_group_and_access[0], "Offene Daten", actor=organiser)
    services.merge_ideas(survivor, [duplicate], actor=organiser, now=timezone.now())
    services.sort_into_working_group(survivor, working_group, actor=organiser, now=timezone.now())

    page = client.get(reverse("ideas:working_group", args=[working_group.slug])).text

    assert "Open Data Portal" in page
    assert "Tisch 1" in page and "Tisch 2" in page


def test_leads_backlog_page_reorders_and_updates_without_javascript(client, lead, organiser, ideas, working_group):
    _first, second = (make_item(working_group, lead, organiser, [idea], idea.title) for idea in ideas[:2])
    client.force_login(lead)
    url = reverse("ideas:update_item", args=[working_group.slug, second.pk])

    client.post(url, {"move": "up"})
    response = client.post(
        url,
        {
            f"item-{second.pk}-status": "done",
            f"item-{second.pk}-position": "1",
            f"item-{second.pk}-public_note": "Ist online.",
        },
    )

    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.position, second.status, second.public_note) == (1, "done", "Ist online.")
    page = client.get(reverse("ideas:backlog", args=[working_group.slug]))
    assert "Eintrag geändert" in page.text


def test_leads_backlog_page_makes_an_item_from_waiting_ideas(client, lead, organiser, ideas, working_group):
    services.sort_into_working_group(ideas[0], working_group, actor=organiser, now=timezone.now())
    client.force_login(lead)

    response = client.post(
        reverse("ideas:add_item", args=[working_group.slug]), {"title": "Portal ausbauen", "ideas": [ideas[0].pk]}
    )

    assert response.status_code == 302
    assert BacklogItem.objects.get().ideas.get() == ideas[0]


def test_backlog_page_shows_a_missing_reason_next_to_the_field(client, lead, organiser, ideas, working_group):
    item = make_item(working_group, lead, organiser, ideas[:1])
    client.force_login(lead)
    response = client.post(
        reverse("ideas:update_item", args=[working_group.slug, item.pk]),
        {f"item-{item.pk}-status": "rejected", f"item-{item.pk}-position": "1"},
    )
    assert response.status_code == 422
    assert f"id_item-{item.pk}-rejection_reason_error" in response.text


def test_organiser_names_the_leads_when_founding_a_working_group(api, organiser, lead):
    response = post(
        api, "/api/working-groups", {"title": "Mobilität", "leads": [lead.username]}, issue_token(organiser)
    )

    assert response.status_code == 201
    assert set(WorkingGroup.objects.get(slug="mobilitat").leads.all()) == {organiser, lead}


def test_unknown_lead_is_refused_and_nothing_founded(api, organiser):
    response = post(api, "/api/working-groups", {"title": "Schulen", "leads": ["niemand"]}, issue_token(organiser))
    assert (response.status_code, response.json()["code"]) == (422, "unknown_user")
    assert not WorkingGroup.objects.exists()


def test_leads_can_be_changed_by_the_founder_and_leads_but_never_emptied(api, organiser, lead, working_group):
    successor = make_user("nachfolge", staff=False)
    outsider = make_user("aussen", staff=False)

    handed_on = api.put(
        f"/api/working-groups/{working_group.slug}/leads",
        {"leads": [successor.username]},
        content_type="application/json",
        headers=bearer(issue_token(lead)),
    )
    refused = api.put(
        f"/api/working-groups/{working_group.slug}/leads",
        {"leads": [outsider.username]},
        content_type="application/json",
        headers=bearer(issue_token(outsider)),
    )
    emptied = api.put(
        f"/api/working-groups/{working_group.slug}/leads",
        {"leads": []},
        content_type="application/json",
        headers=bearer(issue_token(organiser)),
    )

    assert (handed_on.status_code, handed_on.json()["leads"]) == (200, ["nachfolge"])
    assert (refused.status_code, refused.json()["code"]) == (403, "not_working_group_lead")
    assert (emptied.status_code, emptied.json()["code"]) == (422, "leads_required")
    assert list(working_group.leads.all()) == [successor]
    assert AuditEntry.objects.filter(action="working_group.leads_changed").count() == 1


def test_organiser_founds_a_working_group_with_leads_on_the_web_page(organiser_client, lead):
    response = organiser_client.post(
        reverse("ideas:working_groups"), {"title": "Smart City", "description": "", "leads": [lead.pk]}
    )
    group = WorkingGroup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ideas:backlog", args=[group.slug])
    assert lead in group.leads.all()


def test_lead_hands_the_group_on_from_the_backlog_page(client, lead, working_group):
    successor = make_user("nachfolge", staff=False)
    client.force_login(lead)
    client.post(reverse("ideas:leads", args=[working_group.slug]), {"leads": [lead.pk, successor.pk]})
    assert set(working_group.leads.all()) >= {lead, successor}
