"""The check-in page for phones at the door: scan, type or search, and see the answer at once."""

from django.conf import settings
from django.contrib import messages
from django.db import OperationalError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import Busy, DomainError
from events.access import Capability, organiser_page
from registrations.checkin import checkout, services, walk_ins
from registrations.checkin.forms import WalkInForm
from registrations.models import Channel, SeatType, Status, people
from registrations.promotion import DOOR_OPENS_BEFORE_START, door_is_open
from registrations.tickets import display_code

# The QR scanner decodes camera frames in a Web Worker that it starts from a blob: URL.
CHECKIN_CSP = {**settings.SECURE_CSP, "worker-src": [CSP.SELF, "blob:"]}
SEARCH_RESULTS = 20


def counts(event) -> dict:
    """People, not tickets: one ticket admits its holder and the companions. Walk-ins are
    confirmed on-site registrations too; the door queue waits on the on-site waiting list.
    `arrived` are those in the room now: people who checked out count as `left` instead."""
    confirmed = Q(status=Status.CONFIRMED)
    arrived = confirmed & Q(checked_in_at__isnull=False)
    left = Q(checked_out_at__isnull=False)
    return event.registrations.filter(seat_type=SeatType.ONSITE).aggregate(
        expected=people(filter=confirmed),
        arrived=people(filter=arrived),
        left=people(filter=left),
        walk_ins=people(filter=confirmed & Q(channel=Channel.DOOR)),
        door_queue=people(filter=Q(status=Status.WAITLISTED, channel=Channel.DOOR)),
    )


def answer(request, event, result):
    context = {"event": event, "result": result, "counts": counts(event)}
    if request.headers.get("HX-Request"):
        return render(request, "registrations/checkin/_result.html", context)
    return render(request, "registrations/checkin/page.html", context)


@csp_override(CHECKIN_CSP)
@organiser_page(Capability.CHECK_IN)
@require_http_methods(["GET", "POST"])
def checkin_page(request, event):
    if request.method == "POST":
        result = services.check_in(event, request.POST.get("ticket", ""), actor=request.user, now=timezone.now())
        return answer(request, event, result)
    return render_page(request, event)


def render_page(request, event, *, walk_in_form: WalkInForm | None = None, status: int = 200):
    now = timezone.now()
    context = {
        "event": event,
        "counts": counts(event),
        "takes_walk_ins": SeatType.ONSITE in event.seat_types,
        "door_open": door_is_open(event, now=now),
        "door_opens_at": event.starts_at - DOOR_OPENS_BEFORE_START,
        "walk_in_form": walk_in_form or WalkInForm(event=event),
        "door_queue": walk_ins.door_queue(event),
        "seated_from_door_queue": walk_ins.seated_from_door_queue(event),
    }
    return render(request, "registrations/checkin/page.html", context, status=status)


@csp_override(CHECKIN_CSP)
@organiser_page(Capability.CHECK_IN)
@require_POST
def walk_in(request, event):
    form = WalkInForm(request.POST, event=event)
    if not form.is_valid():
        return render_page(request, event, walk_in_form=form, status=422)
    try:
        registration = walk_ins.register_walk_in(
            event, form.registration_data(), actor=request.user, now=timezone.now()
        )
    except (Busy, OperationalError):
        form.add_error(None, _("Too many registrations at this moment. Please try again in a few seconds."))
        return render_page(request, event, walk_in_form=form, status=503)
    except DomainError as error:
        form.add_service_error(error)
        return render_page(request, event, walk_in_form=form, status=error.status)
    if registration.status == Status.CONFIRMED:
        messages.success(
            request,
            _("%(name)s has a seat and is checked in (ticket code %(code)s).")
            % {"name": registration.name, "code": display_code(registration.ticket_code)},
        )
    else:
        messages.warning(
            request,
            _("The room is full: %(name)s is number %(position)s in the door queue.")
            % {"name": registration.name, "position": len(walk_ins.door_queue(event))},
        )
    return redirect("checkin:page", event.slug)


@organiser_page(Capability.CHECK_IN)
@require_POST
def checkin_person(request, event, registration_id):
    result = services.check_in_registration(event, registration_id, actor=request.user, now=timezone.now())
    return answer(request, event, result)


@organiser_page(Capability.CHECK_IN)
@require_GET
def search(request, event):
    query = request.GET.get("q", "").strip()
    people = []
    if len(query) >= 2:
        people = (
            event.registrations.filter(Q(name__icontains=query) | Q(email__icontains=query))
            .exclude(status=Status.CANCELLED)
            .prefetch_related("consents")
            .order_by("name")[:SEARCH_RESULTS]
        )
    return render(request, "registrations/checkin/_people.html", {"event": event, "people": people, "query": query})


def guest_lists(event, query: str) -> dict:
    """The door's two lists: who is expected (a confirmed seat on site, not yet arrived) and who
    is in the room (checked in, may be checked out); both narrowed by a part of the name."""
    on_site = event.registrations.filter(seat_type=SeatType.ONSITE, status=Status.CONFIRMED)
    if query:
        on_site = on_site.filter(name__icontains=query)
    on_site = on_site.prefetch_related("consents").order_by("name", "pk")
    return {
        "expected": on_site.filter(checked_in_at__isnull=True),
        "present": on_site.filter(checked_in_at__isnull=False),
    }


@organiser_page(Capability.CHECK_IN)
@require_GET
def guests(request, event):
    query = request.GET.get("q", "").strip()[:100]
    context = {"event": event, "query": query, "counts": counts(event), **guest_lists(event, query)}
    return render(request, "registrations/checkin/guests.html", context)


def back_to_guests(request, event):
    query = request.POST.get("q", "").strip()[:100]
    url = reverse("checkin:guests", args=[event.slug])
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)


@organiser_page(Capability.CHECK_IN)
@require_POST
def guest_check_in(request, event, registration_id):
    result = services.check_in_registration(event, registration_id, actor=request.user, now=timezone.now())
    if result.admitted:
        messages.success(request, _("%(name)s is checked in.") % {"name": result.registration.name})
    else:
        messages.error(request, services.refusal(result).message)
    return back_to_guests(request, event)


@organiser_page(Capability.CHECK_IN)
@require_POST
def check_out(request, event, registration_id):
    try:
        registration = checkout.check_out(event, registration_id, actor=request.user, now=timezone.now())
    except (Busy, OperationalError):
        messages.error(request, _("Too many registrations at this moment. Please try again in a few seconds."))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(name)s is checked out; the seat is free again.",
                "%(name)s and party are checked out; %(people)s seats are free again.",
                registration.seats,
            )
            % {"name": registration.name, "people": registration.seats},
        )
    return back_to_guests(request, event)
