"""What the HTML views share: who is asking, and how a refusal looks."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
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
