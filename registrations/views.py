"""Public pages of registering: the form on the event page, and the personal manage page."""

from django.contrib import messages
from django.db import OperationalError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core import hooks
from core.addresses import normalize_email
from core.errors import Busy, DomainError
from core.fragments import FragmentCache, form_fingerprint, with_csrf_token
from core.private_pages import kept_private
from core.ratelimit import RateLimited, check_rate, check_request_rate
from events.models import Event, EventStatus
from registrations import (
    address_change,
    answers,
    changes,
    consents,
    detail_fields,
    early_access,
    reconfirmation,
    services,
    submissions,
)
from registrations.forms import (
    AnswersForm,
    CancelForm,
    DetailsForm,
    EmailChangeForm,
    LostLinksForm,
    RegistrationForm,
    SwitchForm,
)
from registrations.links import (
    CONSENT_SALT,
    MANAGE_SALT,
    RECONFIRM_SALT,
    reconfirm_url,
    registration_for_token,
)
from registrations.lost_links import send_lost_links
from registrations.mail import notices
from registrations.mail.access_data import access_data_for
from registrations.models import Channel, ConsentKind, Registration, SeatType, Status
from registrations.signals import personal_page_section
from registrations.tickets import display_code, qr_svg

PLAIN_PARAMETER = "einfach"


REGISTRATION_FORMS = FragmentCache()


def registration_section(request, event: Event):
    """The registration form as a section of the public event page; `?einfach=1` shows its texts
    in plain language."""
    now = timezone.now()
    # A draft's page is seen only by its team, as a preview (events/views.py): it shows the form
    # the public will get, which cannot be sent.
    preview = event.status == EventStatus.DRAFT
    # The personal link of an invitation with a head start (registrations/early_access.py): asked
    # only before registration opens to all, when it can matter.
    token = request.GET.get(early_access.LINK_PARAMETER, "")
    head_start = None
    if token and not preview and now < event.registration_opens_at:
        head_start = early_access.head_start_of_link(event, token)
    context = {
        "event": event,
        "open": preview or submissions.registration_is_open(event, now, head_start),
        "now": now,
        "preview": preview,
        "head_start": head_start,
    }
    if not context["open"]:
        return render_to_string("registrations/_register_section.html", context, request=request)
    plain = request.GET.get(PLAIN_PARAMETER) == "1"
    language = translation.get_language()
    initial = {"early_access": token} if head_start else None
    form = context["form"] = RegistrationForm(initial=initial, event=event, language=language, plain=plain)
    if preview or head_start:
        # A draft's preview, or the form of one person's link: not the form everyone gets.
        return render_to_string("registrations/_register_section.html", context, request=request)
    # The same empty form for everyone who opens the page in this language: rendered once, with
    # the request's CSRF token put in (core/fragments.py). What the form shows is in the key.
    key = ("registration", event.pk, form_fingerprint(form, event.slug, event.retention_days, language, plain))
    return with_csrf_token(
        REGISTRATION_FORMS,
        key,
        request,
        lambda: render_to_string("registrations/_register_section.html", context, request=request),
    )


@require_POST
def register(request, slug):
    event = get_object_or_404(Event.objects.public().with_public_details(), slug=slug)
    try:
        check_request_rate("register", request)
    except RateLimited as limited:
        response = render(request, "registrations/busy.html", {"event": event, "rate_limited": True}, status=429)
        response["Retry-After"] = str(limited.retry_after_seconds)
        return response
    language = translation.get_language()
    if "switch_texts" in request.POST:
        # The person switches between the usual and the plain texts: what they typed stays, and
        # nothing is checked or saved yet.
        plain = request.POST["switch_texts"] == "plain"
        initial = {**request.POST.dict(), "plain": plain}
        form = RegistrationForm(initial=initial, event=event, language=language, plain=plain)
        return render(request, "registrations/register.html", {"event": event, "form": form, "switched": True})
    plain = request.POST.get("plain") == "True"
    form = RegistrationForm(request.POST, event=event, language=language, plain=plain)
    status = 200
    if form.is_valid():
        now = timezone.now()
        try:
            services.register(event, form.registration_data(), channel=Channel.WEB, received_at=None, now=now)
        except services.AlreadyRegistered as refusal:
            # The same answer as for a new registration: the page does not tell who is registered.
            services.tell_owner_of_address(refusal, now=now)
            return redirect("registrations:received", slug=event.slug)
        except (Busy, OperationalError):
            return busy_page(request, event)
        except DomainError as error:
            form.add_error(form.field_for(error.field), error.message)
            status = error.status
        else:
            return redirect("registrations:received", slug=event.slug)
    else:
        status = 422
    return render(request, "registrations/register.html", {"event": event, "form": form}, status=status)


