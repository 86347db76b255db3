"""Joining a working group and following a process or working group: the form, the page that
asks to confirm from the mail, the confirmation and leaving (docs/processes.md)."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from core.addresses import normalize_email
from core.errors import DomainError
from core.ratelimit import RateLimited, check_rate, check_request_rate
from events.access import member_page, not_found
from ideas.access import can_lead
from ideas.models import WorkingGroup
from processes.forms import FollowForm, JoinForm
from processes.links import CONFIRM_SALT, LEAVE_SALT, subscription_for
from processes.models import Process, SubscriptionKind
from processes.subscriptions import SubscriptionData, confirm, leave, members_of, subscribe


def address_key(address: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{normalize_email(address)}".encode()).hexdigest()[:32]


def page_of(target) -> str:
    if isinstance(target, Process):
        return target.get_absolute_url()
    return reverse("ideas:working_group", args=[target.slug])


def ask(request, target, form, *, template: str, kind: str):
    """The form's answer: a refusal at its field (422, entries kept), or the same "check your
    e-mail" page whether or not the address was known."""
    if form.is_valid():
        data = SubscriptionData(
            email=form.cleaned_data["email"],
            consent=form.cleaned_data["consent"],
            name=form.cleaned_data.get("name", ""),
            language=get_language(),
        )
        try:
            check_request_rate("subscribe", request)
            check_rate("subscribe_address", address_key(data.email))
            subscribe(target, data, kind=kind, now=timezone.now())
        except RateLimited as limited:
            form.add_error(None, limited.message)
            response = render(request, template, {"target": target, "form": form}, status=429)
            response["Retry-After"] = str(limited.retry_after_seconds)
            return response
        except DomainError as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            context = {"target": target, "address": data.email, "back_url": page_of(target)}
            return render(request, "processes/check_mail.html", context)
    status = 422 if form.is_bound else 200
    return render(request, template, {"target": target, "form": form}, status=status)


def follow_process(request, slug):
    process = get_object_or_404(Process.objects.public(), slug=slug)
    form = FollowForm(request.POST if request.method == "POST" else None)
    return ask(request, process, form, template="processes/follow.html", kind=SubscriptionKind.FOLLOWER)


def join_working_group(request, slug):
    group = get_object_or_404(WorkingGroup, slug=slug)
    form = JoinForm(request.POST if request.method == "POST" else None)
    kind = form.data.get("kind") if form.is_bound else SubscriptionKind.MEMBER
    if kind not in SubscriptionKind.values:
        kind = SubscriptionKind.MEMBER
    return ask(request, group, form, template="processes/join.html", kind=kind)


def refused(request, refusal: DomainError):
    return render(request, "processes/link_refused.html", {"message": refusal.message}, status=refusal.status)


def confirm_subscription(request, token):
    """Asks first and confirms on POST only: mail scanners open every link in a mail."""
    try:
        subscription = subscription_for(token, salt=CONFIRM_SALT)
    except DomainError as refusal:
        return refused(request, refusal)
    if request.method == "POST":
        confirm(subscription, now=timezone.now())
        messages.success(request, _("Thank you, it is confirmed."))
        return redirect(request.path)
    response = render(request, "processes/confirm.html", {"subscription": subscription})
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_exempt  # the signed link is the key; mail programs post to it for one-click unsubscribe (RFC 8058)
def leave_subscription(request, token):
    try:
        subscription = subscription_for(token, salt=LEAVE_SALT)
    except DomainError as refusal:
        if request.method == "POST":  # a second click of "leave": done already
            return render(request, "processes/left.html", status=200)
        return refused(request, refusal)
    if request.method == "POST":
        leave(subscription, now=timezone.now())
        return render(request, "processes/left.html")
    response = render(request, "processes/leave.html", {"subscription": subscription})
    response["X-Robots-Tag"] = "noindex"
    return response


@member_page
def members(request, slug):
    """The confirmed members of a working group, for its leads (and city admins)."""
    group = get_object_or_404(WorkingGroup, slug=slug)
    if not can_lead(request.user, group):
        raise not_found()
    return render(request, "processes/staff/members.html", {"working_group": group, "members": members_of(group)})
