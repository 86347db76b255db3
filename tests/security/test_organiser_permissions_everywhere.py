"""Every organiser route, found through the URL resolver and the OpenAPI schema, refuses the
organiser of another event and anonymous visitors; the organiser of the event gets in.

A new route fails `test_every_route_is_classified` until it is added to one of the tables
below, so that no organiser page is forgotten."""

import json
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config.api import api
from events.access import Capability
from events.models import CITY_ADMIN_PERMISSION, AuditEntry, EventMember, Role
from processes.results import ItemAccount, ResultData, SectionData, account_for_item, add_section, save_result
from processes.services import PhaseData, ProcessData, add_phase, create_process
from registrations.models import Registration
from registrations.team import services as team
from tests.factories import bearer
from tests.registrations.staff_helpers import client_of
from tests.security.world import REGISTRANT, build_world, organiser_with_token

# Routes anyone may open; personal links are keys (tested in their apps), not organiser pages.
PUBLIC = {
    "health",
    "api:openapi-json",
    "api:openapi-view",
    "api:api-root",
    "admin:login",
    "admin:logout",
    # The organisers' own login and logout (registrations/staff/login.py).
    "staff:login",
    "staff:logout",
    "admin:password_reset",
    "admin:view_on_site",
    "admin:javascript-catalog",
    "events:upcoming",
    "events:past",
    "events:feed",
    "events:detail",
    "events:ics",
    "registrations:register",
    "registrations:received",
    # "I can't find my link" (tests/registrations/test_lost_links.py).
    "registrations:lost_links",
    "registrations:lost_links_sent",
    "registrations:manage",
    "registrations:cancel",
    "registrations:consent",
    "registrations:change",
    "registrations:switch",
    "registrations:details",
    # The e-mail change from the personal page and its confirmation link (tests/registrations/test_email_change.py).
    "registrations:email_change",
    "registrations:confirm_email",
    "registrations:reconfirm",
    # The link that confirms a new address (tests/registrations/test_address_change.py).
    "ideas:event_ideas",
    # An approved idea's own page (drafts' ideas for their team: tests/ideas/test_idea_page.py).
    "ideas:idea",
    "ideas:plenum",
    "ideas:plenum_ideas",
    "ideas:plenum_presentation",
    "ideas:table",
    # The live channel, for anyone (tests/ideas/test_live_channel.py).
    "ideas:live",
    "ideas:live_qr",
    "ideas:preference",
    "ideas:stop_updates",
    "ideas:working_groups",
    "ideas:working_group",
    "ideas:moderated:page",
    "ideas:moderated:edit",
    "ideas:moderated:plenum",
    "ideas:moderated:merge",
    # The moderation queue by a moderator's signed link (tests/ideas/test_moderation.py).
    "ideas:moderator_queue:queue",
    "ideas:moderator_queue:approve",
    "ideas:moderator_queue:reword",
    "ideas:moderator_queue:merge",
    "ideas:moderator_queue:hide",
    "ideas:moderator_queue:report",
    "events:privacy",
    "events:imprint",
    "events:accessibility",
    "events:easy_language",
    "events:sign_language",
    "ideas:vote",
    "ideas:vote_qr",
    "ideas:personal_vote",
    "privacy:request",
    "privacy:erased",
    "privacy:data",
    "privacy:download",
    "privacy:erase",
    "streaming:stream",
    "streaming:access",
    "zoom_webhook",
    "staff:accept_invitation",
    "reports:answer",
    # A process's public pages, feed, frame and open data (draft processes: tests/processes).
    "processes:list",
    "processes:detail",
    "processes:feed",
    "processes:embed",
    "processes:open_data",
    "processes:open_data_csv",
    # Joining and following: a form, and signed links (tests/processes/test_participation.py).
    "processes:follow",
    "processes:join",
    "processes:confirm",
    "processes:leave",
    # The published result and its PDF (drafts for the team only: tests/processes/test_results.py).
    "processes:result",
    "processes:result_pdf",
    # Live questions and polls for everyone, and the registration's live link (tests/live).
    "live:page",
    "live:state",
    "live:questions",
    "live:upvote",
    "live:answer_poll",
    "live:panel",
    "live:personal",
}

