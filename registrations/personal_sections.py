"""Sections that higher layers add to a registrant's personal page, so that the page lives here
without `registrations` importing the layers above it (as `events.page_sections` does for the
event page). Streaming adds the Zoom access data it holds (the meeting's ID and passcode, the
personal join link); where such a section is shown, the page leaves out the access data the
organisers entered by hand, which would only repeat the join link without the rest. Ideas adds
the link to the plenum's dot voting as a section of its own kind, which replaces nothing."""

from collections.abc import Callable

from django.utils.safestring import SafeString

from registrations.models import Registration

# `render(request, registration, now=now)` returns the HTML of one section, or "" for none.
PersonalSection = Callable[..., SafeString | str]
_access_sections: list[PersonalSection] = []
_other_sections: list[PersonalSection] = []


def add_access_section(render: PersonalSection) -> None:
    if render not in _access_sections:
        _access_sections.append(render)


def render_access_sections(request, registration: Registration, *, now) -> list[SafeString]:
    return [html for render in _access_sections if (html := render(request, registration, now=now))]


def add_section(render: PersonalSection) -> None:
    """A section that is not access data (it never stands in for the organisers' access data)."""
    if render not in _other_sections:
        _other_sections.append(render)


def render_sections(request, registration: Registration, *, now) -> list[SafeString]:
    return [html for render in _other_sections if (html := render(request, registration, now=now))]
