"""The organiser pages of an event.

Every page needs a login (Django admin's) and a role in the event's team that has the page's
capability (the guard of events/access.py); an event outside one's teams answers 404, so that
its existence is not given away, a role without the capability 403. Changes are
POSTs that call `registrations.services` and redirect (POST-redirect-GET) with a message. A
refusal of a service becomes a form error or a message, never a server error; a busy seat pool
becomes "try again" (a re-shown form answers 503 with Retry-After).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.errors import Busy, DomainError
from events.access import Capability, capabilities_of, event_for, events_of_member, member_page
from events.models import Allocation, Event, EventMember, Role, SeatPool, SeatType
from registrations import changes, detail_fields, reconfirmation, services, submissions
from registrations.models import Channel, Registration, Status
from registrations.staff.chart import seat_charts
from registrations.staff.export import csv_response
from registrations.staff.forms import (
    CancelForm,
    KernForm,
    PhoneRegistrationForm,
    RegistrationFilterForm,
    ReleaseReservedForm,
    SwitchSeatForm,
)
from registrations.staff.history import history_of
from registrations.staff.needs_summary import needs_summary

PAGE_SIZE = 50
# Where the dashboard leads each role: the first page its capabilities open.
FIRST_PAGE_OF_ROLE = {
    Role.ORGANISER: "staff:event",
    Role.VIEWER: "staff:event",
    Role.CHECK_IN: "checkin:page",
    Role.MODERATOR: "ideas:organise",
}


def managed_registration(request, slug: str, pk: int, capability: Capability = Capability.MANAGE) -> Registration:
    event = event_for(request.user, slug, capability)
    return get_object_or_404(Registration.objects.select_related("event", "entered_by"), pk=pk, event=event)


def render_with_form(request, template: str, context: dict, form: KernForm | None):
    """A page shown again with a form: refused input answers 422, a busy seat pool 503 with when
    to try again."""
    busy = form is not None and form.busy
    refused = form is not None and form.is_bound and bool(form.errors)
    response = render(request, template, context, status=503 if busy else 422 if refused else 200)
    if busy:
        response["Retry-After"] = str(Busy.retry_after_seconds)
    return response


def report_refusal(request, error: DomainError) -> None:
    if isinstance(error, Busy):
        messages.warning(request, error.message)
    else:
        messages.error(request, error.message)


@member_page
def dashboard(request):
    now = timezone.now()
    roles = EventMember.objects.filter(event=OuterRef("pk"), user=request.user).values("role")[:1]
    events = list(events_of_member(request.user).annotate(member_role=Subquery(roles)).prefetch_related("seat_pools"))
    for event in events:
        role = Role(event.member_role or Role.ORGANISER)  # a city admin in no team acts as organiser
        event.member_role_label = role.label
        event.member_url = reverse(FIRST_PAGE_OF_ROLE[role], args=[event.slug])
    return render(
        request,
        "registrations/staff/dashboard.html",
        {
            "upcoming": [event for event in events if event.ends_at >= now],
            "past": [event for event in reversed(events) if event.ends_at < now],
        },
    )


@member_page
def event_overview(request, slug):
    return render_overview(request, event_for(request.user, slug, Capability.VIEW_COUNTS))


def render_overview(request, event: Event, *, failed_release: ReleaseReservedForm | None = None):
    now = timezone.now()
    pools = list(SeatPool.objects.filter(event=event))
    release_forms = {pool.seat_type: ReleaseReservedForm(pool=pool) for pool in pools if pool.reserved}
    if failed_release is not None:
        release_forms[failed_release.pool.seat_type] = failed_release
    return render_with_form(
        request,
        "registrations/staff/event.html",
        {
            "event": event,
            "section": "overview",
            "pools": pools,
            "release_forms": [release_forms[pool.seat_type] for pool in pools if pool.seat_type in release_forms],
            "charts": seat_charts(event, pools),
            "allocates_at_deadline": event.allocation == Allocation.AT_DEADLINE,
            "deadline_passed": now >= event.registration_closes_at,
            "pending": sum(pool.pending for pool in pools),
            "may_manage": Capability.MANAGE in capabilities_of(request.user, event),
            "needs": needs_summary(event),
            "reconfirmation": reconfirmation.status_of(event),
        },
        failed_release,
    )


@require_POST
@member_page
def release_seats(request, slug, seat_type):
    event = event_for(request.user, slug, Capability.MANAGE)
    pool = get_object_or_404(SeatPool, event=event, seat_type=seat_type)
    form = ReleaseReservedForm(request.POST, pool=pool)
    if form.is_valid():
        count = form.cleaned_data["count"]
        try:
            services.release_reserved(event, seat_type, count, actor=request.user, now=timezone.now())
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s reserved seat released: %(seat)s.", "%(count)s reserved seats released: %(seat)s.", count
                )
                % {"count": count, "seat": pool.get_seat_type_display()},
            )
            return redirect("staff:event", event.slug)
    return render_overview(request, event, failed_release=form)


@require_POST
@member_page
def allocate_seats(request, slug):
    event = event_for(request.user, slug, Capability.MANAGE)
    try:
        outcome = services.allocate(event, actor=request.user, now=timezone.now())
    except DomainError as error:
        report_refusal(request, error)
    else:
        messages.success(request, allocation_summary(outcome))
    return redirect("staff:event", event.slug)


def allocation_summary(outcome: dict[str, dict[str, int]]) -> str:
    if not any(counts["confirmed"] or counts["waitlisted"] for counts in outcome.values()):
        return _("Nobody was waiting for allocation; nothing changed.")
    labels = dict(SeatType.choices)
    parts = [
        _("%(seat)s: %(confirmed)s confirmed, %(waitlisted)s on the waiting list")
        % {"seat": labels.get(seat, seat), **counts}
        for seat, counts in sorted(outcome.items())
    ]
    return _("Seats allocated in order of receipt. %(outcome)s.") % {"outcome": "; ".join(parts)}


@member_page
def registration_list(request, slug):
    event = event_for(request.user, slug, Capability.PERSONAL_DATA)
    filters = RegistrationFilterForm(request.GET, event=event)
    registrations = filters.apply(event.registrations.select_related("entered_by").in_queue_order())
    page = Paginator(with_others_of_the_address(registrations), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registrations/staff/registration_list.html",
        {"event": event, "section": "registrations", "filters": filters, "page": page},
    )


def with_others_of_the_address(registrations: QuerySet) -> QuerySet:
    """Each with `others_with_address`: the other active registrations of the event under the same
    (normalised) address. A household shares one address, but so does one person holding seats
    under varied names; organisers see it and decide (newcomer finding D6)."""
    others = (
        Registration.objects.active()
        .filter(event=OuterRef("event"), email_normalized=OuterRef("email_normalized"))
        .exclude(email_normalized="")
        .exclude(pk=OuterRef("pk"))
        .values("event")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return registrations.annotate(others_with_address=Coalesce(Subquery(others), 0))


@member_page
def export_registrations(request, slug):
    event = event_for(request.user, slug, Capability.PERSONAL_DATA)
    filters = RegistrationFilterForm(request.GET, event=event)
    registrations = filters.apply(Registration.objects.filter(event=event))
    stamp = timezone.localtime(timezone.now()).strftime("%Y-%m-%d-%H%M")
    return csv_response(
        registrations, filename=f"anmeldungen-{event.slug}-{stamp}.csv", questions=list(event.questions.all())
    )


@member_page
def phone_registration(request, slug):
    event = event_for(request.user, slug, Capability.MANAGE)
    terms = event.current_terms()
    now = timezone.now()
    data = request.POST if request.method == "POST" else None
    form = PhoneRegistrationForm(data, event=event, terms=terms, now=now)
    if form.is_valid():
        try:
            registration = services.register(
                event,
                form.registration_data(),
                channel=Channel.PHONE,
                received_at=form.cleaned_data["received_at"],
                now=now,
                actor=request.user,
            )
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(request, registration_outcome(registration))
            return redirect("staff:registration", event.slug, registration.pk)
    return render_with_form(
        request,
        "registrations/staff/phone_form.html",
        {"event": event, "section": "phone", "form": form, "terms": terms},
        form,
    )


def registration_outcome(registration: Registration) -> str:
    if registration.status == Status.WAITLISTED:
        return _("Phone registration of %(name)s saved: on the waiting list at position %(position)s.") % {
            "name": registration.name,
            "position": registration.waitlist_position,
        }
    return _("Phone registration of %(name)s saved: %(status)s.") % {
        "name": registration.name,
        "status": registration.get_status_display(),
    }


@member_page
def registration_detail(request, slug, pk):
    return render_detail(request, managed_registration(request, slug, pk, Capability.PERSONAL_DATA), CancelForm())


def render_detail(
    request, registration: Registration, cancel_form: CancelForm, switch_form: SwitchSeatForm | None = None
):
    target = changes.other_seat_type(registration)
    if target is not None and switch_form is None and changes.can_change(registration, now=timezone.now()):
        ask_consent = submissions.broadcast_consent_asked(registration.event, target)
        switch_form = SwitchSeatForm(ask_broadcast_consent=ask_consent)
    return render_with_form(
        request,
        "registrations/staff/registration_detail.html",
        {
            "event": registration.event,
            "section": "registrations",
            "registration": registration,
            "consents": registration.consents.select_related("recorded_by"),
            "history": history_of(registration),
            "cancel_form": cancel_form,
            "switch_form": switch_form,
            "switch_target": target,
            **detail_fields.shown_details(registration),
        },
        switch_form,
    )


@require_POST
@member_page
def switch_seat_type(request, slug, pk):
    """Move the registration (with its companions) to the other seat type, under the pool lock."""
    registration = managed_registration(request, slug, pk)
    target = changes.other_seat_type(registration)
    if target is None:
        raise Http404
    ask_consent = submissions.broadcast_consent_asked(registration.event, target)
    form = SwitchSeatForm(request.POST, ask_broadcast_consent=ask_consent)
    if form.is_valid():
        try:
            switched = changes.switch_seat_type(
                registration,
                target,
                actor=request.user,
                now=timezone.now(),
                join_waiting_list=form.cleaned_data["join_waiting_list"],
                broadcast_consent=form.cleaned_data.get("broadcast_consent", False),
            )
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("%(name)s now takes part: %(seat)s (%(status)s).")
                % {"name": switched.name, "seat": target.label, "status": switched.get_status_display()},
            )
            return redirect("staff:registration", registration.event.slug, registration.pk)
    response = render_detail(request, registration, CancelForm(), form)
    if not form.busy:
        response.status_code = 409 if form.errors.get("join_waiting_list") else 422
    return response


@require_POST
@member_page
def cancel_registration(request, slug, pk):
    registration = managed_registration(request, slug, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return render_detail(request, registration, form)
    try:
        services.cancel(registration, actor=request.user, now=timezone.now(), reason=form.cleaned_data["reason"])
    except DomainError as error:
        report_refusal(request, error)
    else:
        messages.success(request, _("The registration of %(name)s is cancelled.") % {"name": registration.name})
    return redirect("staff:registration", registration.event.slug, registration.pk)


@require_POST
@member_page
def revoke_links(request, slug, pk):
    """A personal link went astray (a forwarded mail): every link sent so far stops working. The
    service sends no new link, so the message tells the organiser what the citizen now needs."""
    registration = managed_registration(request, slug, pk)
    services.revoke_personal_links(registration, actor=request.user, now=timezone.now())
    messages.success(
        request,
        _(
            "The personal links sent so far to %(name)s no longer work. No new link was sent: the next "
            "e-mail about this registration carries a new one. Until then, changes go through you."
        )
        % {"name": registration.name},
    )
    return redirect("staff:registration", registration.event.slug, registration.pk)
