"""Signals by which the ideas app asks the layers above for what they add to its pages
(core/hooks.py)."""

from dataclasses import dataclass

from django.dispatch import Signal

# Asked by a working group's public page (`core.hooks.answers`) with `request` and `working_group`
# for sections the layers above add under the description (processes: join, follow, the members
# for the leads); a receiver returns HTML, or None.
working_group_page_section = Signal()

# Asked by an idea's public page (`core.hooks.answers`) with `request` and `idea` (approved) for
# the further steps of its trace that the layers above know (processes: the sections of published
# results that account for its backlog item); a receiver returns HTML list items (`<li>`) that
# continue the page's ordered list of steps, or None.
idea_page_section = Signal()

# Sent by the plenum wall's presentation mode with `request` and `event`. A receiver answers a
# `WallSection` or None. A section that keeps the ideas current itself (`refreshes_ideas`)
# replaces the wall's own refresh of its ideas.
presentation_section = Signal()


@dataclass(frozen=True)
class WallSection:
    html: str
    script: str = ""  # a static path, loaded after the wall's own script
    stylesheet: str = ""  # a static path
    refreshes_ideas: bool = False
