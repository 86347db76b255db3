"""Who may do what at an event: the one guard of every organiser page, admin page and API write.

Views ask for a capability, never for a role; `CAPABILITIES` maps the roles of an event's team
(`EventMember.role`) to them. A city admin (a superuser, or a holder of the permission
`events.manage_all_events`) has every capability at every event.

    @organiser_page(Capability.CHECK_IN)            # HTML, for URLs with <slug:slug>
    def page(request, event): ...

    event = event_for(request.user, slug, Capability.MANAGE)  # API, or a view without a slug
    ensure(request.user, event, Capability.MODERATE)          # when the event comes from elsewhere

Refusals: someone outside the event's team (and an anonymous API caller) gets 404, so that an
event's existence is not given away; a member whose role lacks the capability gets 403 (a page
saying so, or `{"code": "forbidden", "detail"}` in the API); an anonymous visitor of a page is
sent to the login page (`AccessMiddleware`).
"""

from enum import StrEnum
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.db.models import OuterRef, QuerySet, Subquery
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.defaults import page_not_found

from core.errors import DomainError
from events.models import CITY_ADMIN_PERMISSION, Event, EventMember, Role


class Capability(StrEnum):
    MANAGE = "manage"  # change the event, its seats, mails, team and everything else
    PERSONAL_DATA = "personal_data"  # registrants' e-mail, phone, needs; lists and exports
    CHECK_IN = "check_in"  # the check-in page and its door list (names, ticket status)
    MODERATE = "moderate"  # breakout groups, capture, plenum wall; names of participants only
    VIEW_COUNTS = "view_counts"  # read-only figures: seats, registrations, check-ins


CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.ORGANISER: frozenset(Capability),
    Role.CHECK_IN: frozenset({Capability.CHECK_IN}),
    Role.MODERATOR: frozenset({Capability.MODERATE}),
    Role.VIEWER: frozenset({Capability.VIEW_COUNTS}),
}


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


def is_signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_city_admin(user) -> bool:
    return is_signed_in(user) and user.has_perm(CITY_ADMIN_PERMISSION)


def role_of(user, event: Event) -> str | None:
    """The user's role in the event's team; read along with the event by `event_for`."""
    if not is_signed_in(user) or event.pk is None:
        return None
    known = getattr(event, "_role_of_user", None)
    if known is not None and known[0] == user.pk:
        return known[1]
    return EventMember.objects.filter(event_id=event.pk, user=user).values_list("role", flat=True).first()


def capabilities_of(user, event: Event) -> frozenset[Capability]:
    role = role_of(user, event)
    # Organisers first: they need no look-up of the city admin permission.
    if role == Role.ORGANISER or is_city_admin(user):
        return CAPABILITIES[Role.ORGANISER]
    return CAPABILITIES[role] if role else frozenset()


def can(user, event: Event, capability: Capability) -> bool:
    return capability in capabilities_of(user, event)


def roles_with(capability: Capability) -> list[str]:
    return [role for role, capabilities in CAPABILITIES.items() if capability in capabilities]


def events_where(user, capability: Capability, queryset: QuerySet | None = None) -> QuerySet:
    """The events at which the user has the capability (all of them for a city admin)."""
    return (queryset if queryset is not None else Event.objects.all()).where_role(user, roles_with(capability))


def events_of_member(user, queryset: QuerySet | None = None) -> QuerySet:
    """The events in whose team the user has any role."""
    return (queryset if queryset is not None else Event.objects.all()).where_role(user, list(CAPABILITIES))


def organises_any_event(user) -> bool:
    """For what spans events (creating events, working groups, the registration inbox): city
    admins, organisers of some event, and staff accounts in no team yet (a new organiser made in
    the admin). People invited for a narrower role (check-in, moderation, figures) are not."""
    if not is_signed_in(user):
        return False
    if is_city_admin(user) or events_where(user, Capability.MANAGE).exists():
        return True
    return user.is_staff and not EventMember.objects.filter(user=user).exists()


def not_found() -> NotFound:
    return NotFound("not_found", _("Not found."))


def ensure(user, event: Event, capability: Capability) -> None:
    """Raises `NotFound` for anyone outside the team, `Forbidden` for a member without the capability."""
    capabilities = capabilities_of(user, event)
    if capability in capabilities:
        return
    if not capabilities:
        raise not_found()
    raise Forbidden("forbidden", _("Your role in this event's team does not allow this."))


def event_for(user, slug: str, capability: Capability, queryset: QuerySet | None = None) -> Event:
    """The event of a URL, read with the user's role (and its venue, which organiser pages show)
    in one query, if the user has the capability."""
    events = (queryset if queryset is not None else Event.objects.select_related("venue")).filter(slug=slug)
    if is_signed_in(user):
        roles = EventMember.objects.filter(event=OuterRef("pk"), user=user).values("role")[:1]
        events = events.annotate(member_role=Subquery(roles))
    event = events.first()
    if event is None:
        raise not_found()
    if is_signed_in(user):
        event._role_of_user = (user.pk, event.member_role)
    ensure(user, event, capability)
    return event


def organiser_page(capability: Capability, queryset: QuerySet | None = None):
    """`view(request, event, ...)` for `<slug:slug>` URLs: login first, then the guard.
    Personal data is never kept in a browser's or proxy's cache."""

    def decorate(view):
        @wraps(view)
        @never_cache
        def wrapped(request, slug, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            event = event_for(request.user, slug, capability, queryset)
            return view(request, event, *args, **kwargs)

        return wrapped

    return decorate


def member_page(view):
    """For organiser pages without an event in the URL (they call `ensure` or `events_where`)."""

    @wraps(view)
    @never_cache
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


class AccessMiddleware:
    """Turns the guard's refusals in HTML views into the login page, a 404 or a page that says
    which role would be needed. The API answers them itself (config/api.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, NotFound | Forbidden):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if isinstance(exception, NotFound):
            return page_not_found(request, exception)
        context = {"message": exception.message, "code": exception.code}
        response = render(request, "events/forbidden.html", context, status=403)
        response["Cache-Control"] = "private, no-store"
        return response
