"""The citizen's pages: ask for the data held about an address, see and download it, erase it."""

import json

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.private_pages import kept_private
from core.ratelimit import RateLimited, check_request_rate
from registrations.links import data_access_request_for_token
from registrations.privacy import services
from registrations.privacy.forms import DataAccessForm, ErasureForm
from registrations.privacy.readable import readable


@require_http_methods(["GET", "POST"])
def request_access(request):
    """Every valid address gets the same answer, whether we hold anything about it or not."""
    form = DataAccessForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            check_request_rate("data_export", request)
        except RateLimited as limited:
            response = render(
                request, "registrations/privacy/request.html", {"form": form, "rate_limited": True}, status=429
            )
            response["Retry-After"] = str(limited.retry_after_seconds)
            return response
        if form.is_valid():
            services.request_data_access(form.cleaned_data["email"], now=timezone.now())
            return render(request, "registrations/privacy/requested.html")
        return render(request, "registrations/privacy/request.html", {"form": form}, status=422)
    return render(request, "registrations/privacy/request.html", {"form": form})


def data_access_page(view):
    """Pages behind the signed data link: never cached or indexed; an expired link says so."""

    def wrapped(request, token):
        access = data_access_request_for_token(token)
        if access is None:
            response = render(request, "registrations/privacy/invalid_link.html", status=404)
        else:
            response = view(request, access, token)
        return kept_private(response)

    wrapped.__name__ = view.__name__
    return wrapped


@require_GET
@data_access_page
def data_page(request, access, token):
    data = readable(services.data_held(access.email_normalized))
    return render(request, "registrations/privacy/data.html", {"data": data, "token": token})


@require_GET
@data_access_page
def data_download(request, access, token):
    data = services.data_held(access.email_normalized)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="stadtdialog-daten.json"'
    return response


@require_http_methods(["GET", "POST"])
@data_access_page
def erase(request, access, token):
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.erase_address(access, now=timezone.now())
        return redirect("privacy:erased")
    return render(
        request, "registrations/privacy/erase.html", {"form": form, "token": token}, status=422 if form.errors else 200
    )


@require_GET
def erased(request):
    return render(request, "registrations/privacy/erased.html")
