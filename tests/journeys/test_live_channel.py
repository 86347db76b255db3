"""A viewer at home watches the livestream page, follows its live-channel link and sends an idea
without an account (an empty try first: the form says what is missing); it is not public; an
organiser approves it in the moderation queue and sends it straight to the plenum; the plenum
wall shows it, marked as coming from the livestream. In German and in English, and axe-core finds
no serious or critical problem on the new pages."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from ideas import services
from tests.factories import running_event
from tests.journeys.staff import log_in, staff_user

pytestmark = pytest.mark.journey

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
IDEA = "Trinkbrunnen am Marktplatz"

TEXT = {
    "de": {
        "idea": "Ihr Text",
        "name": "Ihr Name",
        "show": "Meinen Namen öffentlich zeigen",
        "send": "Senden",
        "missing": "Bitte schreiben Sie Ihre Idee auf.",
        "thanks": "Ein Moderator schaut sich Ihre Idee an",
        "approve": "Freigeben",
        "send_on": "Weitergeben",
        "origin": "Gesendet von: Livestream · von Jo",
    },
    "en": {
        "idea": "Your text",
        "name": "Your name",
        "show": "Show my name publicly",
        "send": "Send",
        "missing": "Please write down your idea.",
        "thanks": "A moderator will look at your idea",
        "approve": "Approve",
        "send_on": "Send on",
        "origin": "Sent from: Livestream · by Jo",
    },
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_viewer_at_home_sends_an_idea_that_reaches_the_wall_after_approval(browse, browser, language):
    organiser = staff_user("organiser")
    event = running_event(team=[organiser])
    event.livestream_url = "https://www.youtube.com/watch?v=aqz-KE-bpKQ"
    event.save(update_fields=["livestream_url"])
    words = TEXT[language]

    viewer = browse(language, who="viewer")
    viewer.open(f"/veranstaltungen/{event.slug}/livestream/")
    viewer.step("livestream page with the live link")
    with viewer.page.expect_navigation():
        viewer.page.locator(".live-link a").click()
    assert "/mit/" in viewer.page.url and "via=stream" in viewer.page.url
    viewer.step("live channel")

    # The form counts the time from showing it: scripts are faster than people.
    viewer.page.wait_for_timeout(3500)
    viewer.submit(words["send"], status=422)
    expect(viewer.page.locator("main")).to_contain_text(words["missing"])
    viewer.step("empty idea refused")

    viewer.page.get_by_label(words["idea"]).fill(IDEA)
    viewer.page.get_by_label(words["name"]).fill("Jo")
    viewer.page.get_by_label(words["show"]).check()
    viewer.page.wait_for_timeout(3500)
    viewer.submit(words["send"])
    expect(viewer.page.locator("main")).to_contain_text(words["thanks"])
    viewer.step("thanks, a moderator will look")

    public = browse(language, who="public")
    public.open(f"/veranstaltungen/{event.slug}/ideen/")
    expect(public.page.locator("main")).not_to_contain_text(IDEA)
    public.step("not public yet")

    team = browse(language, who="organiser")
    queue = f"/veranstaltungen/{event.slug}/ideen/organisation/freigabe/"
    log_in(team, organiser, next_path=queue)
    team.step("moderation queue")
    team.submit(team.page.get_by_role("button", name=words["approve"]))
    team.step("approved")
    team.open(f"/veranstaltungen/{event.slug}/ideen/organisation/")
    team.submit(team.page.get_by_role("button", name=words["send_on"]))
    team.step("sent straight to the plenum")

    public.open(f"/veranstaltungen/{event.slug}/plenum/")
    wall = public.page.locator("#plenum-wall")
    expect(wall).to_contain_text(IDEA)
    expect(wall).to_contain_text(words["origin"])
    public.step("on the plenum wall")

    assert_axe_clean(
        browser,
        language,
        [
            viewer.page.url,
            public.page.url,
            public.page.url.replace("/plenum/", "/ideen/"),
            public.page.url.replace("/plenum/", "/livestream/"),
        ],
    )
    assert services.live_ideas_to_place(event).count() == 0
    assert timezone.now()


def assert_axe_clean(browser, language: str, urls: list[str]) -> None:
    # axe is injected as a script file, which the site's CSP would (rightly) refuse.
    context = browser.new_context(bypass_csp=True, locale=language)
    try:
        page = context.new_page()
        for url in urls:
            page.goto(url)
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate("async () => (await axe.run(document)).violations")
            serious = [
                (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
                for v in violations
                if v["impact"] in ("serious", "critical")
            ]
            assert serious == [], url
    finally:
        context.close()
