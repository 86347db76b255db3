"""Where live participation joins the layers below: questions through the event's live channel,
the live link on a registrant's personal page, the current question and the running poll on the
plenum wall's presentation mode, and data protection (`live.privacy`)."""

from django.template.loader import render_to_string
from django.urls import reverse

from events.models import Event
from ideas.signals import WallSection, live_channel_kind, presentation_section
from live import privacy, queries
from live.views.channel import question_kind
from live.views.public import POLL_SECONDS
from live.views.public import personal_section as live_section
from registrations.signals import personal_page_section


def wall_section(sender, request, event: Event, **kwargs) -> WallSection:
    poll = queries.running_poll(event)
    context = {
        "event": event,
        "question": queries.current_question(event),
        "poll": poll,
        "results": queries.results(poll) if poll else None,
        "state_url": reverse("live:state", args=[event.slug]),
        "poll_seconds": POLL_SECONDS,
    }
    html = render_to_string("live/_wall_section.html", context, request=request)
    return WallSection(html, script="live/live.js", stylesheet="live/live.css", refreshes_ideas=True)


def personal_section(sender, request, registration, now, kind, **kwargs):
    return live_section(request, registration, now=now) if kind == "other" else None


def connect() -> None:
    privacy.connect()
    presentation_section.connect(wall_section, sender=Event, weak=False, dispatch_uid="live.wall")
    live_channel_kind.connect(question_kind, sender=Event, weak=False, dispatch_uid="live.channel_question")
    personal_page_section.connect(personal_section, weak=False, dispatch_uid="live.personal_section")
