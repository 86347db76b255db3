"""The plenum: the ideas each group marked, grouped by group, on a wall that updates itself."""

from django.urls import reverse
from django.utils import timezone, translation

from ideas import services
from tests.ideas.ideas_factories import add_idea


def test_plenum_api_lists_the_marked_ideas_per_group(api, event, group, moderator, other_group_and_access, organiser):
    add_idea(group, "Markiert", actor=moderator, for_plenum=True, text="Mit Text")
    add_idea(group, "Bleibt in der Gruppe", actor=moderator)
    add_idea(other_group_and_access[0], "Auch markiert", actor=organiser, for_plenum=True)

    response = api.get(f"/api/events/{event.slug}/plenum")

    assert response.status_code == 200
    body = response.json()
    assert body["event"] == event.slug
    assert [(g["name"], [i["title"] for i in g["ideas"]]) for g in body["groups"]] == [
        ("Tisch 1", ["Markiert"]),
        ("Tisch 2", ["Auch markiert"]),
    ]
    assert body["groups"][0]["ideas"][0]["text"] == "Mit Text"


def test_plenum_shows_a_merged_idea_once_with_all_groups_it_came_from(
    api, event, group, moderator, other_group_and_access, organiser
):
    survivor = add_idea(group, "Mehr Bänke", actor=moderator, for_plenum=True)
    duplicate = add_idea(other_group_and_access[0], "Sitzgelegenheiten", actor=organiser, for_plenum=True)
    services.merge_ideas(survivor, [duplicate], actor=organiser, now=timezone.now())

    groups = api.get(f"/api/events/{event.slug}/plenum").json()["groups"]

    assert [i["title"] for i in groups[0]["ideas"]] == ["Mehr Bänke"]
    assert groups[0]["ideas"][0]["also_raised_in"][0]["group"] == "Tisch 2"
    assert groups[1]["ideas"] == []


def test_plenum_api_of_an_unknown_event_is_not_found(api, db):
    response = api.get("/api/events/gibt-es-nicht/plenum")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_wall_polls_with_htmx_from_this_host_without_inline_styles(client, event, group, moderator):
    add_idea(group, "Für alle sichtbar", actor=moderator, for_plenum=True)

    response = client.get(reverse("ideas:plenum", args=[event.slug]))

    page = response.text
    assert "Für alle sichtbar" in page
    assert '<script src="/static/vendor/htmx/htmx.min.js"></script>' in page
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>""" in page
    assert f'hx-get="{reverse("ideas:plenum_ideas", args=[event.slug])}"' in page
    assert 'hx-trigger="every ' in page
    assert "style=" not in page and "<style" not in page
    assert "<script>" not in page
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_wall_fragment_carries_only_the_groups_and_their_marked_ideas(client, event, group, moderator):
    add_idea(group, "Neu markiert", actor=moderator, for_plenum=True)
    add_idea(group, "Nicht markiert", actor=moderator)

    fragment = client.get(reverse("ideas:plenum_ideas", args=[event.slug])).text

    assert "Neu markiert" in fragment
    assert "Nicht markiert" not in fragment
    assert "<html" not in fragment


def test_wall_speaks_german_by_default_and_english_under_en(client, event, group, moderator):
    add_idea(group, "Markiert", actor=moderator, for_plenum=True)
    german = client.get(reverse("ideas:plenum", args=[event.slug]))
    with translation.override("en"):
        english_url = reverse("ideas:plenum", args=[event.slug])
    english = client.get(english_url)

    assert english_url.startswith("/en/")
    assert '<html lang="de"' in german.text and "Ideen fürs Plenum" in german.text
    assert '<html lang="en"' in english.text and "Ideas for the plenum" in english.text
