"""What the HTML views share: who is asking, and how a refusal looks."""

from functools import wraps

import qrcode
import qrcode.image.svg
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from events import access
from events.access import Capability
from events.errors import DomainError


def refusal(request, error: DomainError, *, title: str = ""):
    """A page that says plainly why the way is closed and what to do instead."""
    context = {"title": title or _("Access not possible"), "message": error.message, "code": error.code}
    return render(request, "ideas/refused.html", context, status=error.status)


def organiser_view(capability: Capability = Capability.MODERATE):
    """For pages of one event's team: the guard of events/access.py; groups, capture and the
    plenum need `moderate`, sorting into working groups `manage`."""
    return access.organiser_page(capability)


def login_view(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def qr_code(url: str, *, cache_control: str) -> HttpResponse:
    """A QR code of `url` as SVG (a poster, the wall): our own markup, nothing from the visitor."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    response = HttpResponse(image.to_string(encoding="unicode"), content_type="image/svg+xml")
    response["Cache-Control"] = cache_control
    return response
