"""Someone at a table sends an idea through the poster's link, with an address for its news; it is
not on the public page; the group's moderator opens the moderation queue with their link and
approves it; now it is, and the mail that says so leads its sender to the idea's own page. In
German and in English."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ideas import services
from ideas.access import moderator_link_token
from ideas.models import Idea
from tests.factories import make_user, running_event

pytestmark = pytest.mark.journey

TEXT = {
    "de": {
        "title": "Die Idee in wenigen Worten",
        "email": "E-Mail-Adresse",
        "consent": "Ja, bitte informieren Sie mich per E-Mail",
        "send": "Idee absenden",
        "approve": "Freigeben",
        "published": "ist veröffentlicht",
        "way": "Der Weg dieser Idee",
    },
    "en": {
        "title": "The idea in a few words",
        "email": "E-mail address",
        "consent": "Yes, tell me by e-mail when the status of my idea changes",
        "send": "Send idea",
        "approve": "Approve",
        "published": "is published",
        "way": "The way of this idea",
    },
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_an_idea_from_a_table_is_public_only_after_the_moderator_approved_it(browse, mailbox, language):
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
    address = f"rad-{language}@example.org"
    participant.page.get_by_label(words["email"]).fill(address)
    participant.page.get_by_label(words["consent"]).check()
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

    idea = Idea.objects.get(event=event)
    mail = mailbox.wait_for(address, subject=words["published"])
    participant.open(mail.link(f"/ideen/{idea.pk}/"))
    assert participant.page.url.endswith(("/en" if language == "en" else "") + idea.page_path())
    expect(participant.page.locator("h1")).to_have_text("Mehr Fahrradbügel am Bahnhof")
    expect(participant.page.get_by_role("heading", name=words["way"])).to_be_visible()
    participant.step("the mail's link: the idea's own page and its way")
