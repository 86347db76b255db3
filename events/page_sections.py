"""Sections that higher layers add to the public event page (the registration form, the
livestream), so that the page lives here without `events` importing the layers above it."""

from collections.abc import Callable

from django.utils.safestring import SafeString

EventSection = Callable[..., SafeString]
# Where on the page: "registration" under "How to register", "livestream" in the stream's place.
_sections: dict[str, list[EventSection]] = {}


def add_event_section(render: EventSection, *, place: str = "registration") -> None:
    """`render(request, event)` returns the HTML of one section; called in registration order."""
    sections = _sections.setdefault(place, [])
    if render not in sections:
        sections.append(render)


def render_event_sections(request, event, *, place: str = "registration") -> list[SafeString]:
    return [render(request, event) for render in _sections.get(place, [])]