def received(request, slug):
    """After the form: look in your mail. The link to the registration comes only by mail, so
    that whoever types someone else's address learns nothing and gets no link."""
    event = get_object_or_404(Event.objects.public(), slug=slug)
    return render(request, "registrations/received.html", {"event": event})


@require_http_methods(["GET", "POST"])
def lost_links(request):
    """ "I can't find my link": every valid address gets the same answer, known or not; the links
    come by mail to the address (registrations/lost_links.py)."""
    form = LostLinksForm(posted(request))
    if request.method == "GET":
        return render(request, "registrations/lost_links.html", {"form": form})
    if not form.is_valid():
        return render(request, "registrations/lost_links.html", {"form": form}, status=422)
    address = form.cleaned_data["email"]
    try:
        check_request_rate("lost_links", request)
        # Keyed like a client (core/ratelimit.py): the cache holds no address.
        check_rate(
            "lost_links_address",
            salted_hmac("lost_links", normalize_email(address), algorithm="sha256").hexdigest()[:32],
        )
    except RateLimited as limited:
        response = render(request, "registrations/lost_links.html", {"form": form, "rate_limited": True}, status=429)
        response["Retry-After"] = str(limited.retry_after_seconds)
        return response
    send_lost_links(address, language=translation.get_language(), now=timezone.now())
    return redirect("registrations:lost_links_sent")


def lost_links_sent(request):
    return render(request, "registrations/lost_links_sent.html")


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


@personal_page
def manage(request, registration, token):
    context = {
        "registration": registration,
        "event": registration.event,
        "consents": registration.consents.all(),
        "token": token,
        "can_cancel": registration.status != Status.CANCELLED and registration.event.ends_at > timezone.now(),
        "can_change": changes.can_change(registration, now=timezone.now()),
        "other_seat_type": changes.other_seat_type(registration),
    }
    event = registration.event
    if registration.status == Status.CONFIRMED and registration.seat_type == SeatType.ONSITE:
        # Our own SVG markup, from a random secret: nothing in it comes from the user.
        context["ticket_svg"] = mark_safe(qr_svg(registration.ticket_secret))  # noqa: S308
        context["ticket_code"] = display_code(registration.ticket_code)
    now = timezone.now()
    context.update(details_context(registration))
    if reconfirmation.awaits_answer(registration, now=now):
        context["reconfirm_url"] = reconfirm_url(registration)
    context["access_sections"] = _personal_sections(request, registration, now=now, kind="access")
    context["sections"] = _personal_sections(request, registration, now=now, kind="other")
    if not context["access_sections"] and notices.access_data_may_go(registration, event, now=now):
        context["access"] = access_data_for(registration)
    return render(request, "registrations/manage.html", context)


def details_context(registration) -> dict:
    """The registrant's answers and needs, as the manage page shows them."""
    return {
        **detail_fields.shown_details(registration),
        "can_change_details": registration.status != Status.CANCELLED and registration.event.ends_at > timezone.now(),
    }


@personal_page
@require_http_methods(["GET", "POST"])
def details(request, registration, token):
    """Change the answers to the organisers' questions and the structured needs."""
    if registration.status == Status.CANCELLED or registration.event.ends_at <= timezone.now():
        messages.error(request, _("This registration can no longer be changed."))
        return redirect("registrations:manage", token)
    form = AnswersForm(
        request.POST if request.method == "POST" else None,
        registration=registration,
        details=answers.details_of(registration),
    )
    if form.is_valid():
        try:
            answers.change_details(
                registration,
                detail_fields.answers_given(form),
                detail_fields.needs_given(form),
                actor=None,
                now=timezone.now(),
            )
        except (Busy, OperationalError):
            return busy_page(request, registration.event)
        except DomainError as error:
            form.add_error(form.field_for(error.field), error.message)
        else:
            messages.success(request, _("Your answers and needs are saved."))
            return redirect("registrations:manage", token)
    context = {"registration": registration, "event": registration.event, "form": form, "token": token}
    return render(request, "registrations/details.html", context, status=422 if form.errors else 200)


@personal_page
@require_http_methods(["GET", "POST"])
def cancel(request, registration, token):
    form = CancelForm(request.POST if request.method == "POST" else None)
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
    context = {"registration": registration, "form": form, "token": token}
    return render(request, "registrations/cancel.html", context, status=422 if form.errors else 200)


WITHDRAWN_MESSAGES = {
    ConsentKind.BROADCAST: gettext_lazy("You have withdrawn your consent to appear in the broadcast."),
    ConsentKind.FEEDBACK: gettext_lazy("You have withdrawn your consent to a feedback request after the event."),
}


