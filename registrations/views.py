"""Public pages of registering: the form on the event page, and the personal manage page."""

from django.contrib import messages
from django.db import OperationalError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from events.errors import Busy, DomainError
from events.models import Event, EventStatus
from events.ratelimit import RateLimited, check_request_rate
from registrations import reconfirmation, services
from registrations.forms import CancelForm, RegistrationForm
from registrations.links import (
    CONSENT_SALT,
    MANAGE_SALT,
    RECONFIRM_SALT,
    manage_path,
    manage_token,
    reconfirm_url,
    registration_for_token,
)
from registrations.mail import notices
from registrations.models import Channel, ConsentKind, SeatType, Status
from registrations.personal_sections import render_access_sections
from registrations.tickets import display_code, qr_svg


def registration_is_open(event: Event, now) -> bool:
    return event.status == EventStatus.PUBLISHED and event.registration_opens_at <= now <= event.registration_closes_at


def registration_section(request, event: Event):
    """The registration form as a section of the public event page."""
    now = timezone.now()
    context = {"event": event, "open": registration_is_open(event, now), "now": now}
    if context["open"]:
        context["form"] = RegistrationForm(event=event, language=translation.get_language())
    return render_to_string("registrations/_register_section.html", context, request=request)


@require_POST
def register(request, slug):
    event = get_object_or_404(Event.objects.public().with_public_details(), slug=slug)
    try:
        check_request_rate("register", request)
    except RateLimited as limited:
        response = render(request, "registrations/busy.html", {"event": event, "rate_limited": True}, status=429)
        response["Retry-After"] = str(limited.retry_after_seconds)
        return response
    form = RegistrationForm(request.POST, event=event, language=translation.get_language())
    status = 200
    if form.is_valid():
        now = timezone.now()
        try:
            registration = services.register(
                event, form.registration_data(), channel=Channel.WEB, received_at=now, now=now
            )
        except services.AlreadyRegistered:
            form.add_error(
                "email",
                _(
                    "This address is already registered for this event. Your confirmation e-mail contains "
                    "the link to your registration."
                ),
            )
            status = 409
        except (Busy, OperationalError):
            return busy_page(request, event)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            status = error.status
        else:
            messages.success(request, _("Thank you, we have received your registration."))
            return redirect(manage_path(registration))
    else:
        status = 422
    return render(request, "registrations/register.html", {"event": event, "form": form}, status=status)


def busy_page(request, event):
    response = render(request, "registrations/busy.html", {"event": event}, status=503)
    response["Retry-After"] = str(Busy.retry_after_seconds)
    return response


def personal_page(view=None, *, salt=MANAGE_SALT):
    """Pages behind a signed link: never cached, never indexed, a clear page for a bad link."""
    if view is None:
        return lambda view: personal_page(view, salt=salt)

    def wrapped(request, token, *args, **kwargs):
        registration = registration_for_token(token, salt=salt, now=timezone.now())
        if registration is None:
            response = render(request, "registrations/invalid_link.html", status=404)
        else:
            response = view(request, registration, token, *args, **kwargs)
        return kept_private(response)

    wrapped.__name__ = view.__name__
    return wrapped


def kept_private(response):
    """A page behind a signed link: the key must not end up in caches, search engines or referrers."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@personal_page
def manage(request, registration, token):
    context = {
        "registration": registration,
        "event": registration.event,
        "consents": registration.consents.all(),
        "token": token,
        "can_cancel": registration.status != Status.CANCELLED and registration.event.ends_at > timezone.now(),
    }
    event = registration.event
    if registration.status == Status.CONFIRMED and registration.seat_type == SeatType.ONSITE:
        # Our own SVG markup, from a random secret: nothing in it comes from the user.
        context["ticket_svg"] = mark_safe(qr_svg(registration.ticket_secret))  # noqa: S308
        context["ticket_code"] = display_code(registration.ticket_code)
    now = timezone.now()
    if reconfirmation.awaits_answer(registration, now=now):
        context["reconfirm_url"] = reconfirm_url(registration)
    context["access_sections"] = render_access_sections(request, registration, now=now)
    if not context["access_sections"] and notices.access_data_may_go(registration, event, now=now):
        context["access"] = notices.access_data_for(registration)
    return render(request, "registrations/manage.html", context)


@personal_page
@require_http_methods(["GET", "POST"])
def cancel(request, registration, token):
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel(registration, actor=None, now=timezone.now(), reason="self-service")
        except (Busy, OperationalError):
            return busy_page(request, registration.event)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect("registrations:manage", token)
    return render(request, "registrations/cancel.html", {"registration": registration, "form": form, "token": token})


@personal_page(salt=CONSENT_SALT)
@require_http_methods(["GET", "POST"])
def consent(request, registration, token):
    """The link in every confirmation: see what you agreed to, and withdraw the broadcast consent.
    Withdrawing the general terms means not taking part, so that leads to cancelling."""
    consents = list(registration.consents.all())
    if request.method == "POST":
        broadcast = next((c for c in consents if c.kind == ConsentKind.BROADCAST and c.withdrawn_at is None), None)
        if broadcast is not None:
            services.withdraw_consent(broadcast, now=timezone.now())
            messages.success(request, _("You have withdrawn your consent to appear in the broadcast."))
        return redirect("registrations:consent", token)
    context = {
        "registration": registration,
        "event": registration.event,
        "consents": consents,
        "can_withdraw_broadcast": any(c.kind == ConsentKind.BROADCAST and c.withdrawn_at is None for c in consents),
        "cancel_token": manage_token(registration),
        "can_cancel": registration.status != Status.CANCELLED,
    }
    return render(request, "registrations/consent.html", context)


@personal_page(salt=RECONFIRM_SALT)
@require_http_methods(["GET", "POST"])
def reconfirm(request, registration, token):
    """The link in the request to reconfirm and in a seat offer. Opening it changes nothing (mail
    scanners open links); one button confirms or accepts, the other gives the seat back."""
    now = timezone.now()
    if request.method == "POST":
        answer = request.POST.get("answer")
        try:
            if answer == "confirm":
                reconfirmation.reconfirm(registration, now=now)
                messages.success(request, _("Thank you, your seat is confirmed."))
            elif answer == "decline":
                reconfirmation.decline(registration, now=now)
                messages.success(request, _("Thank you for letting us know. The seat goes to the next person."))
        except (Busy, OperationalError):
            return busy_page(request, registration.event)
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("registrations:reconfirm", token)
    context = {
        "registration": registration,
        "event": registration.event,
        "awaits_answer": reconfirmation.awaits_answer(registration, now=now),
        "manage_token": manage_token(registration),
    }
    return render(request, "registrations/reconfirm.html", context)
