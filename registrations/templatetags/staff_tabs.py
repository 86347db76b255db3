from django import template
from django.urls import reverse

from registrations.staff import tabs

register = template.Library()


@register.simple_tag
def event_tabs(event) -> list[tuple[str, str, str]]:
    """(section, address, label) of the pages the layers above add to an event."""
    return [(tab.section, reverse(tab.url_name, args=[event.slug]), tab.label) for tab in tabs.event_tabs()]


@register.simple_tag
def staff_links() -> list[tuple[str, str, str]]:
    return [(tab.section, reverse(tab.url_name), tab.label) for tab in tabs.staff_links()]
