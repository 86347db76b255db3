"""The live channel's public page (/mit/<code>/): anyone sends an idea to the event, without an
account, or another kind of contribution a layer above offers through the channel (live: a
question to the panel, through `ideas.signals.live_channel_kind`) (docs/live.md). The guards that
need the request live here, one place for every kind, each with a plain message:

- a rate limit per real client (`core.ratelimit.client_key`, behind `TRUSTED_PROXIES`), generous
  because a whole room sends through the venue's one address;
- a budget per device (the signed cookie of `core.devices`), which a script without cookies
  does not get: a send without the cookie is refused and the cookie set for the next try;
- a honeypot field people never see, and a minimum time between showing the form and sending it.
Everything is checked before the service (or the kind's `send`) stores anything, and it stores
all or nothing.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.devices import device_id, new_device_id, remember_device
from core.errors import DomainError
from core.hooks import answers
from core.ratelimit import RateLimited, check_rate, check_request_rate
from events.models import Event
from ideas import services
from ideas.access import AccessRefused, token_hash
from ideas.forms import IDEA_KIND, LiveChannelForm
from ideas.models import LiveVia, Moderation
from ideas.services.live import live_channel_open
from ideas.signals import ChannelKind, live_channel_kind
from ideas.views.common import qr_code, refusal
from registrations.models import Status

FILL_STAMP_SALT = "stadtdialog.ideas.live-form-shown"
# A form older than this is shown again with a fresh stamp (the text kept) rather than trusted.
FILL_STAMP_MAX_AGE = 12 * 3600


def live_event(code: str) -> Event:
    return get_object_or_404(Event.objects.public(), live_code=code)


def live_url(event: Event, via: str = "") -> str:
    """The short link in the page's language, with where it is shown (`via`)."""
    url = settings.SITE_URL + reverse("ideas:live", args=[event.live_code])
    return f"{url}?via={via}" if via else url


@dataclass(frozen=True)
class LiveLink:
    """What `ideas/live/_link.html` shows: the short link and its QR code, for one place (`via`)."""

    url: str
    qr_path: str
    via: str


def live_link(event: Event, via: str = "") -> LiveLink:
    qr_path = reverse("ideas:live_qr", args=[event.live_code]) + (f"?via={via}" if via else "")
    return LiveLink(url=live_url(event, via), qr_path=qr_path, via=via)


def fill_stamp(moment: datetime) -> str:
    return signing.dumps(moment.timestamp(), salt=FILL_STAMP_SALT)


def check_fill_time(stamp: str, *, now: datetime) -> None:
    try:
        shown = signing.loads(stamp, salt=FILL_STAMP_SALT)
    except signing.BadSignature:
        shown = None
    if not isinstance(shown, float) or now.timestamp() - shown > FILL_STAMP_MAX_AGE:
        raise DomainError(
            "form_expired", _("This form was open too long. Please check your text and send it again."), status=422
        )
    if now.timestamp() - shown < settings.LIVE_MIN_FILL_SECONDS:
        raise DomainError(
            "sent_too_fast",
            _("That was quicker than anyone can type. Please check your text and send it again."),
            status=422,
        )


def check_honeypot(form: LiveChannelForm) -> None:
    if form.cleaned_data.get("website"):
        raise DomainError(
            "honeypot",
            _("Your contribution could not be sent. Please leave the last field empty and try again."),
            status=422,
        )


def requested_via(request) -> str:
    via = request.GET.get("via", "")
    return via if via in LiveVia.values else ""


def channel_kinds(request, event: Event) -> dict[str, ChannelKind]:
    """The kinds the layers above offer beside the idea, by their value."""
    return {kind.value: kind for kind in answers(live_channel_kind, Event, request=request, event=event)}


