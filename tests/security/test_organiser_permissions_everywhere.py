"""Every organiser route, found through the URL resolver and the OpenAPI schema, refuses the
organiser of another event and anonymous visitors; the organiser of the event gets in.

A new route fails `test_every_route_is_classified` until it is added to one of the tables
below, so that no organiser page is forgotten."""

import json
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config.api import api
from events.models import AuditEntry
from registrations.models import Registration
from tests.security.world import REGISTRANT, build_world

# Routes anyone may open; personal links are keys (tested in their apps), not organiser pages.
PUBLIC = {
    "health", "api:openapi-json", "api:openapi-view", "api:api-root", "admin:login", "admin:logout",
    "admin:password_reset", "admin:view_on_site", "admin:javascript-catalog",
    "events:upcoming", "events:past", "events:feed", "events:detail", "events:ics",
    "registrations:register", "registrations:manage", "registrations:cancel", "registrations:consent",
    "registrations:reconfirm",
    "ideas:event_ideas", "ideas:plenum", "ideas:plenum_ideas", "ideas:table", "ideas:preference",
    "ideas:stop_updates", "ideas:working_groups", "ideas:working_group",
    "ideas:moderated:page", "ideas:moderated:edit", "ideas:moderated:plenum", "ideas:moderated:merge",
    "events:privacy", "events:imprint", "events:accessibility",
    "privacy:request", "privacy:erased", "privacy:data", "privacy:download", "privacy:erase",
    "streaming:stream", "streaming:access", "zoom_webhook",
}  # fmt: skip

# Pages every organiser may open (they list only the organiser's own things): anonymous is refused.
STAFF_WIDE = {
    "staff:dashboard": lambda w: [],
    "intake:inbox": lambda w: [],
    "streaming:organiser_overview": lambda w: [],
    "admin:index": lambda w: [],
    "admin:jsi18n": lambda w: [],
    "admin:password_change_done": lambda w: [],
    # Backlogs are public pages; their downloads are for leads and every organiser.
    "ideas:working_group_export": lambda w: [w.working_group.slug, "csv"],
}


def event_routes(w) -> dict:
    slug = w.event.slug
    return {
        "staff:event": [slug],
        "staff:release": [slug, "onsite"],
        "staff:allocate": [slug],
        "staff:phone": [slug],
        "staff:registrations": [slug],
        "staff:export": [slug],
        "staff:registration": [slug, w.registration.pk],
        "staff:cancel": [slug, w.registration.pk],
        "staff:revoke_links": [slug, w.registration.pk],
        "intake:mail": [w.intake_mail.pk],
        "intake:assign": [w.intake_mail.pk],
        "ideas:event_export": [slug, "csv"],
        "ideas:organise": [slug],
        "ideas:add_group": [slug],
        "ideas:add_moderator": [slug, w.group.pk],
        "ideas:poster": [slug, w.group.pk],
        "ideas:poster_qr": [slug, w.group.pk],
        "ideas:renew_poster": [slug, w.group.pk],
        "ideas:renew_moderator": [slug, w.moderator.pk],
        "ideas:revoke_moderator": [slug, w.moderator.pk],
        "ideas:members": [slug],
        "ideas:distribute": [slug],
        "ideas:sort_idea": [slug, w.idea.pk],
        "ideas:merge": [slug],
        "ideas:organised:page": [w.group.pk],
        "ideas:organised:edit": [w.group.pk, w.idea.pk],
        "ideas:organised:plenum": [w.group.pk, w.idea.pk],
        "ideas:organised:merge": [w.group.pk, w.idea.pk],
        "ideas:backlog": [w.working_group.slug],
        "ideas:add_item": [w.working_group.slug],
        "ideas:update_item": [w.working_group.slug, w.item.pk],
        "ideas:leads": [w.working_group.slug],
        "checkin:page": [slug],
        "checkin:search": [slug],
        "checkin:walk_in": [slug],
        "checkin:person": [slug, w.registration.pk],
        "outbox:list": [slug],
        "outbox:source": [slug, w.mail.pk],
        "outbox:resend": [slug, w.mail.pk],
        "outbox:write": [slug],
        "outbox:message": [slug, w.bulk.pk],
        "outbox:call_list": [slug],
        "outbox:access_data": [slug],
        "outbox:cancel_event": [slug],
        "outbox:move_event": [slug],
        "outbox:postpone_event": [slug],
        "streaming:organiser_event": [slug],
        "streaming:sync_now": [slug],
        "streaming:start_as_host": [slug],
        "streaming:update_livestream": [slug],
    }


