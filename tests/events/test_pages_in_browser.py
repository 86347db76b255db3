"""The public pages in a real browser (Debian's chromium through Playwright): accessible by
axe-core's WCAG 2.1 AA rules, and working under the strict Content Security Policy."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = [
    "/",
    "/en/",
    "/vergangene/",
    "/veranstaltungen/auftakt-digitalisierungsstrategie/",
    "/en/veranstaltungen/auftakt-digitalisierungsstrategie/",
    "/veranstaltungen/digitalisierung-trikala-castrop-rauxel/",
    "/en/veranstaltungen/zoom-dialog-digitalisierung/",
]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{violation['impact']}: {violation['id']} – {violation['help']} – "
        + " | ".join(node["html"][:120] for node in violation["nodes"][:3])
        for violation in violations
    )


@pytest.fixture
def axe_page(browser):
    # axe is injected as an inline script, which the site's CSP rightly forbids; only this
    # context ignores the CSP (the pages' own behaviour under CSP is tested below).
    context = browser.new_context(bypass_csp=True, locale="de-DE")
    yield context.new_page()
    context.close()


@pytest.fixture
def csp_page(browser):
    context = browser.new_context(locale="de-DE")
    # Runs before any of the page's own code, so every violation of the policy is caught.
    context.add_init_script(
        "window.cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " event => window.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));"
    )
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_serious_accessibility_violation(axe_page, live_server, demo_events, path):
    response = axe_page.goto(live_server.url + path)
    assert response.status == 200

    axe_page.add_script_tag(path=str(AXE))
    results = axe_page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA)

    serious = [v for v in results["violations"] if v["impact"] in {"serious", "critical"}]
    assert not serious, describe(serious)
    assert results["passes"], "axe must have checked something"


def test_list_and_event_page_open_in_german_and_english(csp_page, live_server, demo_events):
    csp_page.goto(live_server.url + "/")
    assert csp_page.locator("html").get_attribute("lang") == "de"
    csp_page.get_by_role("link", name=demo_events["auftakt-digitalisierungsstrategie"].title_de).click()
    assert (
        csp_page.get_by_role("heading", level=1).inner_text()
        == demo_events["auftakt-digitalisierungsstrategie"].title_de
    )

    csp_page.get_by_role("link", name="English").click()

    assert csp_page.locator("html").get_attribute("lang") == "en"
    assert (
        csp_page.get_by_role("heading", level=1).inner_text()
        == demo_events["auftakt-digitalisierungsstrategie"].title_en
    )


@pytest.mark.parametrize("path", PAGES)
def test_page_breaks_no_rule_of_the_content_security_policy(csp_page, live_server, demo_events, path):
    failed_requests = []
    csp_page.on("requestfailed", lambda request: failed_requests.append(request.url))

    response = csp_page.goto(live_server.url + path)
    csp_page.wait_for_load_state("load")

    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    assert csp_page.evaluate("window.cspViolations") == []
    assert failed_requests == []
