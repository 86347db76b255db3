"""Signals of the ideas app, for the layers above (core/hooks.py)."""

from dataclasses import dataclass

from django.dispatch import Signal

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
