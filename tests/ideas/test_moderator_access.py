"""Who may capture for which group: moderators only for their own group and only while their link
lives; organisers of the event with their login or token; everyone else reads the public pages."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from ideas import services
from ideas.access import ACCESS_AFTER_EVENT, moderator_link_token
from ideas.models import Idea
from tests.factories import bearer, issue_token
from tests.ideas.ideas_factories import add_idea


def capture_url(moderator, name="page", **kwargs):
    return reverse(f"ideas:moderated:{name}", kwargs={"token": moderator_link_token(moderator), **kwargs})


@pytest.fixture
def other_idea(other_group_and_access, organiser):
    return add_idea(other_group_and_access[0], "Idee von Tisch 2", actor=organiser)


def test_moderator_link_opens_the_capture_page_of_their_group(client, moderator, group):
    response = client.get(capture_url(moderator))
    assert response.status_code == 200
    assert group.name in response.text
    assert response["Cache-Control"] == "no-store"


def test_moderator_link_cannot_open_another_groups_idea(client, moderator, other_idea):
    response = client.get(capture_url(moderator, "edit", idea_id=other_idea.pk))
    assert response.status_code == 403
    assert "Idee von Tisch 2" not in response.text


def test_moderator_link_cannot_change_another_groups_idea(client, moderator, other_idea):
    for name, data in (("plenum", {"for_plenum": "1"}), ("edit", {"title": "gekapert"})):
        response = client.post(capture_url(moderator, name, idea_id=other_idea.pk), data)
        assert response.status_code == 403
    other_idea.refresh_from_db()
    assert (other_idea.title, other_idea.for_plenum) == ("Idee von Tisch 2", False)


def test_moderator_link_cannot_merge_another_groups_idea_into_theirs(client, moderator, group, other_idea):
    own = add_idea(group, "Eigene", actor=moderator)
    response = client.post(capture_url(moderator, "merge", idea_id=own.pk), {"duplicate": other_idea.pk})
    assert response.status_code in (403, 422)
    other_idea.refresh_from_db()
    assert other_idea.merged_into is None


def test_moderator_capture_page_lists_only_their_own_groups_ideas(client, moderator, group, other_idea):
    add_idea(group, "Eigene Idee", actor=moderator)
    page = client.get(capture_url(moderator)).text
    assert "Eigene Idee" in page
    assert "Idee von Tisch 2" not in page


def test_moderator_token_cannot_read_or_change_another_group(api, moderator_token, other_group_and_access, other_idea):
    other_group = other_group_and_access[0]
    headers = bearer(moderator_token)

    read = api.get(f"/api/groups/{other_group.pk}/ideas", headers=headers)
    add = api.post(
        f"/api/groups/{other_group.pk}/ideas", {"title": "x"}, content_type="application/json", headers=headers
    )
    change = api.patch(f"/api/ideas/{other_idea.pk}", {"title": "x"}, content_type="application/json", headers=headers)

    for response in (read, add, change):
        assert response.status_code == 403
        assert response.json()["code"] == "not_your_group"
    assert Idea.objects.count() == 1


def test_moderator_token_reads_their_own_groups_ideas(api, moderator_token, group, moderator):
    add_idea(group, "Eigene", actor=moderator)
    response = api.get(f"/api/groups/{group.pk}/ideas", headers=bearer(moderator_token))
    assert response.status_code == 200
    assert [idea["title"] for idea in response.json()["items"]] == ["Eigene"]


def test_expired_link_gets_a_clear_page(client, moderator, event):
    with time_machine.travel(event.ends_at + ACCESS_AFTER_EVENT + timedelta(minutes=1)):
        response = client.get(capture_url(moderator))
    assert response.status_code == 403
    assert response.context["code"] == "link_expired"
    assert escape(response.context["message"]) in response.text


def test_link_still_works_shortly_after_the_event_for_tidying_up(client, moderator, event):
    with time_machine.travel(event.ends_at + ACCESS_AFTER_EVENT - timedelta(minutes=1)):
        assert client.get(capture_url(moderator)).status_code == 200


def test_expired_token_is_refused_by_the_api(api, moderator_token, group, event):
    with time_machine.travel(event.ends_at + ACCESS_AFTER_EVENT + timedelta(minutes=1)):
        response = api.post(
            f"/api/groups/{group.pk}/ideas",
            {"title": "zu spät"},
            content_type="application/json",
            headers=bearer(moderator_token),
        )
    assert response.status_code == 403
    assert response.json()["code"] == "link_expired"
    assert not Idea.objects.exists()


def test_revoked_link_and_token_get_a_clear_refusal(client, api, moderator, moderator_token, group, organiser):
    url = capture_url(moderator)
    services.revoke_moderator(moderator, actor=organiser, now=timezone.now())

    page = client.get(url)
    response = api.post(
        f"/api/groups/{group.pk}/ideas",
        {"title": "x"},
        content_type="application/json",
        headers=bearer(moderator_token),
    )

    assert page.status_code == 403
    assert page.context["code"] == "link_revoked"
    assert response.status_code == 403
    assert response.json()["code"] == "link_revoked"
    assert not Idea.objects.exists()


def test_renewing_a_link_retires_the_old_link_and_token(client, api, moderator, moderator_token, group, organiser):
    old_url = capture_url(moderator)
    access = services.renew_moderator_access(moderator, actor=organiser, now=timezone.now())

    assert client.get(old_url).status_code == 403
    assert client.get(capture_url(access.moderator)).status_code == 200
    old = api.get(f"/api/groups/{group.pk}/ideas", headers=bearer(moderator_token))
    new = api.get(f"/api/groups/{group.pk}/ideas", headers=bearer(access.api_token))
    assert old.status_code == 401
    assert old.json()["code"] == "invalid_token"
    assert new.status_code == 200


def test_tampered_link_is_not_found(client, moderator):
    token = moderator_link_token(moderator)
    response = client.get(reverse("ideas:moderated:page", kwargs={"token": token[:-2] + "xx"}))
    assert response.status_code == 404
    assert response.context["code"] == "link_invalid"


def test_a_link_signed_for_another_purpose_does_not_open_the_capture_page(client, moderator, db):
    from django.core import signing

    forged = signing.Signer(salt="stadtdialog.ideas.group-preference").sign_object({"m": moderator.pk, "v": 1})
    assert client.get(reverse("ideas:moderated:page", kwargs={"token": forged})).status_code == 404


def test_anonymous_caller_cannot_capture_through_the_api(api, group):
    response = api.post(f"/api/groups/{group.pk}/ideas", {"title": "x"}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert not Idea.objects.exists()


def test_organiser_of_this_event_captures_with_their_token(api, organiser, group):
    response = api.post(
        f"/api/groups/{group.pk}/ideas",
        {"title": "Orga"},
        content_type="application/json",
        headers=bearer(issue_token(organiser)),
    )
    assert response.status_code == 201


def test_organiser_of_another_event_cannot_capture_or_read(api, client, other_organiser, group, moderator):
    idea = add_idea(group, "Geheim?", actor=moderator)
    headers = bearer(issue_token(other_organiser))

    add = api.post(f"/api/groups/{group.pk}/ideas", {"title": "x"}, content_type="application/json", headers=headers)
    read = api.get(f"/api/groups/{group.pk}/ideas", headers=headers)
    change = api.patch(f"/api/ideas/{idea.pk}", {"title": "x"}, content_type="application/json", headers=headers)
    client.force_login(other_organiser)
    page = client.get(reverse("ideas:organised:page", kwargs={"group_id": group.pk}))

    for response in (add, read, change):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert page.status_code == 404
    assert Idea.objects.count() == 1


def test_anonymous_visitor_is_sent_to_log_in_for_organiser_pages(client, event, group):
    for url in (
        reverse("ideas:organised:page", kwargs={"group_id": group.pk}),
        reverse("ideas:organise", args=[event.slug]),
        reverse("ideas:members", args=[event.slug]),
        reverse("ideas:poster", args=[event.slug, group.pk]),
        reverse("ideas:event_export", args=[event.slug, "csv"]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/organisation/anmelden/" in response["Location"]


def test_organiser_of_another_event_cannot_open_this_events_pages(client, other_organiser, event, group):
    client.force_login(other_organiser)
    for url in (
        reverse("ideas:organise", args=[event.slug]),
        reverse("ideas:members", args=[event.slug]),
        reverse("ideas:poster", args=[event.slug, group.pk]),
        reverse("ideas:event_export", args=[event.slug, "json"]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("ideas:add_group", args=[event.slug]), {"name": "fremd", "kind": "room"})
    assert response.status_code == 404


def test_anonymous_visitors_can_read_the_public_pages(client, event, group, moderator, working_group):
    add_idea(group, "Öffentlich", actor=moderator, for_plenum=True)
    for url in (
        reverse("ideas:event_ideas", args=[event.slug]),
        reverse("ideas:plenum", args=[event.slug]),
        reverse("ideas:plenum_ideas", args=[event.slug]),
        reverse("ideas:working_groups"),
        reverse("ideas:working_group", args=[working_group.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Öffentlich" in response.text or "Digitale Verwaltung" in response.text


def test_anonymous_visitors_cannot_change_anything_through_public_forms(client, working_group, event):
    response = client.post(reverse("ideas:working_groups"), {"title": "Neu", "description": ""})
    assert response.status_code == 403
    backlog = client.get(reverse("ideas:backlog", args=[working_group.slug]))
    assert backlog.status_code == 302


def test_draft_events_ideas_are_hidden_from_the_public(client, organiser):
    from tests.factories import running_event

    draft = running_event(status="draft", team=[organiser])
    assert client.get(reverse("ideas:plenum", args=[draft.slug])).status_code == 404
    assert client.get(f"/api/events/{draft.slug}/plenum").status_code == 404
    client.force_login(organiser)
    assert client.get(reverse("ideas:plenum", args=[draft.slug])).status_code == 200
