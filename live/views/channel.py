"""Questions to the panel through the event's live channel (/mit/<code>/, ideas/views/live.py).

The channel's page belongs to the ideas app, which may not import this layer; it asks the layers
above for further kinds of contribution (`ideas.signals.live_channel_kind`), and this module
answers with the question. The page guards every kind alike (rate limits, device budget,
honeypot, fill time) and then calls `send_question`; the rules of a question are
`live.services.ask_question`'s."""

from datetime import datetime

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from events.models import Event
from ideas.services.live import LiveDraft
from ideas.signals import ChannelKind
from live import services
from live.models import QuestionState
from live.views.public import QUESTION_KIND, Visitor


def question_kind(sender, request, event: Event, **kwargs) -> ChannelKind:
    return ChannelKind(
        value=QUESTION_KIND,
        label=_("Question to the panel"),
        hint=_("A question: at most %(max)s characters.") % {"max": services.QUESTION_MAX},
        missing=_("Please write your question."),
        send=send_question,
        section_html=render_to_string("live/_channel_section.html", {"event": event}, request=request),
    )


def send_question(request, event: Event, draft: LiveDraft, *, client_id: str | None, now: datetime) -> str:
    """Store the question as the participant of this browser (its registration link or device)."""
    participant = Visitor(request, event).for_change()
    question = services.ask_question(event, draft, participant=participant, client_id=client_id, now=now)
    if question.state == QuestionState.APPROVED:
        return _("Thank you! Your question is on the list.")
    return _("Thank you! Your question will appear on the list once the moderators have approved it.")
