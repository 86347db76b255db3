"""The registration form in Chromium: a hint under a checkbox runs at the width of the form, not
in the 32 px column of the checkbox (where it broke after every word)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_checkbox_hints_and_errors_use_the_width_of_the_form(browser, live_server, make_event, prefix):
    event = make_event(format="onsite", broadcast=True)
    context = browser.new_context(locale="de-DE", viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}{prefix}{event.get_absolute_url()}")
    assert page.locator("#id_feedback_consent_helptext").bounding_box()["width"] > 250
    page.click("#anmelden button[type=submit] >> nth=0")
    error = page.locator("#id_accept_terms_error")
    assert error.bounding_box()["width"] > 250
    assert page.locator(".kern-alert--danger a[href='#id_accept_terms']").count() == 1
    context.close()
