"""Changes to an event that every registrant must hear about: access data and reminder times,
cancelling, postponing and moving. The rules live in `events.services`; the registrants are told
by `registrations.event_changes` in the same transaction."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.errors import DomainError, ValidationFailed
from events import services as event_services
from events.access import Capability, organiser_page
from events.models import EventStatus
from registrations.outbox.forms import AccessDataForm, AnnouncementForm, MoveEventForm

ACCESS_FIELDS = [
    "online_join_url",
    "online_meeting_id",
    "online_passcode",
    "access_data_hours_before",
    "reminder_hours_before",
]


def show_errors(form, error: DomainError) -> None:
    errors = error.errors if isinstance(error, ValidationFailed) else {error.field: [error]}
    for field, problems in errors.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem.message)


@organiser_page(Capability.MANAGE)
@require_http_methods(["GET", "POST"])
def access_data(request, event):
    initial = {name: getattr(event, name) for name in ACCESS_FIELDS}
    form = AccessDataForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ACCESS_FIELDS}
        fields.update({name: fields[name] or "" for name in ACCESS_FIELDS[:3]})
        try:
            event_services.update_event(event, fields, actor=request.user, now=timezone.now())
        except DomainError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Saved. Confirmed online participants get the access data at the time chosen."))
            return redirect("outbox:access_data", event.slug)
    return render(
        request,
        "registrations/outbox/access_data.html",
        {"event": event, "form": form},
        status=422 if form.errors else 200,
    )


@dataclass(frozen=True)
class EventChange:
    form_class: type
    service: Callable
    title: str
    explanation: str
    done_message: str


def new_date_initial(event) -> dict:
    minute = "%Y-%m-%dT%H:%M"
    return {
        "starts_at": timezone.localtime(event.starts_at).strftime(minute),
        "ends_at": timezone.localtime(event.ends_at).strftime(minute),
    }


EVENT_CHANGES = {
    "cancel": EventChange(
        AnnouncementForm,
        event_services.cancel_event,
        gettext_lazy("Cancel the event"),
        gettext_lazy(
            "Every registrant is told by e-mail, with a calendar cancellation. People without an e-mail "
            "address appear on the call list."
        ),
        gettext_lazy("The event is cancelled; every registrant is being told."),
    ),
    "postpone": EventChange(
        AnnouncementForm,
        event_services.postpone_event,
        gettext_lazy("Postpone the event, new date still open"),
        gettext_lazy(
            "For when the event cannot take place on its date and the new date is not known yet. "
            "Registrations stay. Everyone is told that the event is postponed; once you know the new "
            "date, set it under “New date”, and they get it with a new calendar entry."
        ),
        gettext_lazy("The event is postponed; every registrant is being told."),
    ),
    "move": EventChange(
        MoveEventForm,
        event_services.move_event,
        gettext_lazy("Give the event a new date"),
        gettext_lazy(
            "For when the new date is known (also after postponing). Registrations carry over in "
            "their original order. Everyone gets the new date, a fresh calendar entry and a link to cancel."
        ),
        gettext_lazy("The event has a new date; every registrant is being told."),
    ),
}


# A cancelled event is over for its registrants: it is not moved, postponed or cancelled again (the
# services refuse too); the pages say so instead of offering a form that can only fail.
CANCELLED_EVENT_REFUSAL = gettext_lazy(
    "This event is cancelled. A cancelled event cannot be given a new date, postponed or cancelled again."
)


@organiser_page(Capability.MANAGE)
@require_http_methods(["GET", "POST"])
def change_event(request, event, change: str):
    """The page of one event-wide change: what it does, how many are told, one confirmation."""
    spec = EVENT_CHANGES[change]
    if event.status == EventStatus.CANCELLED:
        return render(
            request,
            "registrations/outbox/announce.html",
            {"event": event, "title": spec.title, "refused": CANCELLED_EVENT_REFUSAL},
            status=409 if request.method == "POST" else 200,
        )
    initial = new_date_initial(event) if change == "move" else {}
    form = spec.form_class(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("confirm")
        try:
            spec.service(event, actor=request.user, now=timezone.now(), **data)
        except DomainError as error:
            show_errors(form, error)
        else:
            messages.success(request, spec.done_message)
            return redirect("outbox:list", event.slug)
    active = event.registrations.active()
    context = {
        "event": event,
        "form": form,
        "title": spec.title,
        "explanation": spec.explanation,
        "registrants": active.count(),
        "without_email": active.filter(email="").count(),
    }
    return render(request, "registrations/outbox/announce.html", context, status=422 if form.errors else 200)
