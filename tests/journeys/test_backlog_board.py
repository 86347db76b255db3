"""A working group's lead moves items on the backlog board: to another column with a button, a
rejection first without a reason (refused at the field), then with one; then by pointer, dragging
an item onto another column. In German and English."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ideas import services
from tests.factories import make_user, running_event
from tests.ideas.ideas_factories import add_idea
from tests.journeys.citizen import errors
from tests.journeys.staff import log_in, messages, staff_user

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {
        "moved": "„Serviceportal“ ist jetzt: in Umsetzung.",
        "done": "„Serviceportal“ ist jetzt: erledigt.",
        "in_progress": "In Umsetzung",
        "rejected": "Abgelehnt",
    },
    "en": {
        "moved": "“Serviceportal” is now: in progress.",
        "done": "“Serviceportal” is now: done.",
        "in_progress": "In progress",
        "rejected": "Rejected",
    },
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_lead_moves_items_across_the_board(browse, language):
    text = TEXTS[language]
    now = timezone.now()
    organiser = make_user("organiser")
    lead = staff_user("leitung")
    event = running_event(team=[organiser])
    group, access = services.create_group(
        event, services.GroupData("Tisch 1", "Verwaltung"), moderator_name="Moni", actor=organiser, now=now
    )
    working_group = services.create_working_group("Digitale Verwaltung", leads=[lead], actor=organiser, now=now)
    items = []
    for title in ("Serviceportal", "E-Akte"):
        idea = add_idea(group, title, actor=access.moderator)
        services.sort_into_working_group(idea, working_group, actor=organiser, now=now)
        items.append(services.create_backlog_item(working_group, title, [idea.pk], actor=lead, now=now))
    portal, akte = items

    staff = browse(language)
    log_in(staff, lead, next_path=f"/arbeitsgruppen/{working_group.slug}/backlog/")
    staff.page.locator(f"a[href$='/arbeitsgruppen/{working_group.slug}/backlog/tafel/']").click()
    staff.step("backlog board")

    card = staff.page.locator(f"#board-item-{portal.pk}")
    staff.submit(card.get_by_role("button", name=text["in_progress"]))
    assert text["moved"] in messages(staff)
    expect(staff.page.locator("section[aria-labelledby=column-in_progress]")).to_contain_text("Serviceportal")
    staff.step("moved to in progress")

    card = staff.page.locator(f"#board-item-{akte.pk}")
    card.locator("summary").click()
    staff.submit(card.get_by_role("button", name=text["rejected"]), status=422)
    assert errors(staff)
    card = staff.page.locator(f"#board-item-{akte.pk}")
    expect(card.locator("textarea")).to_be_visible()
    staff.step("a rejection without a reason is refused at the field")
    card.locator("textarea").fill("Schon im Landesportal umgesetzt.")
    staff.submit(card.get_by_role("button", name=text["rejected"]))
    expect(staff.page.locator("section[aria-labelledby=column-rejected]")).to_contain_text("Landesportal")
    staff.step("rejected with a reason")

    # By pointer: drag an item onto another column; the drop posts the item's move. The whole
    # board is on the screen, as for a lead at a desk: a page scrolled in the middle of a drag
    # loses the drop (Chromium), which made this journey fail on a busy machine.
    staff.page.set_viewport_size({"width": 1440, "height": 2000})
    card = staff.page.locator(f"#board-item-{portal.pk}")
    with staff.page.expect_navigation():
        card.drag_to(staff.page.locator("section[aria-labelledby=column-done]"))
    assert text["done"] in messages(staff)
    expect(staff.page.locator("section[aria-labelledby=column-done]")).to_contain_text("Serviceportal")
    staff.step("dragged to done")
    # A drop on "rejected" asks for the reason first and moves nothing yet.
    card = staff.page.locator(f"#board-item-{portal.pk}")
    card.drag_to(staff.page.locator("section[aria-labelledby=column-rejected]"))
    expect(card.locator("details[open] textarea")).to_be_visible()
    expect(card.locator("textarea")).to_be_focused()
    expect(staff.page.locator("section[aria-labelledby=column-done]")).to_contain_text("Serviceportal")
    staff.step("dropped on rejected: the reason is asked")
