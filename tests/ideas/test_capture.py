"""Capturing ideas in a breakout group: on the capture page (also without JavaScript) and via the API."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from events.models import AuditEntry
from ideas.access import moderator_link_token
from ideas.models import Idea
from tests.factories import bearer
from tests.ideas.ideas_factories import add_idea


def capture_url(moderator):
    return reverse("ideas:moderated:page", kwargs={"token": moderator_link_token(moderator)})


def post_idea(api, group, token, **payload):
    return api.post(f"/api/groups/{group.pk}/ideas", payload, content_type="application/json", headers=bearer(token))


def test_moderator_adds_an_idea_through_the_api(api, group, moderator_token):
    response = post_idea(
        api, group, moderator_token, title="Online-Termine im Bürgerbüro", text="Auch am Samstag.", client_id="c-1"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "Online-Termine im Bürgerbüro"
    assert body["group_id"] == group.pk
    assert body["stage"] == "collected"
    idea = Idea.objects.get(pk=body["id"])
    assert idea.source == "moderator"
    assert AuditEntry.objects.filter(action="idea.created", target_id=idea.pk).exists()


def test_sending_the_same_idea_twice_stores_it_once(api, group, moderator_token):
    first = post_idea(api, group, moderator_token, title="WLAN in Schulen", client_id="retry-42")
    again = post_idea(api, group, moderator_token, title="WLAN in Schulen", client_id="retry-42")

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Idea.objects.filter(group=group).count() == 1


def test_same_client_id_in_another_group_is_another_idea(api, group, moderator_token, other_group_and_access):
    other_group, other_access = other_group_and_access
    post_idea(api, group, moderator_token, title="Idee", client_id="same")
    response = post_idea(api, other_group, other_access.api_token, title="Idee", client_id="same")

    assert response.status_code == 201
    assert Idea.objects.count() == 2


def test_capture_form_without_javascript_stores_an_idea_once_even_when_sent_twice(client, moderator, group):
    form = client.get(capture_url(moderator))
    client_id = form.context["form"]["client_id"].value()
    data = {"title": "Bänke mit Steckdosen", "text": "", "theme": "Smart City", "client_id": client_id}

    first = client.post(capture_url(moderator), data)
    second = client.post(capture_url(moderator), data)

    assert first.status_code == second.status_code == 302
    assert Idea.objects.filter(group=group).count() == 1
    page = client.get(first["Location"])
    assert "Bänke mit Steckdosen" in page.text
    assert f'data-client-id="{client_id}"' in page.text


def test_capture_page_gives_every_form_a_fresh_client_id(client, moderator):
    first = client.get(capture_url(moderator)).context["form"]["client_id"].value()
    second = client.get(capture_url(moderator)).context["form"]["client_id"].value()
    assert first and second and first != second


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        ({"title": "   "}, "title_required", "title"),
        ({"title": "x" * 141}, "title_too_long", "title"),
        ({"title": "ok", "text": "x" * 4001}, "text_too_long", "text"),
        ({"title": "ok", "theme": "x" * 61}, "theme_too_long", "theme"),
        ({"title": "ok", "client_id": "x" * 65}, "invalid_client_id", "client_id"),
        ({"title": "ok", "email": "kein-at"}, "invalid_email", "email"),
        ({"title": "ok", "email": "a@example.org"}, "consent_required", "updates_consent"),
    ],
)
def test_bad_idea_is_refused_with_a_clear_code_and_nothing_is_saved(api, group, moderator_token, payload, code, field):
    response = post_idea(api, group, moderator_token, **payload)

    assert response.status_code == 422
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert not Idea.objects.exists()
    assert not AuditEntry.objects.filter(action="idea.created").exists()


def test_wrongly_typed_body_is_refused_as_invalid_input(api, group, moderator_token):
    response = post_idea(api, group, moderator_token, title=["a list"], surprise=True)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert not Idea.objects.exists()


def test_empty_title_in_the_form_shows_the_error_next_to_the_field(client, moderator):
    response = client.post(capture_url(moderator), {"title": " ", "client_id": "abc"})

    assert response.status_code == 422
    assert 'id="id_title_error"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert not Idea.objects.exists()


def test_moderator_edits_and_marks_an_idea_for_the_plenum(api, group, moderator, moderator_token):
    idea = add_idea(group, "Erste Fassung", actor=moderator)

    response = api.patch(
        f"/api/ideas/{idea.pk}",
        {"title": "Bessere Fassung", "text": "Mit Details", "for_plenum": True},
        content_type="application/json",
        headers=bearer(moderator_token),
    )

    assert response.status_code == 200
    idea.refresh_from_db()
    assert (idea.title, idea.text, idea.for_plenum) == ("Bessere Fassung", "Mit Details", True)
    assert idea.marked_for_plenum_at is not None
    entry = AuditEntry.objects.get(action="idea.updated", target_id=idea.pk)
    assert entry.actor is None and entry.actor_label.startswith("moderator")
    assert entry.data["changed"]["title"] == "Bessere Fassung"


def test_bad_edit_changes_nothing(api, group, moderator, moderator_token):
    idea = add_idea(group, "Bleibt", actor=moderator)

    response = api.patch(
        f"/api/ideas/{idea.pk}",
        {"title": "", "for_plenum": True},
        content_type="application/json",
        headers=bearer(moderator_token),
    )

    assert response.status_code == 422
    assert response.json()["code"] == "title_required"
    idea.refresh_from_db()
    assert (idea.title, idea.for_plenum) == ("Bleibt", False)


def test_marking_for_the_plenum_on_the_capture_page(client, group, moderator):
    idea = add_idea(group, "Freies WLAN", actor=moderator)
    url = reverse("ideas:moderated:plenum", kwargs={"token": moderator_link_token(moderator), "idea_id": idea.pk})

    response = client.post(url, {"for_plenum": "1"})

    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.for_plenum


def test_merging_keeps_the_duplicates_origin_and_moves_the_plenum_mark(client, group, moderator):
    survivor = add_idea(group, "Digitale Anträge", actor=moderator)
    duplicate = add_idea(group, "Anträge online stellen", actor=moderator, for_plenum=True)
    url = reverse("ideas:moderated:merge", kwargs={"token": moderator_link_token(moderator), "idea_id": survivor.pk})

    response = client.post(url, {"duplicate": duplicate.pk})

    assert response.status_code == 302
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert duplicate.group == group
    assert survivor.for_plenum and not duplicate.for_plenum
    assert AuditEntry.objects.filter(action="idea.merged", target_id=survivor.pk).exists()
    shown = client.get(response["Location"]).text
    assert (
        f"„Anträge online stellen“ ({group.name}) ist mit „Digitale Anträge“ ({group.name}) zusammengeführt." in shown
    )


def test_merged_idea_cannot_be_edited_any_more(api, group, moderator, moderator_token):
    from ideas import services

    survivor = add_idea(group, "A", actor=moderator)
    duplicate = add_idea(group, "B", actor=moderator)
    services.merge_ideas(survivor, [duplicate], actor=moderator, now=survivor.created_at)

    response = api.patch(
        f"/api/ideas/{duplicate.pk}", {"title": "C"}, content_type="application/json", headers=bearer(moderator_token)
    )

    assert response.status_code == 409
    assert response.json()["code"] == "idea_merged"


def test_organiser_captures_with_their_own_login(organiser_client, group):
    url = reverse("ideas:organised:page", kwargs={"group_id": group.pk})
    page = organiser_client.get(url)
    response = organiser_client.post(
        url, {"title": "Von der Orga", "client_id": page.context["form"]["client_id"].value()}
    )

    assert response.status_code == 302
    assert Idea.objects.get(group=group).source == "organiser"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_retries_store_the_idea_once(group, moderator):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    from django.db import connections
    from django.utils import timezone

    from ideas import services

    barrier = threading.Barrier(2)
    results = []

    def send():
        try:
            barrier.wait()
            idea, created = services.add_idea(
                group, services.IdeaDraft(title="Gleichzeitig"), client_id="race", actor=moderator, now=timezone.now()
            )
            results.append((idea.pk, created))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 2
    assert len({pk for pk, _created in results}) == 1
    assert sorted(created for _pk, created in results) == [False, True]
    assert Idea.objects.filter(group=group).count() == 1


def test_when_a_retry_slips_past_the_lookup_the_unique_constraint_still_stores_it_once(group, moderator, monkeypatch):
    from django.utils import timezone

    from ideas import services
    from ideas.services import capture

    first, _created = services.add_idea(
        group, services.IdeaDraft(title="Original"), client_id="slipped", actor=moderator, now=timezone.now()
    )
    real_lookup = capture.stored_idea
    lookups = []

    def blind_first_lookup(group, client_id):
        # The race: the retry looks before the original is committed and finds nothing.
        lookups.append(client_id)
        return None if len(lookups) == 1 else real_lookup(group, client_id)

    monkeypatch.setattr(capture, "stored_idea", blind_first_lookup)
    again, created = services.add_idea(
        group, services.IdeaDraft(title="Original"), client_id="slipped", actor=moderator, now=timezone.now()
    )

    assert (again.pk, created) == (first.pk, False)
    assert lookups == ["slipped", "slipped"]
    assert Idea.objects.filter(group=group).count() == 1
    assert AuditEntry.objects.filter(action="idea.created").count() == 1