# Pages every organiser may open (they list only the organiser's own things): anonymous is refused.
STAFF_WIDE = {
    "staff:dashboard": lambda w: [],
    # Creating an event needs no event; who may is `access.organises_any_event` (tests/registrations).
    "staff:new_event": lambda w: [],
    "intake:inbox": lambda w: [],
    "streaming:organiser_overview": lambda w: [],
    "admin:index": lambda w: [],
    "admin:jsi18n": lambda w: [],
    "admin:password_change_done": lambda w: [],
    # Backlogs are public pages; their downloads are for leads and every organiser.
    "ideas:working_group_export": lambda w: [w.working_group.slug, "csv"],
    # Reports across events count only the organiser's own events (reports/attendance.py).
    "reports:period": lambda w: [],
    "reports:period_csv": lambda w: [],
    # Processes list only those whose team the user is in; creating one is `organises_any_event`.
    "processes:staff_list": lambda w: [],
    "processes:new": lambda w: [],
    # A working group's members, for its leads and city admins (404 for everyone else).
    "processes:members": lambda w: [w.working_group.slug],
}


def process_routes(w) -> dict:
    """The pages of a process's team (processes/access.py): the event's organiser is in its team."""
    slug = w.process.slug
    return {
        "processes:edit": [slug],
        "processes:add_phase": [slug],
        "processes:remove_phase": [slug, w.phase.pk],
        "processes:link_event": [slug],
        "processes:unlink_event": [slug, w.event.slug],
        "processes:link_working_group": [slug],
        "processes:unlink_working_group": [slug, w.working_group.slug],
        "processes:invite_members": [slug, w.working_group.slug],
        "processes:remove_head_start": [slug, w.working_group.slug, w.event.slug],
        "processes:result_editor": [slug],
        "processes:add_section": [slug],
        "processes:remove_section": [slug, w.section.pk],
        "processes:account_item": [slug, w.section.pk],
        "processes:unlink_item": [slug, w.section_item.pk],
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
        "staff:switch": [slug, w.registration.pk],
        "staff:revoke_links": [slug, w.registration.pk],
        "staff:edit_registration": [slug, w.registration.pk],
        "staff:resend_confirmation": [slug, w.registration.pk],
        "staff:consent_terms": [slug],
        "staff:questions": [slug],
        "staff:edit": [slug],
        "staff:edit_section": [slug, "grunddaten"],
        "staff:publish": [slug],
        "staff:unpublish": [slug],
        "staff:copy": [slug],
        "staff:series": [slug],
        "staff:question": [slug, w.question.pk],
        "staff:question_move": [slug, w.question.pk],
        "staff:question_delete": [slug, w.question.pk],
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
        "ideas:place_live_idea": [slug, w.idea.pk],
        "ideas:merge": [slug],
        "ideas:voting_settings": [slug],
        "ideas:voting_state": [slug],
        "ideas:event_queue:queue": [slug],
        "ideas:event_queue:approve": [slug, w.idea.pk],
        "ideas:event_queue:reword": [slug, w.idea.pk],
        "ideas:event_queue:merge": [slug, w.idea.pk],
        "ideas:event_queue:hide": [slug, w.idea.pk],
        "ideas:event_queue:report": [slug, w.idea.pk],
        "ideas:moderation_mode": [slug],
        "ideas:organised:page": [w.group.pk],
        "ideas:organised:edit": [w.group.pk, w.idea.pk],
        "ideas:organised:plenum": [w.group.pk, w.idea.pk],
        "ideas:organised:merge": [w.group.pk, w.idea.pk],
        "ideas:backlog": [w.working_group.slug],
        "ideas:add_item": [w.working_group.slug],
        "ideas:update_item": [w.working_group.slug, w.item.pk],
        "ideas:leads": [w.working_group.slug],
        "ideas:backlog_board": [w.working_group.slug],
        "ideas:move_item": [w.working_group.slug, w.item.pk],
        "checkin:page": [slug],
        "checkin:search": [slug],
        "checkin:walk_in": [slug],
        "checkin:person": [slug, w.registration.pk],
        "checkin:guests": [slug],
        "checkin:guest_check_in": [slug, w.registration.pk],
        "checkin:check_out": [slug, w.registration.pk],
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
        "staff:team": [slug],
        "staff:team_role": [slug, w.organiser.pk],
        "staff:team_remove": [slug, w.organiser.pk],
        "staff:team_withdraw": [slug, w.invitation.pk],
        "reports:event": [slug],
        "reports:event_csv": [slug],
        "reports:survey": [slug],
        "reports:add_question": [slug],
        "reports:remove_question": [slug, 1],
        "reports:send_survey": [slug],
        "reports:survey_csv": [slug],
        "live:desk": [slug],
        "live:approve": [slug, 1],
        "live:hide": [slug, 1],
        "live:show": [slug, 1],
        "live:answer": [slug, 1],
        "live:new_poll": [slug],
        "live:open_poll": [slug, 1],
        "live:close_poll": [slug, 1],
        "live:protocol": [slug],
        "live:protocol_csv": [slug],
    }


