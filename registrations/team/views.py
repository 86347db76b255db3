"""The team page of an event (organisers: members, roles, invitations) and the page where an
invited person accepts. Every change goes through registrations/team/services.py."""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError, ValidationFailed
from events.access import Capability, organiser_page
from events.models import EventMember, Role
from registrations.models import TeamInvitation
from registrations.team import services
from registrations.team.forms import InviteForm, NewAccountForm, RoleForm


@organiser_page(Capability.MANAGE)
@require_http_methods(["GET", "POST"])
def team(request, event):
    form = InviteForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.invite(
                event,
                form.cleaned_data["email"],
                form.cleaned_data["role"],
                actor=request.user,
                now=timezone.now(),
                language=request.LANGUAGE_CODE,
            )
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The invitation is on its way to %(email)s.") % form.cleaned_data)
            return redirect("staff:team", event.slug)
    return render_team(request, event, form, status=422 if form.is_bound else 200)


def render_team(request, event, form: InviteForm, *, status: int = 200):
    members = list(EventMember.objects.filter(event=event).select_related("user").order_by("user__username"))
    for member in members:
        member.form = RoleForm(initial={"role": member.role}, auto_id=f"role-{member.user_id}-%s")
    invitations = TeamInvitation.objects.filter(event=event, accepted_at__isnull=True, withdrawn_at__isnull=True)
    context = {
        "event": event,
        "section": "team",
        "members": members,
        "invitations": invitations,
        "form": form,
        "now": timezone.now(),
    }
    return render(request, "registrations/team/team.html", context, status=status)


@require_POST
@organiser_page(Capability.MANAGE)
def change_role(request, event, user_id: int):
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose one of the roles."))
        return redirect("staff:team", event.slug)
    try:
        member = services.change_role(event, user_id, form.cleaned_data["role"], actor=request.user, now=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s is now %(role)s.") % {"name": member.user.get_username(), "role": Role(member.role).label},
        )
    return redirect("staff:team", event.slug)


@require_POST
@organiser_page(Capability.MANAGE)
def remove_member(request, event, user_id: int):
    try:
        services.remove_member(event, user_id, actor=request.user, now=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The person was removed from the team."))
    return redirect("staff:team", event.slug)


@require_POST
@organiser_page(Capability.MANAGE)
def withdraw_invitation(request, event, invitation_id: int):
    invitation = get_object_or_404(TeamInvitation, pk=invitation_id, event=event)
    try:
        services.withdraw(invitation, actor=request.user, now=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email})
    return redirect("staff:team", event.slug)


@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request, token: str):
    """The link of the mail is the key: a logged-in user accepts with a click, a new person
    chooses a username and password; a used, expired or forged link says so."""
    now = timezone.now()
    try:
        invitation = services.open_invitation(token, now=now)
    except DomainError as error:
        return refused(request, error)
    form = NewAccountForm(request.POST if request.method == "POST" and not request.user.is_authenticated else None)
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                member = services.accept(token, request.user, now=now)
            elif form.is_valid():
                member = services.accept_as_new_user(
                    token, form.cleaned_data["username"], form.cleaned_data["password"], now=now
                )
                login(request, member.user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                member = None
        except ValidationFailed as refusal:
            for errors in refusal.errors.values():
                for error in errors:
                    form.add_service_error(error)
            member = None
        except DomainError as error:
            return refused(request, error)
        if member is not None:
            messages.success(request, _("Welcome to the team of %(title)s.") % {"title": member.event.title})
            return redirect("staff:dashboard")
    context = {"invitation": invitation, "role": Role(invitation.role).label, "form": form}
    response = render(request, "registrations/team/accept.html", context, status=422 if form.errors else 200)
    response["X-Robots-Tag"] = "noindex"
    return response


def refused(request, error: DomainError):
    response = render(
        request, "registrations/team/refused.html", {"message": error.message, "code": error.code}, status=error.status
    )
    response["X-Robots-Tag"] = "noindex"
    return response
