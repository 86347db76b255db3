"""Capturing ideas is limited per client (settings.RATE_LIMITS["capture"]), with clear 429 answers."""

import pytest
from django.urls import reverse

from ideas.access import moderator_link_token
from ideas.models import Idea
from tests.factories import bearer


@pytest.fixture(autouse=True)
def two_ideas_a_minute(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "capture": (2, 60)}


def test_the_api_answers_429_with_a_code_after_the_limit(api, group, moderator_token):
    def send(number):
        return api.post(
            f"/api/groups/{group.pk}/ideas",
            {"title": f"Idee {number}", "client_id": f"c-{number}"},
            content_type="application/json",
            headers=bearer(moderator_token),
        )

    assert [send(1).status_code, send(2).status_code] == [201, 201]
    refused = send(3)
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert refused["Retry-After"] == "60"
    assert Idea.objects.count() == 2


@pytest.mark.parametrize("page", ["moderator", "table"])
def test_the_capture_and_table_forms_answer_a_429_page(client, group, moderator, page):
    url = (
        reverse("ideas:moderated:page", kwargs={"token": moderator_link_token(moderator)})
        if page == "moderator"
        else reverse("ideas:table", args=[group.poster_key])
    )
    for number in range(2):
        client.post(url, {"title": f"Idee {number}", "client_id": f"form-{number}"})
    refused = client.post(url, {"title": "Noch eine", "client_id": "form-3"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert b"Zu viele Ideen auf einmal" in refused.content
    assert not Idea.objects.filter(title="Noch eine").exists()
    assert client.get(url).status_code == 200
