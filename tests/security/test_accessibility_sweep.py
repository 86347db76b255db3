"""axe-core in Chromium over every public, moderator and organiser page, in German and English:
no serious or critical violation (WCAG 2.1 A/AA rules, as BITV 2.0 asks)."""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from ideas.access import moderator_link_token
from registrations.links import consent_url, manage_path, reconfirm_url
from tests.security.door_world import build_door_world
from tests.security.world import build_world

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => {
  const rules = {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}};
  const result = await axe.run(document, rules);
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


@pytest.fixture
def world(transactional_db):
    return build_world()


def public_pages(w) -> list[str]:
    slug = w.event.slug
    return [
        reverse("events:upcoming"), reverse("events:past"), reverse("events:detail", args=[slug]),
        manage_path(w.registration), consent_url(w.registration).split("://", 1)[1].split("/", 1)[1].join(["/", ""]),
        reverse("ideas:event_ideas", args=[slug]), reverse("ideas:plenum", args=[slug]),
        reverse("ideas:working_groups"), reverse("ideas:working_group", args=[w.working_group.slug]),
        reverse("ideas:table", args=[w.group.poster_key]),
        reverse("ideas:moderated:page", kwargs={"token": moderator_link_token(w.moderator)}),
    ]  # fmt: skip


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def organiser_pages(w) -> list[str]:
    slug = w.event.slug
    return [
        reverse("staff:dashboard"), reverse("staff:event", args=[slug]), reverse("staff:registrations", args=[slug]),
        reverse("staff:registration", args=[slug, w.registration.pk]), reverse("staff:phone", args=[slug]),
        reverse("intake:inbox"), reverse("intake:mail", args=[w.intake_mail.pk]),
        reverse("outbox:list", args=[slug]), reverse("outbox:write", args=[slug]),
        reverse("outbox:message", args=[slug, w.bulk.pk]), reverse("outbox:call_list", args=[slug]),
        reverse("outbox:access_data", args=[slug]), reverse("outbox:move_event", args=[slug]),
        reverse("checkin:page", args=[slug]), reverse("ideas:organise", args=[slug]),
        reverse("ideas:members", args=[slug]), reverse("ideas:poster", args=[slug, w.group.pk]),
        reverse("ideas:organised:page", args=[w.group.pk]),
        reverse("ideas:organised:edit", args=[w.group.pk, w.idea.pk]),
        reverse("ideas:backlog", args=[w.working_group.slug]),
    ]  # fmt: skip


def test_no_serious_or_critical_violation_on_any_page_in_either_language(browser, live_server, world):
    session = Client()
    session.force_login(world.organiser)
    context = browser.new_context(bypass_csp=True, permissions=["camera"])
    page = context.new_page()
    found = {}
    door = build_door_world(world.organiser)
    timed_public = [path_of(reconfirm_url(door.asked)), path_of(reconfirm_url(door.offered))]
    timed_organiser = [
        reverse("staff:event", args=[door.reconfirming.slug]),
        reverse("checkin:page", args=[door.door.slug]),
    ]
    for cookies, paths in (
        (False, public_pages(world) + timed_public),
        (True, organiser_pages(world) + timed_organiser),
    ):
        context.clear_cookies()
        if cookies:
            cookie = session.cookies["sessionid"].value
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
        for path in paths:
            for prefix in ("", "/en"):
                response = page.goto(f"{live_server.url}{prefix}{path}")
                assert response.status == 200, f"{prefix}{path}: {response.status}"
                page.add_script_tag(path=str(AXE))
                violations = page.evaluate(RUN_AXE)
                if violations:
                    found[f"{prefix}{path}"] = violations
    context.close()
    assert not found, found


def test_control_the_sweep_finds_a_violation_when_there_is_one(browser, live_server, world):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('events:upcoming')}")
    page.evaluate("() => { document.documentElement.removeAttribute('lang'); }")
    page.add_script_tag(path=str(AXE))
    assert "html-has-lang" in [violation["id"] for violation in page.evaluate(RUN_AXE)]
    context.close()
