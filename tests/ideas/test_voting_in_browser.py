"""Dot voting in a real browser (Debian's Chromium, under the strict CSP): a phone gives its dots
with htmx (no reload, the status line says what happened, focus stays on the button, a refusal
shows as an alert), and the wall's counts follow without a reload."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ideas import services
from tests.ideas.ideas_factories import add_idea

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live(live_server, settings):
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def context(browser):
    opened = browser.new_context()
    yield opened
    opened.close()


def test_a_phone_gives_its_dots_with_htmx_and_the_wall_follows(live, context, event, organiser, group, moderator, now):
    idea = add_idea(group, "Mehr Bänke am Markt", actor=moderator, for_plenum=True)
    services.configure_voting(event, 2, actor=organiser, now=now)
    services.set_voting_open(event, True, actor=organiser, now=now)
    problems = []
    wall = context.new_page()
    wall.on("pageerror", lambda error: problems.append(str(error)))
    wall.goto(live + reverse("ideas:plenum", args=[event.slug]))
    expect(wall.locator(f"[data-idea-id='{idea.pk}'] .plenum-dots")).to_have_attribute("data-dots", "0")

    phone = context.new_page()
    phone.on("pageerror", lambda error: problems.append(str(error)))
    phone.goto(live + reverse("ideas:vote", args=[event.slug]))
    phone.evaluate("window.stillTheSamePage = true")
    give = phone.locator(f"#give-{idea.pk}")
    give.click()
    expect(phone.locator("#ballot-status")).to_contain_text("einen Punkt gegeben")
    expect(phone.locator("[data-voting=open]")).to_contain_text("noch 1 von 2")
    assert phone.evaluate("document.activeElement.id") == f"give-{idea.pk}"
    give.click()
    expect(phone.locator("[data-voting=open]")).to_contain_text("noch 0 von 2")

    give.click()
    expect(phone.locator("[role=alert][data-code=no_dots_left]")).to_be_visible()
    assert phone.evaluate("window.stillTheSamePage") is True

    expect(wall.locator(f"[data-idea-id='{idea.pk}'] .plenum-dots")).to_have_attribute("data-dots", "2", timeout=15_000)
    expect(wall.locator("#plenum-results")).to_contain_text("Mehr Bänke am Markt: 2 Punkte")
    assert problems == []