def admin_objects(w) -> list:
    """An object of the event for every team-scoped model in the admin."""
    return [w.event, w.event.current_terms(), w.audit, w.group, w.idea]


# Shared by all organisers by design (ideas/admin.py, events/admin.py): read-only working groups
# and their backlogs, which are public pages anyway, and venues.
ADMIN_SHARED = {"workinggroup", "backlogitem", "venue"}
# Legal pages are the city's, edited by superusers only. The streaming models use TeamScopedAdmin
# (streaming/admin.py) like the event's own; this world builds no Zoom objects yet, so they are
# not walked here; tests/streaming covers their organiser pages.
ADMIN_NOT_WALKED = {"legalpage", "zoommeeting", "zoomregistrant", "attendance", "livestream", "interpreter"}


def route_names(patterns, namespace="") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            names |= route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


ADMIN_MODEL_ROUTE = ("_changelist", "_add", "_history", "_delete", "_change", "app_list", "autocomplete")


@pytest.fixture
def world(db):
    return build_world()


def client_of(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def is_refused(response) -> bool:
    if response.status_code in (401, 403, 404, 405):
        return True
    if response.status_code == 302:
        location = urlsplit(response["Location"]).path
        return location.rstrip("/").endswith(("/admin/login", "/admin")) or "login" in location
    return False


def assert_refused(client, url: str, *, world):
    """GET and POST are both refused, at least one of them not merely for its method, and
    nothing about the registrant leaks or changes."""
    audit_before = AuditEntry.objects.count()
    statuses = []
    for method in (client.get, client.post):
        response = method(url)
        assert is_refused(response), f"{method.__name__.upper()} {url}: {response.status_code}"
        assert REGISTRANT.encode() not in response.content, url
        statuses.append(response.status_code)
    assert statuses != [405, 405], url
    assert AuditEntry.objects.count() == audit_before, url
    assert Registration.objects.filter(pk=world.registration.pk, status=world.registration.status).exists()


def test_every_route_is_classified(world):
    classified = PUBLIC | set(STAFF_WIDE) | set(event_routes(world))
    missing = {
        name
        for name in route_names(get_resolver().url_patterns)
        if name not in classified and not name.startswith("api:") and not name.endswith(ADMIN_MODEL_ROUTE)
    }
    assert not missing, f"classify these routes in this test: {sorted(missing)}"


def test_the_event_team_gets_into_every_organiser_page(world):
    client = client_of(world.organiser)
    for name, args in event_routes(world).items():
        response = client.get(reverse(name, args=args))
        let_in = response.status_code in (200, 405) or (response.status_code == 302 and not is_refused(response))
        assert let_in, f"{name}: {response.status_code}"


@pytest.mark.parametrize("actor", ["outsider", "anonymous"])
def test_another_team_and_anonymous_are_refused_on_every_organiser_page(world, actor):
    client = client_of(world.outsider if actor == "outsider" else None)
    for name, args in event_routes(world).items():
        assert_refused(client, reverse(name, args=args), world=world)


def test_pages_for_every_organiser_refuse_anonymous_and_show_others_nothing_of_the_event(world):
    anonymous, outsider = client_of(None), client_of(world.outsider)
    for name, args in STAFF_WIDE.items():
        url = reverse(name, args=args(world))
        assert_refused(anonymous, url, world=world)
        assert REGISTRANT.encode() not in outsider.get(url).content, url


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_admin_pages_of_the_event_refuse_another_team_and_anonymous(world, view):
    owner, outsider, anonymous = client_of(world.organiser), client_of(world.outsider), client_of(None)
    objects = admin_objects(world)
    scoped = {type(obj)._meta.model_name for obj in objects}
    unscoped = {model._meta.model_name for model in admin.site._registry} - scoped
    allowed = ADMIN_SHARED | ADMIN_NOT_WALKED | {"user", "group", "dbtaskresult"}
    assert unscoped <= allowed, f"add an object of {unscoped - allowed} here"
    for obj in objects:
        opts = obj._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])
        if view != "delete":
            assert owner.get(url).status_code == 200, url
        for client in (outsider, anonymous):
            response = client.get(url)
            assert is_refused(response), f"{url}: {response.status_code}"
            assert str(obj).encode() not in response.content or view == "delete", url


