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
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core.errors import Busy, DomainError
from events.access import Capability, capabilities_of, events_of_member, member_page, organiser_page
from events.models import Allocation, Event, EventMember, Role, SeatPool, SeatType
from registrations import address_change, changes, detail_fields, reconfirmation, services, submissions
from registrations.models import Channel, Registration, Status
from registrations.staff.attention import needs_attention
from registrations.staff.chart import seat_charts
from registrations.staff.export import csv_response
from registrations.staff.forms import (
    CancelForm,
    KernForm,
    PhoneRegistrationForm,
    RegistrationEditForm,
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


def managed_registration(event: Event, pk: int) -> Registration:
    return get_object_or_404(Registration.objects.select_related("event", "entered_by"), pk=pk, event=event)


def render_with_form(request, template: str, context: dict, *forms: KernForm | None):
    """A page shown again with its forms: 422 when a submitted one has errors (the entries kept,
    the messages at the fields), 503 with the time to try again when the seat pool was busy."""
    submitted = [form for form in forms if form is not None and form.is_bound]
    busy = any(getattr(form, "busy", False) for form in submitted)
    invalid = any(form.errors for form in submitted)
    response = render(request, template, context, status=503 if busy else 422 if invalid else 200)
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
            "attention": needs_attention(request.user, events, now=now),
        },
    )


@organiser_page(Capability.VIEW_COUNTS)
def event_overview(request, event):
    return render_overview(request, event)


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
@organiser_page(Capability.MANAGE)
def release_seats(request, event, seat_type):
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
@organiser_page(Capability.MANAGE)
def allocate_seats(request, event):
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


# The orders of the registration list (`?sort=`, the table's sortable columns): of receipt first.
REGISTRATION_LIST_ORDERS = {
    "received": ("received_at", "pk"),
    "-received": ("-received_at", "-pk"),
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
}


@organiser_page(Capability.PERSONAL_DATA)
def registration_list(request, event):
    filters = RegistrationFilterForm(request.GET, event=event)
    order = request.GET.get("sort", "")
    if order not in REGISTRATION_LIST_ORDERS:
        order = "received"
    registrations = filters.apply(
        event.registrations.select_related("entered_by").order_by(*REGISTRATION_LIST_ORDERS[order])
    )
    page = Paginator(with_others_of_the_address(registrations), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registrations/staff/registration_list.html",
        {"event": event, "section": "registrations", "filters": filters, "page": page, "order": order},
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


@organiser_page(Capability.PERSONAL_DATA)
def export_registrations(request, event):
    filters = RegistrationFilterForm(request.GET, event=event)
    registrations = filters.apply(Registration.objects.filter(event=event))
    stamp = timezone.localtime(timezone.now()).strftime("%Y-%m-%d-%H%M")
    return csv_response(
        registrations, filename=f"anmeldungen-{event.slug}-{stamp}.csv", questions=list(event.questions.all())
    )


@organiser_page(Capability.MANAGE)
def phone_registration(request, event):
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


@organiser_page(Capability.PERSONAL_DATA)
def registration_detail(request, event, pk):
    return render_detail(request, managed_registration(event, pk), CancelForm())


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
            "may_manage": Capability.MANAGE in capabilities_of(request.user, registration.event),
            "pending_email_change": address_change.pending_change(registration),
            **detail_fields.shown_details(registration),
        },
        switch_form,
        cancel_form,
    )


@require_POST
@organiser_page(Capability.MANAGE)
def switch_seat_type(request, event, pk):
    """Move the registration (with its companions) to the other seat type, under the pool lock."""
    registration = managed_registration(event, pk)
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
@organiser_page(Capability.MANAGE)
def cancel_registration(request, event, pk):
    registration = managed_registration(event, pk)
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
@organiser_page(Capability.MANAGE)
def revoke_links(request, event, pk):
    """A personal link went astray (a forwarded mail): every link sent so far stops working. The
    service sends no new link, so the message tells the organiser what the citizen now needs."""
    registration = managed_registration(event, pk)
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


EDIT_OUTCOMES = {
    "details": gettext_lazy("Name, language, needs or companions saved."),
    "answers": gettext_lazy("Answers and needs saved."),
    "email": gettext_lazy(
        "The new e-mail address gets a mail with a link to confirm it. It takes effect once confirmed; "
        "until then mails go to the current address."
    ),
}


@organiser_page(Capability.MANAGE)
def edit_registration(request, event, pk):
    """Name, e-mail, language, needs, companions and answers, in one form, saved all or nothing."""
    registration = managed_registration(event, pk)
    now = timezone.now()
    if not changes.can_change(registration, now=now):
        messages.error(request, _("This registration can no longer be changed."))
        return redirect("staff:registration", registration.event.slug, registration.pk)
    form = RegistrationEditForm(request.POST if request.method == "POST" else None, registration=registration)
    if form.is_valid():
        try:
            registration, changed = changes.edit_registration(registration, form.edit(), actor=request.user, now=now)
        except DomainError as error:
            form.add_service_error(error)
        else:
            if changed:
                for part in changed:
                    messages.success(request, str(EDIT_OUTCOMES[part]))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("staff:registration", registration.event.slug, registration.pk)
    response = render_with_form(
        request,
        "registrations/staff/registration_edit.html",
        {
            "event": registration.event,
            "section": "registrations",
            "registration": registration,
            "form": form,
            "pending_email_change": address_change.pending_change(registration),
        },
        form,
    )
    if form.errors and not form.busy:
        response.status_code = 409 if form.errors.get("join_waiting_list") else 422
    return response


@require_POST
@organiser_page(Capability.MANAGE)
def resend_confirmation(request, event, pk):
    """The mail of the registration's place once more, with the personal link (the first was lost)."""
    registration = managed_registration(event, pk)
    try:
        services.resend_confirmation(registration, actor=request.user, now=timezone.now())
    except DomainError as error:
        report_refusal(request, error)
    else:
        messages.success(
            request,
            _("The mail about the registration, with the personal link, goes to %(address)s once more.")
            % {"address": registration.email},
        )
    return redirect("staff:registration", registration.event.slug, registration.pk)
