"""The organisers' Zoom and livestream pages: each event's sync state and last error, the
meeting's access data, starting the meeting as host, and the livestream's status.

Organisers only (the guard of events/access.py, capability `manage`); an event outside one's
teams answers 404, so its existence is not given away."""

from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core.forms import KernForm
from events.access import Capability, events_where, member_page, organiser_page
from events.models import Format
from streaming import services
from streaming.livestream import stream_of
from streaming.models import Livestream, StreamStatus, SyncState, ZoomMeeting
from streaming.zoom.client import ZoomError, api_configured

UNFINISHED_REGISTRANTS_SHOWN = 100


class LivestreamForm(KernForm):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=StreamStatus.choices)
    replay_url = forms.URLField(label=gettext_lazy("Replay URL"), required=False, max_length=500, assume_scheme="https")


@member_page
def overview(request):
    events = (
        events_where(request.user, Capability.MANAGE)
        .filter(Q(format__in=[Format.ONLINE, Format.HYBRID]) | Q(zoom_meeting__isnull=False))
        .filter(ends_at__gte=timezone.now())
        .select_related("zoom_meeting")
        .annotate(
            registrants_synced=Count("zoom_meeting__registrants", filter=Q(zoom_meeting__registrants__state="synced")),
            registrants_pending=Count(
                "zoom_meeting__registrants", filter=Q(zoom_meeting__registrants__state="pending")
            ),
            registrants_failed=Count("zoom_meeting__registrants", filter=Q(zoom_meeting__registrants__state="failed")),
        )
        .order_by("starts_at", "pk")
        .distinct()
    )
    return render(request, "streaming/organiser/overview.html", {"events": events, "api_mode": api_configured()})


@organiser_page(Capability.MANAGE)
def event_page(request, event):
    return render_event_page(request, event)


def render_event_page(request, event, *, livestream_form: "LivestreamForm | None" = None):
    """The event's Zoom and livestream page; with a refused livestream form, shown again with the
    entries kept and the messages at the fields (422)."""
    meeting = ZoomMeeting.objects.filter(event=event).first()
    livestream = Livestream.objects.filter(event=event).first()
    context = {
        "event": event,
        "meeting": meeting,
        "api_mode": api_configured(),
        "stream": stream_of(event),
        "livestream_form": livestream_form
        or LivestreamForm(
            initial={
                "status": livestream.status if livestream else StreamStatus.PLANNED,
                "replay_url": livestream.replay_url if livestream else "",
            }
        ),
        "interpreters": event.interpreters.all(),
    }
    if meeting is not None:
        registrants = meeting.registrants.select_related("registration")
        context["counts"] = {state: registrants.filter(state=state).count() for state in SyncState.values}
        context["unfinished"] = registrants.exclude(state=SyncState.SYNCED).order_by("state", "pk")[
            :UNFINISHED_REGISTRANTS_SHOWN
        ]
        context["attendance"] = meeting.attendance.select_related("registration")
    return render(request, "streaming/organiser/event.html", context, status=422 if livestream_form else 200)


@organiser_page(Capability.MANAGE)
@require_POST
def sync_now(request, event):
    services.sync_zoom_now(event, actor=request.user, now=timezone.now())
    messages.success(request, _("The Zoom data of this event is being sent again."))
    return redirect("streaming:organiser_event", slug=event.slug)


@organiser_page(Capability.MANAGE)
@require_GET
def start_as_host(request, event):
    """Fetch a fresh host link and go there at once; the link is shown to nobody and kept nowhere.

    A link opened in a new tab, not a form: the CSP's `form-action 'self'` forbids a form to
    end at Zoom's origin, so a form here did nothing in a browser (findings D3)."""
    try:
        start_url = services.start_meeting_as_host(event, actor=request.user, now=timezone.now())
    except ZoomMeeting.DoesNotExist:
        messages.error(request, _("This event has no Zoom meeting yet."))
    except ZoomError as error:
        messages.error(request, _("Zoom did not give a host link: %(error)s") % {"error": error})
    else:
        return redirect(start_url)
    return redirect("streaming:organiser_event", slug=event.slug)


@organiser_page(Capability.MANAGE)
@require_POST
def update_livestream(request, event):
    form = LivestreamForm(request.POST)
    if not form.is_valid():
        return render_event_page(request, event, livestream_form=form)
    services.set_livestream(
        event,
        status=form.cleaned_data["status"],
        replay_url=form.cleaned_data["replay_url"],
        actor=request.user,
        now=timezone.now(),
    )
    messages.success(request, _("The livestream is updated."))
    return redirect("streaming:organiser_event", slug=event.slug)
