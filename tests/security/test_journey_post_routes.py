"""The list of POST routes the journeys must submit (tests/journeys/post_coverage.py) finds the
form views, leaves out pages that only show, and names the exempt ones only with a reason."""

from tests.journeys import post_coverage


def test_form_views_are_listed_whatever_says_they_take_a_post():
    routes = post_coverage.post_routes()

    assert "registrations:cancel" in routes  # require_http_methods(["GET", "POST"])
    assert "registrations:register" in routes  # require_POST
    assert "reports:answer" in routes  # reads request.POST, no decorator
    assert "staff:login" in routes  # a class-based view (LoginView) that takes a POST
    assert routes["registrations:cancel"] == "anmeldung/<str:token>/abmelden/"


def test_pages_that_only_show_and_the_exempt_routes_are_not_listed():
    routes = post_coverage.post_routes()

    assert not {"events:detail", "privacy:data", "privacy:download", "streaming:start_as_host"} & set(routes)
    assert "zoom_webhook" not in routes and not any(name.startswith(("api:", "admin:")) for name in routes)


def test_a_posted_address_resolves_to_its_view_name_in_either_language():
    assert post_coverage.view_name_of("http://127.0.0.1:1/en/anmeldung/abc/abmelden/") == "registrations:cancel"
    assert post_coverage.view_name_of("http://127.0.0.1:1/datenauskunft/?x=1") == "privacy:request"
    assert post_coverage.view_name_of("http://127.0.0.1:1/gibt-es-nicht/") is None
