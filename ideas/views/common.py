"""What the HTML views share: who is asking, and how a refusal looks."""

import qrcode
import qrcode.image.svg
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.errors import DomainError


def refusal(request, error: DomainError, *, title: str = ""):
    """A page that says plainly why the way is closed and what to do instead."""
    context = {"title": title or _("Access not possible"), "message": error.message, "code": error.code}
    return render(request, "ideas/refused.html", context, status=error.status)


def qr_code(url: str, *, cache_control: str) -> HttpResponse:
    """A QR code of `url` as SVG (a poster, the wall): our own markup, nothing from the visitor."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    response = HttpResponse(image.to_string(encoding="unicode"), content_type="image/svg+xml")
    response["Cache-Control"] = cache_control
    return response
