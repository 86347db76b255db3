"""Signals by which the ideas app asks the layers above for what they add to its pages."""

from django.dispatch import Signal

# Asked by a working group's public page (`core.hooks.answers`) with `request` and `working_group`
# for sections the layers above add under the description (processes: join, follow, the members
# for the leads); a receiver returns HTML, or None.
working_group_page_section = Signal()
