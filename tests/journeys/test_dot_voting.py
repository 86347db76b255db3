"""In the plenum, a citizen opens the voting page on a phone, gives dots to an idea until none
are left, is told so when trying once more, and the wall shows the count. In German and in
English."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ideas import services
from tests.factories import make_user, running_event
from tests.ideas.ideas_factories import add_idea

pytestmark = pytest.mark.journey


@pytest.mark.parametrize("language", ["de", "en"])
def test_citizen_gives_dots_on_a_phone_and_the_wall_counts_them(browse, language):
    now = timezone.now()
    organiser = make_user("organiser")
    event = running_event(team=[organiser])
    group, access = services.create_group(
        event, services.GroupData("Tisch 1", "Digitale Verwaltung"), moderator_name="Moni", actor=organiser, now=now
    )
    idea = add_idea(group, "Mehr Bänke am Markt", actor=access.moderator, for_plenum=True)
    services.configure_voting(event, 2, actor=organiser, now=now)
    services.set_voting_open(event, True, actor=organiser, now=now)

    wall = browse(language, who="wall")
    wall.open(f"/veranstaltungen/{event.slug}/plenum/")
    wall.step("plenum wall")
    citizen = browse(language, who="phone")
    citizen.open(f"/veranstaltungen/{event.slug}/plenum/punkte/")
    citizen.step("voting page")

    give = citizen.page.locator(f"#give-{idea.pk}")
    give.click()
    expect(citizen.page.locator("#ballot-status")).not_to_be_empty()
    give.click()
    expect(citizen.page.locator("[data-voting=open]")).to_contain_text("0")
    citizen.step("two dots given")
    with citizen.expecting(409):
        give.click()
        expect(citizen.page.locator("[role=alert][data-code=no_dots_left]")).to_be_visible()
    citizen.step("no dots left")

    dots = wall.page.locator(f"[data-idea-id='{idea.pk}'] .plenum-dots")
    expect(dots).to_have_attribute("data-dots", "2", timeout=15_000)
    wall.step("wall counts the dots")