def admin_objects(w) -> list:
    """An object of the event for every team-scoped model in the admin."""
    return [w.event, w.event.current_terms(), w.audit, w.group, w.idea, w.question]


# Shared by all organisers by design (ideas/admin.py, events/admin.py): read-only working groups
# and their backlogs, which are public pages anyway, and venues.
ADMIN_SHARED = {"workinggroup", "backlogitem", "venue"}
# Legal pages are the city's, edited by superusers only. The streaming models use TeamScopedAdmin
# (streaming/admin.py) like the event's own; this world builds no Zoom objects yet, so they are
# not walked here; tests/streaming covers their organiser pages.
ADMIN_NOT_WALKED = {"legalpage", "zoommeeting", "zoomregistrant", "attendance", "livestream", "interpreter"}
# django-axes' failed logins (config/login.py): for the city's admins only, no team sees them.
ADMIN_CITY_ONLY = {"accessattempt", "accesslog", "accessfailurelog"}


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
    w = build_world()
    w.invitation = team.invite(w.event, "neu@stadt.example", "viewer", actor=w.organiser, now=w.now).invitation
    w.process = create_process(ProcessData(slug="dialog", title_de="Dialog"), actor=w.organiser, now=w.now)
    w.phase = add_phase(w.process, PhaseData("Auftakt", w.now.date(), w.now.date()), actor=w.organiser, now=w.now)
    w.process.events.add(w.event)
    w.process.working_groups.add(w.working_group)
    result = save_result(w.process, ResultData("Konzept"), actor=w.organiser, now=w.now)
    w.section = add_section(result, SectionData("Teil 1"), actor=w.organiser, now=w.now)
    w.section_item = account_for_item(w.section, ItemAccount(w.item, "adopted"), actor=w.organiser, now=w.now)
    return w


def is_refused(response) -> bool:
    if response.status_code in (401, 403, 404, 405):
        return True
    if response.status_code == 302:
        location = urlsplit(response["Location"]).path
        login_pages = ("/admin/login", "/admin", "/organisation/anmelden")
        return location.rstrip("/").endswith(login_pages) or "login" in location
    return False


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


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
    classified = PUBLIC | set(STAFF_WIDE) | set(event_routes(world)) | set(process_routes(world))
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


def test_the_process_team_gets_into_its_pages_and_everyone_else_is_refused(world):
    team_member = client_of(world.organiser)
    for name, args in process_routes(world).items():
        response = team_member.get(reverse(name, args=args))
        let_in = response.status_code in (200, 405) or (response.status_code == 302 and not is_refused(response))
        assert let_in, f"{name}: {response.status_code}"
    for client in (client_of(world.outsider), client_of(None)):
        for name, args in process_routes(world).items():
            assert_refused(client, reverse(name, args=args), world=world)


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
        assert REGISTRANT.encode() not in body_of(outsider.get(url)), url


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_admin_pages_of_the_event_refuse_another_team_and_anonymous(world, view):
    owner, outsider, anonymous = client_of(world.organiser), client_of(world.outsider), client_of(None)
    objects = admin_objects(world)
    scoped = {type(obj)._meta.model_name for obj in objects}
    unscoped = {model._meta.model_name for model in admin.site._registry} - scoped
    allowed = ADMIN_SHARED | ADMIN_NOT_WALKED | ADMIN_CITY_ONLY | {"user", "group", "dbtaskresult"}
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


@pytest.mark.parametrize("model", sorted(ADMIN_CITY_ONLY))
def test_failed_logins_in_the_admin_are_for_city_admins_only(world, model):
    url = reverse(f"admin:axes_{model}_changelist")
    for client in (client_of(world.organiser), client_of(world.outsider), client_of(None)):
        assert is_refused(client.get(url)), url


def api_operations():
    """Every operation of the schema; deletions last, so that what they delete is there for the rest."""
    schema = api.get_openapi_schema()
    operations = [
        (path, method, operation) for path, methods in schema["paths"].items() for method, operation in methods.items()
    ]
    return sorted(operations, key=lambda found: found[1] == "delete")


