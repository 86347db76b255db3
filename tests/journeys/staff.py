"""What staff do in the browser: log in, and press buttons of forms that answer in place (htmx).

`log_in` is the one place that knows the login page: the site's own (/organisation/anmelden/);
change it here and every staff journey follows."""

import re

from playwright.sync_api import Locator

from tests.factories import make_user
from tests.journeys.browser import Journey

PASSWORD = "journey-Passwort-1"
STAFF_HOME = "/organisation/"


def staff_user(username: str, **fields):
    """A staff account that can log in through the real login page."""
    return make_user(username, password=PASSWORD, email=f"{username}@stadt.example", **fields)


def log_in(journey: Journey, user, *, next_path: str = STAFF_HOME) -> None:
    """Log in through the login page as a person would, landing on `next_path` (in the journey's language)."""
    journey.open(f"/organisation/anmelden/?next={journey.path(next_path)}")
    journey.step("login page")
    journey.page.locator("input[name=username]").fill(user.get_username())
    journey.page.locator("input[name=password]").fill(PASSWORD)
    journey.submit(journey.page.locator("main form.staff-form [type=submit]"))
    assert journey.page.url.endswith(journey.path(next_path)), journey.page.url


def submit_in_place(journey: Journey, button: Locator | str, *, url: str = "") -> None:
    """Press a button of a form that htmx posts and swaps into the page (no navigation); waits
    for the answer. `url` is a part of the form's address, when the page has several."""
    if isinstance(button, str):
        button = journey.page.get_by_role("button", name=button, exact=True)
    pattern = re.compile(re.escape(url)) if url else re.compile(".*")
    with journey.page.expect_response(
        lambda response: response.request.method == "POST" and bool(pattern.search(response.url))
    ) as answered:
        button.click()
    assert answered.value.ok, f"{answered.value.url} answered {answered.value.status}"
    journey.page.wait_for_load_state()


def messages(journey: Journey) -> str:
    """The messages the page shows after a change (success, warning, error)."""
    return "\n".join(journey.page.locator(".kern-alert").all_inner_texts())


def refused_by_the_browser(journey: Journey, field: Locator) -> None:
    """The browser's own check of the field (required, type=url, min/max) keeps the form from
    being sent: the person sees the browser's message at the field and nothing reaches the server."""
    assert field.evaluate("field => !field.checkValidity() && field.validationMessage !== ''"), (
        f"{field} passes the browser's check"
    )
