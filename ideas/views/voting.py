"""The plenum's dot voting: the voting page, reached by a device through the QR code on the wall
or by a registration through its personal link; the QR code; and the organisers' settings.

The page works as plain forms (a POST, then a redirect back) and, with htmx, swaps only the
ballot. A device is known by a signed cookie holding a random id; the cookie is set when the
page is first shown, so a vote without it (cookies off, or a forged cookie) is refused."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.ratelimit import check_rate, check_request_rate, client_key
from events.access import Capability, organiser_page
from events.models import Event
from ideas import queries, services
from ideas.access import ACCESS_AFTER_EVENT, invalid_link, plenum_vote_token, registration_for_vote_token
from ideas.forms import VotingForm
from ideas.models import Voter, token_hash
from ideas.services.network_budget import give_dot_from_network, take_back_dot_from_network
from ideas.services.voting import ballot, voting_of
from ideas.views.common import qr_code, refusal
from ideas.views.organiser import board_url, render_board
from ideas.views.public import visible_event
from registrations.models import Status

DEVICE_SALT = "stadtdialog.ideas.plenum-device"


def device_cookie(event: Event) -> str:
    """One cookie per event, for the whole site: the voting page has a German and an English path,
    and switching the language must not make a second voter."""
    return f"stadtdialog_dots_{event.pk}"


def device_vote_url(event: Event) -> str:
    return settings.SITE_URL + reverse("ideas:vote", args=[event.slug])


def device_vote(request, slug: str):
    event = visible_event(request, slug)
    device_id = request.get_signed_cookie(device_cookie(event), default=None, salt=DEVICE_SALT)
    voter = None
    if device_id is not None:
        voter = Voter.objects.select_related("event").filter(event=event, device_hash=token_hash(device_id)).first()

    def voter_for_change() -> Voter:
        if device_id is None:
            raise DomainError(
                "device_unknown",
                _(
                    "Your device could not be recognised, so nothing was changed. Please allow cookies for this "
                    "page and load it again."
                ),
            )
        return services.voter_for_device(event, device_id, now=timezone.now())

    response = ballot_page(request, event, voter=voter, voter_for_change=voter_for_change)
    if device_id is None:
        # A technically necessary cookie (it only counts this device's dots), gone soon after the event.
        response.set_signed_cookie(
            device_cookie(event),
            secrets.token_urlsafe(24),
            salt=DEVICE_SALT,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
            max_age=max(int((event.ends_at + ACCESS_AFTER_EVENT - timezone.now()).total_seconds()), 3600),
        )
    return response


def personal_vote(request, token: str):
    registration = registration_for_vote_token(token, now=timezone.now())
    if registration is None or registration.event.status == "draft":
        return refusal(request, invalid_link())
    voter = Voter.objects.select_related("event").filter(registration=registration).first()

    def voter_for_change() -> Voter:
        return services.voter_for_registration(registration, now=timezone.now())

    response = ballot_page(request, registration.event, voter=voter, voter_for_change=voter_for_change)
    response["X-Robots-Tag"] = "noindex"
    return response


def voting_section(request, registration, *, now) -> str:
    """The link to the plenum's dot voting on a confirmed registrant's personal page, from the day
    the organisers set a number of dots until the voting page's link expires with the event."""
    if registration.status != Status.CONFIRMED:
        return ""
    voting = voting_of(registration.event)
    if not voting.dots_per_voter:
        return ""
    path = reverse("ideas:personal_vote", args=[plenum_vote_token(registration)])
    return render_to_string("ideas/_voting_section.html", {"path": path, "voting": voting}, request=request)


def ballot_page(request, event: Event, *, voter: Voter | None, voter_for_change):
    error = notice = None
    if request.method == "POST":
        try:
            check_request_rate("plenum_vote_client", request)
            voter = voter_for_change()
            check_rate("plenum_vote", f"voter:{voter.pk}")
            notice = change_dots(request, voter)
        except DomainError as refused:
            error = refused
        else:
            if not request.headers.get("HX-Request"):
                messages.success(request, notice)
                return redirect(request.path)
    voting = voting_of(event)
    current = ballot(voter, voting)
    groups = queries.plenum_groups(event)
    for group in groups:
        for idea in group.plenum_ideas:
            idea.my_dots = current.given.get(idea.pk, 0)
    partial = bool(request.headers.get("HX-Request"))
    context = {
        "event": event,
        "voting": voting,
        "ballot": current,
        "groups": groups,
        "error": error,
        "notice": notice,
        "partial": partial,
    }
    template = "ideas/_ballot.html" if partial else "ideas/vote.html"
    response = render(request, template, context, status=error.status if error else 200)
    response["Cache-Control"] = "no-store"
    return response


def change_dots(request, voter: Voter) -> str:
    """Devices are cookies and cookies are free: their dots count against their network's budget
    per idea (ideas/services/network_budget.py); a registration has its one ballot."""
    data, now = request.POST, timezone.now()
    idea_id, action = data.get("idea", ""), data.get("action")
    if action == "give":
        if voter.device_hash:
            dot = give_dot_from_network(voter, idea_id, network=client_key(request), now=now)
        else:
            dot = services.give_dot(voter, idea_id, now=now)
        return _("You gave a dot to “%(title)s”.") % {"title": dot.idea.title}
    if action == "take":
        if voter.device_hash:
            take_back_dot_from_network(voter, idea_id, network=client_key(request), now=now)
        else:
            services.take_back_dot(voter, idea_id, now=now)
        return _("You took a dot back.")
    raise DomainError("unknown_action", _("Please use one of the buttons to give or take back a dot."))


def vote_qr(request, slug: str):
    """The QR code the wall shows: the voting page of the event, for phones in the room."""
    return qr_code(device_vote_url(visible_event(request, slug)), cache_control="public, max-age=300")


@require_POST
@organiser_page(Capability.MANAGE)
def voting_settings(request, event: Event):
    form = VotingForm(request.POST)
    if form.is_valid():
        try:
            voting = services.configure_voting(
                event, form.cleaned_data["dots_per_voter"], actor=request.user, now=timezone.now()
            )
        except DomainError as error:
            form.add_service_error(error)
        else:
            message = _("Each person now has %(dots)s dots.") % {"dots": voting.dots_per_voter}
            messages.success(request, message if voting.dots_per_voter else _("Voting is turned off."))
            return redirect(f"{board_url(event)}#voting")
    return render_board(request, event, voting_form=form)


@require_POST
@organiser_page(Capability.MODERATE)
def voting_state(request, event: Event):
    is_open = request.POST.get("open") == "1"
    try:
        services.set_voting_open(event, is_open, actor=request.user, now=timezone.now())
    except DomainError as error:
        return render_board(request, event, voting_error=error)
    messages.success(request, _("Voting is open.") if is_open else _("Voting is closed."))
    return redirect(f"{board_url(event)}#voting")