def filled(path: str, w) -> str:
    values = {
        "{slug}": w.event.slug,
        "{registration_id}": str(w.registration.pk),
        "{group_id}": str(w.group.pk),
        "{idea_id}": str(w.idea.pk),
        "{item_id}": str(w.item.pk),
        # Voting by personal link: a citizen's key, tested in tests/ideas; here a forged one.
        "{token}": "not-a-valid-link",
        "{question_id}": str(w.question.pk),
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
        "/api/events/{slug}/check-out": {"ticket": w.registration.ticket_code},
        "/api/registrations/{registration_id}/switch": {"seat": "online", "join_waiting_list": True},
        "/api/registrations/{registration_id}": {"name": "Eingeschleust"},
        "/api/events/{slug}/walk-ins": {"name": "Eindringling", "accept_terms": True, "broadcast_consent": True},
        "/api/events/{slug}/groups": {"name": "Eindringlinge"},
        "/api/groups/{group_id}/ideas": {"title": "Eingeschleust"},
        "/api/ideas/{idea_id}/working-group": {"working_group": w.working_group.slug},
        "/api/working-groups/{slug}/leads": {"leads": ["orga-nachbar"]},
        "/api/working-groups/{slug}/items": {"title": "Eingeschleust", "idea_ids": [w.idea.pk]},
        "/api/events/{slug}/plenum/voting": {"dots_per_voter": 3, "is_open": True},
        "/api/plenum/votes/{token}/dots": {"idea_id": w.idea.pk},
        "/api/events/{slug}/questions": {"kind": "text", "label": "Eingeschleust?"},
        "/api/events/{slug}/questions/{question_id}": {"kind": "text", "label": "Eingeschleust?"},
        "/api/events/{slug}/questions/{question_id}/move": {"by": 1},
    }


# Writing operations open to citizens (with a rate limit), or to every organiser by design.
OPEN_WRITES = {("post", "/api/events/{slug}/registrations"), ("post", "/api/events"), ("post", "/api/working-groups")}
# A voter's personal token is the key to these, as a manage link is (tests/ideas/test_voting*.py).
OPEN_WRITES |= {("post", "/api/plenum/votes/{token}/dots"), ("delete", "/api/plenum/votes/{token}/dots/{idea_id}")}


# Working groups span events; every organiser may found one (ideas/services/working_groups.py),
# but only its founding team names its leads. Anonymous callers are still refused.
ORGANISER_WIDE = {"/api/events", "/api/working-groups"}


@pytest.mark.parametrize("actor", ["outsider", "anonymous"])
def test_every_api_write_and_organiser_read_refuses_another_team_and_anonymous(world, actor):
    headers = bearer(world.outsider_token) if actor == "outsider" else {}
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


# ---------------------------------------------------------------------------------------------
# Roles: every organiser route, admin page and API operation, for every role (docs/roles.md).

ROLES = ["organiser", "check_in", "moderator", "viewer", "outsider", "anonymous", "city_admin"]
C = Capability

