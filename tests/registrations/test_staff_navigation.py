"""One navigation for an event: the tabs for check-in, outbox, Zoom, livestream, breakout groups
and ideas, reports and team, each shown only to the roles that may open it (docs/roles.md), and
the staff header (my events, logout) on the pages of those areas."""

import pytest
from django.urls import reverse

from events.models import EventMember, Role
from registrations.staff.tabs import event_tabs
from tests.factories import make_user
from tests.registrations.staff_helpers import client_of

pytest_plugins = ["tests.registrations.staff_fixtures"]
pytestmark = pytest.mark.usefixtures("staff_english")

EVERY_TAB = {
    "checkin": "checkin:page",
    "outbox": "outbox:list",
    "zoom": "streaming:organiser_event",
    "livestream": "streaming:organiser_event",
    "ideas": "ideas:organise",
    "report": "reports:event",
    "survey": "reports:survey",
}


def member(event, username: str, role: str):
    user = make_user(username)
    EventMember.objects.create(event=event, user=user, role=role)
    return user


@pytest.mark.parametrize(
    ("role", "sections"),
    [
        (Role.ORGANISER, set(EVERY_TAB)),
        (Role.CHECK_IN, {"checkin"}),
        (Role.MODERATOR, {"ideas"}),
        (Role.VIEWER, {"report"}),
    ],
)
def test_each_role_gets_the_tabs_of_the_pages_it_may_open(staff_event, role, sections):
    user = member(staff_event, f"person-{role}", role)

    tabs = event_tabs(user, staff_event)

    assert {tab.section for tab in tabs} == sections
    for tab in tabs:
        assert client_of(user).get(reverse(tab.url_name, args=[staff_event.slug])).status_code == 200, tab.section


def test_someone_outside_the_team_gets_no_tab(staff_event, staff_outsider):
    assert event_tabs(staff_outsider, staff_event) == []


def test_the_organiser_s_event_page_links_every_area(staff_client, staff_event):
    page = staff_client.get(reverse("staff:event", args=[staff_event.slug])).text

    for section, url_name in EVERY_TAB.items():
        assert f'href="{reverse(url_name, args=[staff_event.slug])}' in page, section
    assert f'href="{reverse("streaming:organiser_event", args=[staff_event.slug])}#livestream"' in page
    for label in ("Check-in", "Outbox", "Zoom", "Livestream", "Breakout groups and ideas", "Team", "Attendance"):
        assert f">{label}</a>" in page, label


def test_a_viewer_sees_neither_the_outbox_nor_the_team_in_the_menu(staff_event):
    viewer = member(staff_event, "leser", Role.VIEWER)

    page = client_of(viewer).get(reverse("staff:event", args=[staff_event.slug])).text

    assert ">Seats and chart</a>" in page and ">Attendance</a>" in page
    for hidden in ("outbox:list", "staff:team", "checkin:page", "ideas:organise", "streaming:organiser_event"):
        assert f'href="{reverse(hidden, args=[staff_event.slug])}' not in page, hidden


def test_a_moderator_s_menu_leads_only_to_the_groups_and_ideas(staff_event):
    moderator = member(staff_event, "moderatorin", Role.MODERATOR)

    page = client_of(moderator).get(reverse("ideas:organise", args=[staff_event.slug])).text

    assert ">Breakout groups and ideas</a>" in page
    for hidden in ("staff:event", "outbox:list", "staff:team", "streaming:organiser_event"):
        assert f'href="{reverse(hidden, args=[staff_event.slug])}' not in page, hidden


@pytest.mark.parametrize(
    "url_name",
    [
        "checkin:page",
        "outbox:list",
        "outbox:write",
        "outbox:call_list",
        "outbox:access_data",
        "outbox:move_event",
        "streaming:organiser_event",
        "ideas:organise",
        "ideas:members",
    ],
)
def test_the_pages_of_every_area_show_the_staff_header(staff_client, staff_event, url_name):
    page = staff_client.get(reverse(url_name, args=[staff_event.slug]))

    assert page.status_code == 200
    assert f'href="{reverse("staff:dashboard")}">My events</a>' in page.text
    assert f'method="post" action="{reverse("staff:logout")}"' in page.text


@pytest.mark.parametrize("url_name", ["streaming:organiser_overview", "intake:inbox", "staff:dashboard"])
def test_the_pages_across_events_show_the_staff_header_too(staff_client, url_name):
    page = staff_client.get(reverse(url_name))

    assert page.status_code == 200
    assert f'method="post" action="{reverse("staff:logout")}"' in page.text


def test_organisers_find_the_registration_inbox_in_the_navigation_and_door_staff_do_not(staff_client, staff_event):
    link = f'href="{reverse("intake:inbox")}">Registration inbox</a>'
    assert link in staff_client.get(reverse("staff:dashboard")).text
    door = member(staff_event, "tuer", Role.CHECK_IN)
    page = client_of(door).get(reverse("checkin:page", args=[staff_event.slug]))
    assert page.status_code == 200 and reverse("intake:inbox") not in page.text
    assert client_of(door).get(reverse("intake:inbox")).status_code == 403
