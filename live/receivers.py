"""Where live participation joins the layers below: the live link on a registrant's personal
page, the current question and the running poll on the plenum wall's presentation mode, and data
protection (an expired event or an erased registration unties its participants; questions the
moderation did not let through are erased with the event's data)."""

from django.template.loader import render_to_string
from django.urls import reverse

from events.models import Event
from ideas.signals import WallSection, presentation_section
from live import queries
from live.models import Participant, Question, QuestionState
from live.views.public import POLL_SECONDS
from live.views.public import personal_section as live_section
from registrations.privacy.services import address_erasure_requested, event_data_expired
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


def untie(participants) -> int:
    return participants.update(registration=None, device_hash=None)


def on_event_data_expired(sender, event, now, dry_run=False, **kwargs) -> dict:
    participants = Participant.objects.filter(event=event).exclude(registration__isnull=True, device_hash__isnull=True)
    not_public = Question.objects.filter(event=event).exclude(state=QuestionState.APPROVED)
    if dry_run:
        return {"live_participants": participants.count(), "live_questions_not_public": not_public.count()}
    return {
        "live_participants": untie(participants),
        "live_questions_not_public": not_public.delete()[1].get("live.Question", 0),
    }


def on_address_erasure_requested(sender, address, now, **kwargs) -> dict:
    # Registrations blanks its rows before it asks, so the erased ones are found by their mark.
    erased = Participant.objects.filter(registration__personal_data_erased_at__isnull=False)
    return {"live_participants": untie(erased)}


def connect() -> None:
    presentation_section.connect(wall_section, sender=Event, weak=False, dispatch_uid="live.wall")
    personal_page_section.connect(personal_section, weak=False, dispatch_uid="live.personal_section")
    event_data_expired.connect(on_event_data_expired, weak=False, dispatch_uid="live.privacy.expired")
    address_erasure_requested.connect(on_address_erasure_requested, weak=False, dispatch_uid="live.privacy.erase")
