"""What the HTML views share: who is asking, and how a refusal looks."""

from functools import wraps

import qrcode
import qrcode.image.svg
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from events.errors import DomainError
from events.models import Event
from ideas.access import is_organiser


def refusal(request, error: DomainError, *, title: str = ""):
    """A page that says plainly why the way is closed and what to do instead."""
    context = {"title": title or _("Access not possible"), "message": error.message, "code": error.code}
    return render(request, "ideas/refused.html", context, status=error.status)


def not_organiser(request):
    error = DomainError("not_event_organiser", _("Only the organisers of this event may open this page."), status=403)
    return refusal(request, error)


def organiser_view(view):
    """For pages of one event's organisers: log in first, then only the event's team gets in."""

    @wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        event = get_object_or_404(Event, slug=slug)
        if not is_organiser(request.user, event):
            return not_organiser(request)
        return view(request, event, *args, **kwargs)

    return wrapper


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
