"""A person's browser for the journeys: a Playwright page that fails the journey on any 4xx/5xx
the journey did not declare, any console error or uncaught script error, any Content Security
Policy violation, and any known string of the other language; with a screenshot of every step."""

import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, Response

from tests.journeys import post_coverage
from tests.journeys.languages import wrong_language_strings

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "journeys"
LOCALES = {"de": "de-DE", "en": "en-GB"}
FAILED_LOAD = re.compile(r"Failed to load resource: the server responded with a status of \d{3}")

# Runs before any script of the page: every violation of the policy is reported to the test.
REPORT_CSP_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', event => {
  window.journeyCspViolation(`${event.violatedDirective} blocked ${event.blockedURI} on ${document.location.href}`);
});
"""

# The text of the page a person reads, without elements marked as another language (the
# language switch) and without scripts; text nodes apart, so that words do not run together.
PAGE_TEXT = """
() => {
  const language = document.documentElement.lang;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [document.title];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (element.closest('script, style, noscript, template')) continue;
    const marked = element.closest('[lang]');
    if (marked && marked.lang !== language) continue;
    parts.push(node.textContent);
  }
  return parts.join('\\n');
}
"""


# The known defects a journey met, on the test item: it is then reported as xfail (conftest.py).
KNOWN_DEFECTS = pytest.StashKey[list]()


class JourneyFailed(AssertionError):
    pass


class Journey:
    """One person in one browser context. `language` is "de" or "en"; `path()` adds the "/en"
    prefix for English. Declare an expected error status with `expecting(422)`; call `step()`
    after each thing the person does: it checks the page and takes the screenshot."""

    def __init__(self, browser, server_url: str, *, language: str, name: str, item=None):
        self.item = item
        self.server_url = server_url
        self.language = language
        self.name = name
        self.steps = 0
        self.problems: list[str] = []
        self.expected_statuses: list[int] = []
        self.expected_failures: set[str] = set()
        self.context = browser.new_context(locale=LOCALES[language], base_url=server_url)
        self.context.expose_binding("journeyCspViolation", lambda source, text: self.problem(f"CSP: {text}"))
        self.context.add_init_script(REPORT_CSP_VIOLATIONS)
        self.page: Page = self.context.new_page()
        self.page.on("response", self.on_response)
        self.page.on("console", self.on_console)
        self.page.on("pageerror", lambda error: self.problem(f"script error: {error}"))
        self.page.on("request", self.on_request)

    # --- what the journey calls ---

    def path(self, path: str) -> str:
        """A site path in this journey's language ("/veranstaltungen/x/" → "/en/veranstaltungen/x/")."""
        return f"/en{path}" if self.language == "en" and not path.startswith("/en/") else path

    def open(self, path_or_url: str, *, status: int = 200) -> Response:
        """Go to a page (a path in the journey's language, or a full URL such as a mail's link)."""
        url = path_or_url if path_or_url.startswith("http") else self.path(path_or_url)
        with self.expecting(status):
            response = self.page.goto(url)
        assert response is not None and response.status == status, f"{url} answered {response and response.status}"
        return response

    def submit(self, button: Locator | str, *, status: int = 200) -> Response:
        """Press a form's submit button (a locator, or the button's accessible name) and wait for
        the page the browser lands on; `status` is that page's status (after any redirect)."""
        if isinstance(button, str):
            button = self.page.get_by_role("button", name=button, exact=True)
        with self.expecting(status), self.page.expect_navigation() as navigation:
            button.click()
        response = navigation.value
        assert response is not None, "the form led to no page"
        assert response.status == status, f"{response.url} answered {response.status}, expected {status}"
        return response

    @contextmanager
    def expecting(self, *statuses: int):
        """Within the block, responses with these statuses are what the journey expects."""
        self.expected_statuses.extend(statuses)
        try:
            yield
        finally:
            for status in statuses:
                self.expected_statuses.remove(status)

    def step(self, label: str) -> None:
        """Check the page as it is now and keep a screenshot of it; fails the journey on any
        problem seen since the last step."""
        self.page.wait_for_load_state()
        self.steps += 1
        language = self.page.evaluate("document.documentElement.lang")
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        folder = SCREENSHOTS / self.name
        folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=folder / f"{self.steps:02d}-{slug}-{language}.png", full_page=True)
        wrong = wrong_language_strings(language, self.page.evaluate(PAGE_TEXT))
        if wrong:
            self.problem(f"text in the wrong language on a {language!r} page: {wrong}")
        if language != self.language:
            self.problem(f"the page is in {language!r}, the journey in {self.language!r}")
        self.check(f"step {self.steps} ({label}) at {self.page.url}")

    @contextmanager
    def known_defect(self, defect: str, what: str):
        """A step that fails on a defect another engineer is fixing now (findings id `defect`):

            with citizen.known_defect("D9", "machine values on the data page"):
                citizen.step("data page")

        The journey goes on and is reported as xfail naming the defect. Once the fix is merged the
        step passes and the journey fails, saying so: then remove the `known_defect` around it."""
        try:
            yield
        except AssertionError as failure:
            self.item.stash.setdefault(KNOWN_DEFECTS, []).append(f"{defect} ({what}): {failure}")
        else:
            pytest.fail(f"known defect {defect} no longer shows ({what}): remove known_defect around this step")

    def check(self, where: str = "") -> None:
        if self.problems:
            problems, self.problems = self.problems, []
            raise JourneyFailed(f"{self.name}, {where}:\n  " + "\n  ".join(problems))

    def close(self) -> None:
        self.context.close()

    # --- what the browser reports ---

    def problem(self, text: str) -> None:
        self.problems.append(text)

    def on_response(self, response: Response) -> None:
        if response.status >= 400 and response.status in self.expected_statuses:
            self.expected_failures.add(response.url)
        elif response.status >= 400:
            self.problem(f"{response.status} for {response.request.method} {response.url}")
        # Under no-referrer Chromium posts forms with `Origin: null`, which the CSRF check refuses (D1).
        policy = response.header_value("referrer-policy") or ""
        if response.url.startswith(self.server_url) and "no-referrer" in policy:
            self.problem(f"Referrer-Policy: no-referrer on {response.url}")

    def on_console(self, message) -> None:
        if message.type != "error":
            return
        # Chromium repeats every failed load in the console, maybe after the `expecting` block;
        # a response the journey expected is no problem.
        if FAILED_LOAD.search(message.text) and message.location.get("url") in self.expected_failures:
            return
        self.problem(f"console error: {message.text} ({message.location.get('url', '')})")

    def on_request(self, request) -> None:
        if request.method == "POST" and request.url.startswith(self.server_url):
            post_coverage.record_post(request.url)
