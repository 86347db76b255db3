"""Organiser pages of the layers above, linked from the staff pages without importing them:
an app adds its pages in `ready()`, the staff templates list them (templatetags/staff_tabs.py)."""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Tab:
    section: str
    url_name: str
    label: Promise


_event_tabs: list[Tab] = []
_staff_links: list[Tab] = []


def add_event_tab(section: str, url_name: str, label: Promise) -> None:
    """A page of one event (`url_name` takes the event's slug), shown among the event's tabs."""
    if not any(tab.url_name == url_name for tab in _event_tabs):
        _event_tabs.append(Tab(section, url_name, label))


def add_staff_link(section: str, url_name: str, label: Promise) -> None:
    """A page across events (no arguments), shown in the organisers' navigation."""
    if not any(tab.url_name == url_name for tab in _staff_links):
        _staff_links.append(Tab(section, url_name, label))


def event_tabs() -> list[Tab]:
    return list(_event_tabs)


def staff_links() -> list[Tab]:
    return list(_staff_links)