def live_page(request, code: str):
    event = live_event(code)
    now = timezone.now()
    via = requested_via(request)
    if not live_channel_open(event, now=now):
        closed = AccessRefused("live_closed", _("This event no longer takes contributions: it is over."))
        return refusal(request, closed, title=_("The live channel is closed"))
    device = device_id(request)
    kinds = channel_kinds(request, event)
    status, retry_after = 200, None
    if request.method == "POST":
        form = LiveChannelForm(request.POST, kinds=kinds.values(), via_given=bool(via))
        try:
            thanks = accept(request, event, form, kinds, device=device, via=via, now=now)
        except DomainError as refused:
            # Every refusal is shown on the form, on its field where it names one; the text stays.
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
            status, retry_after = refused.status, getattr(refused, "retry_after_seconds", None)
        else:
            if thanks is not None:
                messages.success(request, thanks)
                return redirect(same_kind_again(request, form.cleaned_data["kind"]))
            status = 422
        form = with_fresh_stamp(form, now=now)
    else:
        kind = request.GET.get("kind") if request.GET.get("kind") in kinds else IDEA_KIND
        initial = {"kind": kind, "started": fill_stamp(now), "client_id": str(uuid.uuid4())}
        form = LiveChannelForm(initial=initial, kinds=kinds.values(), via_given=bool(via))
    context = {
        "event": event,
        "form": form,
        "via": via,
        "live_url": live_url(event),
        "sections": [kind.section_html for kind in kinds.values() if kind.section_html],
    }
    response = render(request, "ideas/live/page.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    if device is None:
        remember_device(response, new_device_id())
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def same_kind_again(request, kind: str) -> str:
    """The page again after sending, with the same kind chosen (a second question is one click less)."""
    query = request.GET.copy()
    query.pop("kind", None)
    if kind != IDEA_KIND:
        query["kind"] = kind
    return f"{request.path}?{query.urlencode()}" if query else request.path


def accept(
    request,
    event: Event,
    form: LiveChannelForm,
    kinds: dict[str, ChannelKind],
    *,
    device: str | None,
    via: str,
    now: datetime,
) -> str | None:
    """The thanks for what was sent, or None when the form itself is invalid; raises a DomainError
    when a guard or the service refuses it. Nothing is stored before every guard has passed."""
    try:
        check_request_rate("live_channel_client", request)
        if device is not None:
            check_rate("live_channel_device", token_hash(device))
    except RateLimited as limited:
        flood = DomainError(
            "rate_limited",
            _("You have sent a lot in a short time. Please wait a few minutes before you send more."),
            status=429,
        )
        flood.retry_after_seconds = limited.retry_after_seconds
        raise flood from limited
    if device is None:
        raise DomainError(
            "device_unknown",
            _("Your device could not be recognised. Please allow cookies for this page and send it again."),
            status=400,
        )
    if not form.is_valid():
        return None
    check_honeypot(form)
    check_fill_time(form.cleaned_data["started"], now=now)
    draft, client_id = draft_from(form, via=via), form.cleaned_data["client_id"]
    kind = kinds.get(form.cleaned_data["kind"])
    if kind is not None:
        return kind.send(request, event, draft, client_id=client_id, now=now)
    idea, _created = services.send_live_idea(event, draft, client_id=client_id, now=now)
    return thanks(idea)


def draft_from(form: LiveChannelForm, *, via: str) -> services.LiveDraft:
    data = form.cleaned_data
    return services.LiveDraft(
        text=data["text"],
        name=data["name"],
        show_name=data["show_name"],
        email=data["email"],
        updates_consent=data["updates_consent"],
        language=translation.get_language() or "de",
        via=via or data["via"],
    )


def with_fresh_stamp(form: LiveChannelForm, *, now: datetime) -> LiveChannelForm:
    """The bound form shown again with its errors: the time counts from now for the next send."""
    form.data = form.data.copy()
    form.data["started"] = fill_stamp(now)
    return form


def thanks(idea) -> str:
    if idea.moderation == Moderation.PENDING:
        return _("Thank you! A moderator will look at your idea, and then it appears on the event’s pages.")
    return _("Thank you! Your idea is on the event’s pages now.")


def live_qr(request, code: str):
    """The QR code of the short link, for the wall, the stream page and slides; `?via=` goes with it."""
    event = live_event(code)
    return qr_code(live_url(event, requested_via(request)), cache_control="public, max-age=300")


def live_section(request, registration, *, now: datetime) -> str:
    """The live channel's link and QR code on a confirmed registrant's personal page, while the
    channel takes ideas. No `via`: the page is the same in the room, on Zoom and at home."""
    event = registration.event
    if registration.status != Status.CONFIRMED or not live_channel_open(event, now=now):
        return ""
    return render_to_string("ideas/live/_link.html", {"live": live_link(event)}, request=request)
