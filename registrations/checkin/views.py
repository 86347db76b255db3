"""The check-in page for phones at the door: scan, type or search, and see the answer at once."""

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.access import Capability
from registrations.checkin import services
from registrations.models import SeatType, Status
from registrations.organiser_pages import organiser_page

# The QR scanner decodes camera frames in a Web Worker that it starts from a blob: URL.
CHECKIN_CSP = {**settings.SECURE_CSP, "worker-src": [CSP.SELF, "blob:"]}
SEARCH_RESULTS = 20


def counts(event) -> dict:
    """People, not tickets: one ticket admits its holder and the companions."""
    expected = event.registrations.filter(status=Status.CONFIRMED, seat_type=SeatType.ONSITE)
    arrived = Q(checked_in_at__isnull=False)
    figures = expected.aggregate(
        tickets=Count("pk"),
        party_companions=Sum("companions", default=0),
        arrived_tickets=Count("pk", filter=arrived),
        arrived_companions=Sum("companions", filter=arrived, default=0),
    )
    return {
        "expected": figures["tickets"] + figures["party_companions"],
        "arrived": figures["arrived_tickets"] + figures["arrived_companions"],
    }


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
    return render(request, "registrations/checkin/page.html", {"event": event, "counts": counts(event)})


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
