"""The plenum wall on the projector: from the wall into the presentation mode (large type, no
controls), the keyboard finds the only way out, Escape leaves it. In German and in English."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ideas import services
from tests.factories import make_user, running_event
from tests.ideas.ideas_factories import add_idea

pytestmark = pytest.mark.journey


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_wall_goes_on_the_projector_and_the_keyboard_leaves_it(browse, language):
    now = timezone.now()
    organiser = make_user("organiser")
    event = running_event(team=[organiser])
    group, access = services.create_group(
        event, services.GroupData("Tisch 1", "Digitale Verwaltung"), moderator_name="Moni", actor=organiser, now=now
    )
    add_idea(group, "Mehr Bänke am Markt", actor=access.moderator, for_plenum=True)

    wall = browse(language)
    wall.page.set_viewport_size({"width": 1920, "height": 1080})
    wall.open(f"/veranstaltungen/{event.slug}/plenum/")
    wall.step("plenum wall")
    wall.page.locator(f"a[href$='/veranstaltungen/{event.slug}/plenum/praesentation/']").click()
    expect(wall.page.locator(".plenum-idea")).to_contain_text("Mehr Bänke am Markt")
    wall.step("presentation mode")
    assert wall.page.locator("button, input, select, textarea, header, footer").count() == 0
    title_size = wall.page.locator(".plenum-idea .kern-title").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert title_size >= 40, title_size

    wall.page.keyboard.press("Tab")
    way_out = wall.page.locator(".plenum-presentation__exit")
    expect(way_out).to_be_focused()
    expect(way_out).to_be_visible()
    wall.step("the way out has the focus")

    with wall.page.expect_navigation():
        wall.page.keyboard.press("Escape")
    assert wall.page.url.endswith(f"/veranstaltungen/{event.slug}/plenum/"), wall.page.url
    wall.step("back on the wall")
