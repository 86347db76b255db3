from django import template
from django.urls import reverse

from events.access import capabilities_of
from registrations.staff import tabs

register = template.Library()


@register.simple_tag(takes_context=True)
def event_tabs(context, event) -> list[tuple[str, str, str]]:
    """(section, address, label) of the event's pages that the user's role may open, in the
    order the apps add them."""
    user = context["request"].user
    return [
        (tab.section, reverse(tab.url_name, args=[event.slug]) + (f"#{tab.anchor}" if tab.anchor else ""), tab.label)
        for tab in tabs.event_tabs(user, event)
    ]


@register.simple_tag(takes_context=True)
def staff_links(context) -> list[tuple[str, str, str]]:
    """(section, address, label) of the pages across events that the user may open."""
    user = context["request"].user
    return [(tab.section, reverse(tab.url_name), tab.label) for tab in tabs.staff_links(user)]


@register.simple_tag(takes_context=True)
def event_capabilities(context, event) -> set[str]:
    """What the user's role lets them do at the event, so that a menu offers only what opens."""
    return {str(capability) for capability in capabilities_of(context["request"].user, event)}
