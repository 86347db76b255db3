"""Sections that higher layers add to the public event page (the registration form, the
livestream), so that the page lives here without `events` importing the layers above it."""

from collections.abc import Callable

from django.utils.safestring import SafeString

EventSection = Callable[..., SafeString]
_sections: list[EventSection] = []


def add_event_section(render: EventSection) -> None:
    """`render(request, event)` returns the HTML of one section; called in registration order."""
    if render not in _sections:
        _sections.append(render)


def render_event_sections(request, event) -> list[SafeString]:
    return [render(request, event) for render in _sections]
