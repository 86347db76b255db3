"""Signals by which the ideas app asks the layers above for what they add to its pages
(core/hooks.py)."""

from collections.abc import Callable
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


# Asked by the live channel's page (/mit/<code>/, ideas/views/live.py) with `request` and `event`
# for the other kinds of contribution the layers above take through the channel (live: a question
# to the panel). A receiver answers a `ChannelKind`, or None. The page offers them beside the idea,
# and guards every kind alike (rate limits, device budget, honeypot, fill time) before it sends.
live_channel_kind = Signal()


@dataclass(frozen=True)
class ChannelKind:
    value: str  # the choice's value in the form, e.g. "question"
    label: str  # the choice as the sender reads it, e.g. "Question to the panel"
    hint: str  # what the text may hold, added to the text field's help ("A question: at most 300 characters.")
    missing: str  # the message for an empty text ("Please write your question.")
    # send(request, event, draft, *, client_id, now) -> the thanks shown after sending. It stores
    # the `ideas.services.live.LiveDraft` all or nothing, raising a DomainError (at its field) when
    # it refuses; `request` names the sender for the layer above (its device or registration).
    send: Callable[..., str]
    # Shown under the form while this kind is offered (e.g. where to vote for the questions).
    section_html: str = ""
