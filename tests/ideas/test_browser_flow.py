"""The whole way of an idea in a real browser (Debian's Chromium, under the site's strict CSP):
a moderator captures three ideas and marks two, the plenum wall shows them without a reload, an
organiser hands one to a working group, and its public page shows it with its origin. axe-core
finds no serious or critical accessibility problem on the pages citizens and moderators use."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from ideas import services
from ideas.access import moderator_link_token
from ideas.models import Idea

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
IDEAS = ["Bürgerbüro-Termine online buchen", "Freies WLAN in der Altstadt", "Digitale Sprechstunde im Rathaus"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live(live_server, settings):
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def new_context(browser):
    """Browser contexts that close with the test, so that the wall's polling ends with it too."""
    opened = []

    def open_context(**options):
        opened.append(browser.new_context(**options))
        return opened[-1]

    yield open_context
    for context in opened:
        context.close()


@pytest.fixture
def csp_problems():
    """Errors in the browser console (a refused script or style shows there); the flow must cause none."""
    return []


def watched_page(context, problems):
    def note(message):
        # The browser asks for /favicon.ico on its own; the site has none, and that is no fault of these pages.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            problems.append(message.text)

    page = context.new_page()
    page.on("console", note)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return page


def organiser_context(new_context, organiser, live):
    client = Client()
    client.force_login(organiser)
    context = new_context(base_url=live)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live}])
    return context


def test_an_idea_travels_from_the_breakout_group_to_the_working_groups_public_page(
    new_context, live, organiser, event, moderator, working_group, csp_problems
):
    capture_url = live + reverse("ideas:moderated:page", kwargs={"token": moderator_link_token(moderator)})
    wall_url = live + reverse("ideas:plenum", args=[event.slug])
    context = new_context()

    wall = watched_page(context, csp_problems)
    wall.goto(wall_url)
    wall.evaluate("window.stillTheSamePage = true")
    expect(wall.locator(".plenum-idea")).to_have_count(0)

    capture = watched_page(context, csp_problems)
    capture.goto(capture_url)
    title = capture.locator("form.capture-form [name=title]")
    # The first idea survives a reload before it is sent: the draft comes back.
    title.fill(IDEAS[0])
    capture.reload()
    expect(title).to_have_value(IDEAS[0])
    capture.locator("form.capture-form button[type=submit]").click()
    expect(capture.locator("li.kern-card", has_text=IDEAS[0])).to_be_visible()
    expect(title).to_have_value("")
    for text in IDEAS[1:]:
        title.fill(text)
        capture.locator("form.capture-form button[type=submit]").click()
        expect(capture.locator("li.kern-card", has_text=text)).to_be_visible()
    assert Idea.objects.filter(group=moderator.group).count() == 3

    for text in IDEAS[:2]:
        capture.locator("li.kern-card", has_text=text).locator("form button[type=submit]").click()
        expect(capture.locator("li.kern-card", has_text=text).locator(".kern-badge")).to_be_visible()

    expect(wall.locator(".plenum-idea")).to_have_count(2, timeout=15_000)
    expect(wall.locator(".plenum-idea", has_text=IDEAS[0])).to_be_visible()
    expect(wall.locator(".plenum-idea", has_text=IDEAS[1])).to_be_visible()
    assert wall.evaluate("window.stillTheSamePage") is True

    organising = organiser_context(new_context, organiser, live)
    board = watched_page(organising, csp_problems)
    board.goto(reverse("ideas:organise", args=[event.slug]))
    idea = Idea.objects.get(title=IDEAS[0])
    board.select_option(f"#sort-{idea.pk}", working_group.slug)
    board.locator(f"#idea-{idea.pk} button[type=submit]").click()
    expect(board.locator(".kern-alert")).to_contain_text(working_group.title)

    public = watched_page(new_context(), csp_problems)
    public.goto(live + reverse("ideas:working_group", args=[working_group.slug]))
    entry = public.locator(f"[data-idea-id='{idea.pk}']")
    expect(entry).to_contain_text(IDEAS[0])
    expect(entry).to_contain_text(event.title)
    expect(entry).to_contain_text(moderator.group.name)

    assert csp_problems == []


def test_capture_page_plenum_wall_and_working_group_page_pass_axe(
    new_context, live, event, group, moderator, organiser, working_group
):
    idea = services.add_idea(
        group,
        services.IdeaDraft(title="Barrierefreie Formulare", for_plenum=True),
        client_id=None,
        actor=moderator,
        now=timezone.now(),
    )[0]
    services.sort_into_working_group(idea, working_group, actor=organiser, now=timezone.now())
    waiting = services.IdeaDraft(title="Wartet auf Freigabe")
    services.add_idea_at_table(group, waiting, client_id="q", now=timezone.now())
    # axe is injected as a script file, which the site's CSP would (rightly) refuse.
    page = new_context(bypass_csp=True).new_page()
    for path in (
        reverse("ideas:moderated:page", kwargs={"token": moderator_link_token(moderator)}),
        reverse("ideas:moderator_queue:queue", kwargs={"token": moderator_link_token(moderator)}),
        reverse("ideas:table", args=[group.poster_key]),
        reverse("ideas:plenum", args=[event.slug]),
        reverse("ideas:working_group", args=[working_group.slug]),
        reverse("ideas:event_ideas", args=[event.slug]),
    ):
        page.goto(live + path)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("async () => (await axe.run(document)).violations")
        serious = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], path