def api_operations():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def filled(path: str, w) -> str:
    values = {
        "{slug}": w.event.slug,
        "{registration_id}": str(w.registration.pk),
        "{group_id}": str(w.group.pk),
        "{idea_id}": str(w.idea.pk),
        "{item_id}": str(w.item.pk),
    }
    if path.startswith("/api/working-groups/{slug}") or path.startswith("/api/backlog"):
        values["{slug}"] = w.working_group.slug
    for placeholder, value in values.items():
        path = path.replace(placeholder, value)
    assert "{" not in path, path
    return path


def valid_bodies(w) -> dict:
    """Well-formed bodies, so that a refusal is about who asks and not about what they send."""
    return {
        "/api/events/{slug}/check-in": {"ticket": w.registration.ticket_code},
        "/api/events/{slug}/walk-ins": {"name": "Eindringling", "accept_terms": True, "broadcast_consent": True},
        "/api/events/{slug}/groups": {"name": "Eindringlinge"},
        "/api/groups/{group_id}/ideas": {"title": "Eingeschleust"},
        "/api/ideas/{idea_id}/working-group": {"working_group": w.working_group.slug},
        "/api/working-groups/{slug}/leads": {"leads": ["orga-nachbar"]},
        "/api/working-groups/{slug}/items": {"title": "Eingeschleust", "idea_ids": [w.idea.pk]},
    }


# Writing operations open to citizens (with a rate limit), or to every organiser by design.
OPEN_WRITES = {("post", "/api/events/{slug}/registrations"), ("post", "/api/events"), ("post", "/api/working-groups")}


# Working groups span events; every organiser may found one and name its leads
# (ideas/services/working_groups.py). Anonymous callers are still refused.
ORGANISER_WIDE = {"/api/events", "/api/working-groups", "/api/working-groups/{slug}/leads"}


@pytest.mark.parametrize("actor", ["outsider", "anonymous"])
def test_every_api_write_and_organiser_read_refuses_another_team_and_anonymous(world, actor):
    headers = {"Authorization": f"Bearer {world.outsider_token}"} if actor == "outsider" else {}
    checked = 0
    for path, method, operation in api_operations():
        needs_organiser = bool(operation.get("security")) and not any(
            "OptionalOrganiserBearer" in scheme for scheme in map(str, operation["security"])
        )
        if (method, path) in OPEN_WRITES or (method == "get" and not needs_organiser):
            continue
        if actor == "outsider" and path in ORGANISER_WIDE:
            continue
        before = AuditEntry.objects.count()
        body = json.dumps(valid_bodies(world).get(path, {}))
        response = Client().generic(
            method.upper(), filled(path, world), data=body, content_type="application/json", headers=headers
        )
        assert response.status_code in (401, 403, 404), f"{method} {path}: {response.status_code} {response.text}"
        assert AuditEntry.objects.count() == before
        assert REGISTRANT not in response.text
        checked += 1
    assert checked >= 10