@personal_page
@require_http_methods(["GET", "POST"])
def change(request, registration, token):
    """Edit name, needs, the language of the mails and the number of companions."""
    initial = {
        "name": registration.name,
        "needs": registration.needs,
        "language": registration.language,
        "companions": registration.companions,
    }
    form = DetailsForm(posted(request), initial=initial, event=registration.event)
    return change_page(
        request,
        registration,
        token,
        form,
        lambda data: changes.change_details(registration, actor=None, now=timezone.now(), **data),
        done=_("Your changes are saved. We have sent you a confirmation."),
        template="registrations/change.html",
    )


@personal_page
@require_http_methods(["GET", "POST"])
def email_change(request, registration, token):
    """Give the registration a new e-mail address: a link goes to it, and the address changes
    when it is opened (registrations/address_change.py)."""
    if not changes.can_change(registration, now=timezone.now()):
        messages.error(request, _("This registration can no longer be changed."))
        return redirect("registrations:manage", token)
    form = EmailChangeForm(posted(request))
    return change_page(
        request,
        registration,
        token,
        form,
        lambda data: address_change.change_email(registration, data["email"], actor=None, now=timezone.now()),
        done=_(
            "We have sent a link to the new address. Your registration uses it once you open that link; until "
            "then the old address stays."
        ),
        template="registrations/email_change.html",
    )


@personal_page
@require_http_methods(["GET", "POST"])
def switch(request, registration, token):
    """Switch to the other seat type of a hybrid event, keeping the current place unless a seat
    of the new kind is free or the citizen agrees to wait for one."""
    target = changes.other_seat_type(registration)
    if target is None:
        return redirect("registrations:manage", token)
    ask_consent = submissions.broadcast_consent_asked(registration.event, target)
    form = SwitchForm(posted(request), ask_broadcast_consent=ask_consent)
    return change_page(
        request,
        registration,
        token,
        form,
        lambda data: changes.switch_seat_type(
            registration,
            target,
            actor=None,
            now=timezone.now(),
            join_waiting_list=data["join_waiting_list"],
            broadcast_consent=data.get("broadcast_consent", False),
        ),
        done=_("Your registration is changed. We have sent you a confirmation."),
        template="registrations/switch.html",
        target=target,
    )


def posted(request):
    return request.POST if request.method == "POST" else None


def change_page(request, registration, token, form, change, *, done: str, template: str, **context):
    """A personal page whose valid form goes to one change service (`change(cleaned_data)`); a
    refusal shows the form again with the error at its field and the status of the refusal."""
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                change(form.cleaned_data)
            except (Busy, OperationalError):
                return busy_page(request, registration.event)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
                status = error.status
            else:
                messages.success(request, done)
                return redirect("registrations:manage", token)
    context = {"registration": registration, "event": registration.event, "form": form, "token": token, **context}
    return render(request, template, context, status=status)


@personal_page(salt=CONSENT_SALT)
@require_http_methods(["GET", "POST"])
def consent(request, registration, token):
    """The link in every confirmation: see what you agreed to, and withdraw the broadcast or the
    feedback consent. Withdrawing the general terms means not taking part, so that cancels, here
    on this page: the link is for consents only and leads to no manage link (which would open
    changes, the ticket and the access data)."""
    records = list(registration.consents.all())
    kind = request.POST.get("kind", ConsentKind.BROADCAST)
    cancel_form = CancelForm(request.POST if kind == ConsentKind.TERMS else None)
    if request.method == "POST" and kind == ConsentKind.TERMS:
        if not cancel_form.is_valid():
            return render_consent(request, registration, records, cancel_form, status=422)
        try:
            services.cancel(registration, actor=None, now=timezone.now(), reason="self-service")
        except (Busy, OperationalError):
            return busy_page(request, registration.event)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect("registrations:consent", token)
    if request.method == "POST":
        consent = next((c for c in records if c.kind == kind and c.withdrawn_at is None), None)
        if consent is not None and kind in WITHDRAWN_MESSAGES:
            consents.withdraw_consent(consent, now=timezone.now())
            messages.success(request, WITHDRAWN_MESSAGES[kind])
        return redirect("registrations:consent", token)
    return render_consent(request, registration, records, cancel_form)


def render_consent(request, registration, records, cancel_form, *, status=200):
    context = {
        "registration": registration,
        "event": registration.event,
        "consents": records,
        "can_withdraw_broadcast": any(c.kind == ConsentKind.BROADCAST and c.withdrawn_at is None for c in records),
        "can_withdraw_feedback": any(c.kind == ConsentKind.FEEDBACK and c.withdrawn_at is None for c in records),
        "cancel_form": cancel_form,
        "can_cancel": registration.status != Status.CANCELLED,
    }
    return render(request, "registrations/consent.html", context, status=status)


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
    }
    return render(request, "registrations/reconfirm.html", context)


def _personal_sections(request, registration: Registration, *, now, kind: str) -> list:
    found = hooks.answers(
        personal_page_section, Registration, request=request, registration=registration, now=now, kind=kind
    )
    return [html for html in found if html]
