from django import template

from events.access import organises_any_event

register = template.Library()


@register.filter
def may_create_events(user) -> bool:
    """Whether the "new event" button is for this user (the rule of the page it leads to)."""
    return organises_any_event(user)