# What each event route needs; every other one needs `manage`. Working-group routes belong to
# its leads, not to an event's roles.
ROUTE_CAPABILITY = {
    "staff:event": C.VIEW_COUNTS,
    "staff:registrations": C.PERSONAL_DATA,
    "staff:export": C.PERSONAL_DATA,
    "staff:registration": C.PERSONAL_DATA,
    "checkin:page": C.CHECK_IN,
    "checkin:search": C.CHECK_IN,
    "checkin:person": C.CHECK_IN,
    "checkin:walk_in": C.CHECK_IN,
    "checkin:guests": C.CHECK_IN,
    "checkin:guest_check_in": C.CHECK_IN,
    "checkin:check_out": C.CHECK_IN,
    "ideas:event_export": C.MODERATE,
    "ideas:organise": C.MODERATE,
    "ideas:add_group": C.MODERATE,
    "ideas:add_moderator": C.MODERATE,
    "ideas:poster": C.MODERATE,
    "ideas:poster_qr": C.MODERATE,
    "ideas:renew_poster": C.MODERATE,
    "ideas:renew_moderator": C.MODERATE,
    "ideas:revoke_moderator": C.MODERATE,
    "ideas:members": C.MODERATE,
    "ideas:distribute": C.MODERATE,
    "ideas:merge": C.MODERATE,
    "ideas:organised:page": C.MODERATE,
    "ideas:organised:edit": C.MODERATE,
    "ideas:organised:plenum": C.MODERATE,
    "ideas:organised:merge": C.MODERATE,
    "ideas:voting_state": C.MODERATE,
    "ideas:event_queue:queue": C.MODERATE,
    "ideas:event_queue:approve": C.MODERATE,
    "ideas:event_queue:reword": C.MODERATE,
    "ideas:event_queue:merge": C.MODERATE,
    "ideas:event_queue:hide": C.MODERATE,
    "ideas:event_queue:report": C.MODERATE,
    "ideas:moderation_mode": C.MODERATE,
    "ideas:place_live_idea": C.MODERATE,
    "live:desk": C.MODERATE,
    "live:approve": C.MODERATE,
    "live:hide": C.MODERATE,
    "live:show": C.MODERATE,
    "live:answer": C.MODERATE,
    "live:new_poll": C.MODERATE,
    "live:open_poll": C.MODERATE,
    "live:close_poll": C.MODERATE,
    "live:protocol": C.MODERATE,
    "live:protocol_csv": C.MODERATE,
    "reports:event": C.VIEW_COUNTS,
    "reports:event_csv": C.PERSONAL_DATA,
}
LEAD_ROUTES = {
    "ideas:backlog",
    "ideas:add_item",
    "ideas:update_item",
    "ideas:leads",
    "ideas:backlog_board",
    "ideas:move_item",
}

API_CAPABILITY = {
    ("patch", "/api/events/{slug}"): C.MANAGE,
    ("get", "/api/events/{slug}/registrations"): C.PERSONAL_DATA,
    ("post", "/api/registrations/{registration_id}/cancel"): C.MANAGE,
    ("post", "/api/events/{slug}/allocate"): C.MANAGE,
    ("post", "/api/events/{slug}/check-in"): C.CHECK_IN,
    ("post", "/api/events/{slug}/walk-ins"): C.CHECK_IN,
    ("post", "/api/events/{slug}/check-out"): C.CHECK_IN,
    ("post", "/api/events/{slug}/groups"): C.MODERATE,
    ("get", "/api/groups/{group_id}/ideas"): C.MODERATE,
    ("post", "/api/groups/{group_id}/ideas"): C.MODERATE,
    ("patch", "/api/ideas/{idea_id}"): C.MODERATE,
    ("post", "/api/ideas/{idea_id}/working-group"): C.MANAGE,
    ("put", "/api/events/{slug}/plenum/voting"): C.MANAGE,
    ("post", "/api/registrations/{registration_id}/switch"): C.MANAGE,
    ("patch", "/api/registrations/{registration_id}"): C.MANAGE,
    ("post", "/api/events/{slug}/questions"): C.MANAGE,
    ("put", "/api/events/{slug}/questions/{question_id}"): C.MANAGE,
    ("delete", "/api/events/{slug}/questions/{question_id}"): C.MANAGE,
    ("post", "/api/events/{slug}/questions/{question_id}/move"): C.MANAGE,
}
# Span events: organisers of any event (and city admins) or a working group's leads.
API_NOT_EVENT_SCOPED = {
    ("post", "/api/events"),
    ("post", "/api/working-groups"),
    ("put", "/api/working-groups/{slug}/leads"),
    ("post", "/api/working-groups/{slug}/leads"),
    ("post", "/api/working-groups/{slug}/items"),
    ("patch", "/api/backlog-items/{item_id}"),
    ("patch", "/api/backlog/{item_id}"),
}
ADMIN_CAPABILITY = {
    "event": C.MANAGE,
    "consentterms": C.MANAGE,
    "auditentry": C.MANAGE,
    "breakoutgroup": C.MODERATE,
    "idea": C.MODERATE,
    "question": C.MANAGE,
}
ROLE_OF_ACTOR = {
    "organiser": Role.ORGANISER,
    "check_in": Role.CHECK_IN,
    "moderator": Role.MODERATOR,
    "viewer": Role.VIEWER,
}


def expected(actor: str, capability: Capability) -> str:
    """What the actor gets: "in", "anonymous" (login page / 401), "not_found" or "forbidden"."""
    if actor == "anonymous":
        return "anonymous"
    if actor == "city_admin":
        return "in"
    if actor == "outsider":
        return "not_found"
    from events.access import CAPABILITIES

    return "in" if capability in CAPABILITIES[ROLE_OF_ACTOR[actor]] else "forbidden"


