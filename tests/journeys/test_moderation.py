"""Someone at a table sends an idea through the poster's link; it is not on the public page; the
group's moderator opens the moderation queue with their link and approves it; now it is. In
German and in English."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ideas import services
from ideas.access import moderator_link_token
from tests.factories import make_user, running_event

pytestmark = pytest.mark.journey

TEXT = {
    "de": {"title": "Die Idee in wenigen Worten", "send": "Idee absenden", "approve": "Freigeben"},
    "en": {"title": "The idea in a few words", "send": "Send idea", "approve": "Approve"},
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_an_idea_from_a_table_is_public_only_after_the_moderator_approved_it(browse, language):
    now = timezone.now()
    organiser = make_user("organiser")
    event = running_event(team=[organiser])
    group, access = services.create_group(
        event, services.GroupData("Tisch 1", "Mobilität"), moderator_name="Moni", actor=organiser, now=now
    )
    words = TEXT[language]

    participant = browse(language, who="table")
    participant.open(f"/tisch/{group.poster_key}/")
    participant.step("table form")
    participant.page.get_by_label(words["title"]).fill("Mehr Fahrradbügel am Bahnhof")
    participant.submit(words["send"])
    participant.step("idea sent")

    public = browse(language, who="public")
    public.open(f"/veranstaltungen/{event.slug}/ideen/")
    expect(public.page.locator("main")).not_to_contain_text("Mehr Fahrradbügel am Bahnhof")
    public.step("not public yet")

    moderator = browse(language, who="moderator")
    moderator.open(f"/moderation/{moderator_link_token(access.moderator)}/freigabe/")
    moderator.step("moderation queue")
    moderator.submit(moderator.page.get_by_role("button", name=words["approve"]))
    expect(moderator.page.locator("main")).to_contain_text("Mehr Fahrradbügel am Bahnhof")
    moderator.step("approved")

    public.open(f"/veranstaltungen/{event.slug}/ideen/")
    expect(public.page.locator("main")).to_contain_text("Mehr Fahrradbügel am Bahnhof")
    public.step("public now")
