"""Organiser pages of the layers above, linked from the staff pages without importing them: an
app answers the `staff_pages` signal (connected in `ready()`), the staff templates list the pages
(templatetags/staff_tabs.py)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from core.hooks import answers
from events.access import Capability, capabilities_of
from registrations.signals import staff_pages


@dataclass(frozen=True)
class Tab:
    section: str
    url_name: str
    label: Promise
    # True: a page of one event (`url_name` takes the event's slug), shown among the event's tabs;
    # False: a page across events (no arguments), shown in the organisers' navigation.
    per_event: bool = True
    # An event's tab is shown only to those whose role has the capability its page asks for
    # (docs/roles.md): check-in staff see the door, moderators the groups and ideas.
    capability: Capability = Capability.MANAGE
    # A part of the page (`#…`), where one page holds several areas (Zoom and the livestream).
    anchor: str = ""
    # A page across events that not every staff member may open: who sees its link (None: all).
    visible_to: Callable[[object], bool] | None = None


def _tabs() -> list[Tab]:
    found = {}
    for tabs in answers(staff_pages, None):
        for tab in tabs:
            found.setdefault((tab.url_name, tab.anchor), tab)
    return list(found.values())


def event_tabs(user, event) -> list[Tab]:
    capabilities = capabilities_of(user, event)
    return [tab for tab in _tabs() if tab.per_event and tab.capability in capabilities]


def staff_links(user) -> list[Tab]:
    return [tab for tab in _tabs() if not tab.per_event and (tab.visible_to is None or tab.visible_to(user))]