@pytest.fixture
def actors(world):
    """A user (and API token) per role; members are staff accounts, as an accepted invitation makes them."""
    users = {"organiser": (world.organiser, world.organiser_token), "outsider": (world.outsider, world.outsider_token)}
    for actor, role in ROLE_OF_ACTOR.items():
        if actor != "organiser":
            user, token = organiser_with_token(f"team-{actor}")
            EventMember.objects.create(event=world.event, user=user, role=role)
            users[actor] = (user, token)
    admin_user, admin_token = organiser_with_token("stadt-admin")
    city = Group.objects.create(name="Stadtverwaltung")
    app_label, codename = CITY_ADMIN_PERMISSION.split(".")
    city.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    admin_user.groups.add(city)
    users["city_admin"] = (admin_user, admin_token)
    users["anonymous"] = (None, None)
    return users


@pytest.mark.parametrize("actor", ROLES)
def test_every_organiser_page_answers_each_role_as_the_table_says(world, actors, actor):
    user, _token = actors[actor]
    client = client_of(user)
    for name, args in event_routes(world).items():
        if name in LEAD_ROUTES:
            continue
        want = expected(actor, ROUTE_CAPABILITY.get(name, C.MANAGE))
        url = reverse(name, args=args)
        if want == "in":
            response = client.get(url)
            let_in = response.status_code in (200, 405) or (response.status_code == 302 and not is_refused(response))
            assert let_in, f"{actor} {name}: {response.status_code}"
            continue
        audit_before = AuditEntry.objects.count()
        statuses = [client.get(url), client.post(url)]
        codes = [response.status_code for response in statuses]
        if want == "anonymous":
            assert all(is_refused(response) for response in statuses), f"{actor} {name}: {codes}"
        else:
            status = 404 if want == "not_found" else 403
            assert set(codes) <= {status, 405} and status in codes, f"{actor} {name}: {codes}"
        assert AuditEntry.objects.count() == audit_before, name
        for response in statuses:
            assert REGISTRANT.encode() not in response.content, f"{actor} {name}"


@pytest.mark.parametrize("actor", ROLES)
def test_every_api_operation_answers_each_role_as_the_table_says(world, actors, actor):
    _user, token = actors[actor]
    headers = bearer(token) if token else {}
    for path, method, operation in api_operations():
        if (method, path) in API_NOT_EVENT_SCOPED or (method, path) in OPEN_WRITES:
            continue
        if (method, path) not in API_CAPABILITY:
            assert (method == "get" and not operation.get("security")) or "Optional" in str(operation["security"]), (
                f"classify {method} {path} in API_CAPABILITY"
            )
            continue
        want = expected(actor, API_CAPABILITY[(method, path)])
        before = AuditEntry.objects.count()
        body = json.dumps(valid_bodies(world).get(path, {}))
        response = Client().generic(
            method.upper(), filled(path, world), data=body, content_type="application/json", headers=headers
        )
        where = f"{actor} {method} {path}: {response.status_code} {response.text[:200]}"
        if want == "in":
            assert response.status_code not in (401, 403, 404), where
            continue
        if want == "anonymous":
            assert response.status_code == 401, where
        elif want == "not_found":
            assert response.status_code == 404, where
        else:
            assert (response.status_code, response.json()["code"]) == (403, "forbidden"), where
        assert AuditEntry.objects.count() == before, where
        assert REGISTRANT not in response.text, where


@pytest.mark.parametrize("actor", ROLES)
def test_every_admin_page_of_the_event_answers_each_role_as_the_table_says(world, actors, actor):
    user, _token = actors[actor]
    client = client_of(user)
    request = RequestFactory().get("/")
    request.user = user if user is not None else AnonymousUser()
    for obj in admin_objects(world):
        opts = obj._meta
        want = expected(actor, ADMIN_CAPABILITY[opts.model_name])
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        response = client.get(url)
        if want == "in":
            assert response.status_code == 200, f"{actor} {url}: {response.status_code}"
        else:
            assert is_refused(response), f"{actor} {url}: {response.status_code}"
            assert str(obj).encode() not in response.content, url
        may_change = admin.site._registry[type(obj)].has_change_permission(request, obj)
        organiser_like = actor in ("organiser", "city_admin")
        # Events and their registration questions are changed through services that check the role.
        changeable = opts.model_name in ("event", "question")
        assert may_change == (organiser_like and changeable), f"{actor} may change {opts.model_name}"
