"""The page behind the link that confirms a new e-mail address (registrations/address_change.py).

Opening the link changes nothing (mail scanners open links); one button confirms. After that the
holder of the new address is the registrant: the page leads to the personal page."""

from django.contrib import messages
from django.db import OperationalError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import Busy, DomainError
from core.private_pages import kept_private
from registrations import address_change
from registrations.links import manage_path


@require_http_methods(["GET", "POST"])
def confirm_email(request, token):
    now = timezone.now()
    try:
        change = address_change.open_change_for(token, now=now, allow_confirmed=True)
    except address_change.InvalidLink:
        return kept_private(render(request, "registrations/invalid_link.html", status=404))
    registration = change.registration
    if request.method == "POST" or change.confirmed_at is not None:
        try:
            registration = address_change.confirm_email_change(token, now=now)
        except address_change.InvalidLink:
            return kept_private(render(request, "registrations/invalid_link.html", status=404))
        except (Busy, OperationalError):
            response = render(request, "registrations/busy.html", {"event": registration.event}, status=503)
            response["Retry-After"] = str(Busy.retry_after_seconds)
            return kept_private(response)
        except DomainError as refusal:
            context = {"change": change, "registration": registration, "event": registration.event, "refusal": refusal}
            return kept_private(render(request, "registrations/confirm_email.html", context, status=refusal.status))
        messages.success(
            request,
            _("Thank you: your e-mail address is confirmed. Mails about your registration now go to %(address)s.")
            % {"address": registration.email},
        )
        return kept_private(redirect(manage_path(registration)))
    context = {"change": change, "registration": registration, "event": registration.event}
    return kept_private(render(request, "registrations/confirm_email.html", context))
