"""The guard of events/access.py: roles mapped to capabilities in one table, 404 outside the
team, 403 for a role without the capability, city admins everywhere; and the migration that
made every former team member an organiser."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from events import access
from events.access import CAPABILITIES, Capability
from events.models import EventMember, Role


@pytest.fixture
def users(db):
    make = get_user_model().objects.create_user
    return {name: make(name, is_staff=True) for name in ("orga", "tuer", "moderation", "zahlen", "nachbar")}


@pytest.fixture
def event(make_event, users):
    event = make_event(team=[users["orga"]])
    for name, role in (("tuer", Role.CHECK_IN), ("moderation", Role.MODERATOR), ("zahlen", Role.VIEWER)):
        EventMember.objects.create(event=event, user=users[name], role=role)
    make_event(team=[users["nachbar"]])
    return event


def test_the_fixtures_team_gives_full_organiser_rights(event, users):
    assert EventMember.objects.get(event=event, user=users["orga"]).role == Role.ORGANISER
    assert access.capabilities_of(users["orga"], event) == frozenset(Capability)
    assert list(access.events_where(users["orga"], Capability.MANAGE)) == [event]


def test_each_role_has_exactly_the_capabilities_of_the_table(event, users):
    assert access.capabilities_of(users["tuer"], event) == {Capability.CHECK_IN}
    assert access.capabilities_of(users["moderation"], event) == {Capability.MODERATE}
    assert access.capabilities_of(users["zahlen"], event) == {Capability.VIEW_COUNTS}
    assert all(Capability.PERSONAL_DATA not in CAPABILITIES[role] for role in Role if role != Role.ORGANISER)


def test_outside_the_team_is_not_found_and_a_narrow_role_is_forbidden(event, users):
    with pytest.raises(access.NotFound):
        access.ensure(users["nachbar"], event, Capability.VIEW_COUNTS)
    with pytest.raises(access.Forbidden) as refusal:
        access.ensure(users["zahlen"], event, Capability.MANAGE)
    assert (refusal.value.status, refusal.value.code) == (403, "forbidden")
    with pytest.raises(access.NotFound):
        access.event_for(users["orga"], "gibt-es-nicht", Capability.VIEW_COUNTS)
    assert access.event_for(users["zahlen"], event.slug, Capability.VIEW_COUNTS) == event


def test_anonymous_and_inactive_users_have_no_capability(event, users):
    from django.contrib.auth.models import AnonymousUser

    users["orga"].is_active = False
    assert access.capabilities_of(users["orga"], event) == frozenset()
    assert access.capabilities_of(AnonymousUser(), event) == frozenset()
    assert not access.events_where(AnonymousUser(), Capability.MANAGE).exists()


def test_events_where_follows_the_roles(event, users):
    assert not access.events_where(users["tuer"], Capability.MANAGE).exists()
    assert list(access.events_where(users["tuer"], Capability.CHECK_IN)) == [event]
    assert list(access.events_of_member(users["zahlen"])) == [event]


def test_superusers_and_holders_of_the_city_permission_manage_every_event(event, users):
    from django.contrib.auth.models import Permission

    boss = get_user_model().objects.create_superuser("chefin", "chefin@stadt.example", "x")
    office = get_user_model().objects.create_user("zentrale", is_staff=True)
    office.user_permissions.add(Permission.objects.get(codename="manage_all_events"))
    for user in (boss, office):
        assert access.capabilities_of(user, event) == frozenset(Capability)
        assert access.events_where(user, Capability.MANAGE).count() == 2


def test_people_invited_for_a_narrow_role_cannot_create_events_or_working_groups(event, users):
    assert access.organises_any_event(users["orga"]) and access.organises_any_event(users["nachbar"])
    assert not access.organises_any_event(users["tuer"])
    newcomer = get_user_model().objects.create_user("neu", is_staff=True)
    assert access.organises_any_event(newcomer)


@pytest.mark.django_db(transaction=True)
def test_the_migration_makes_every_former_team_member_an_organiser():
    executor = MigrationExecutor(connection)
    before, after = [("events", "0006_easy_language_and_sign_language_pages")], [("events", "0007_event_roles")]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    user = old_apps.get_model("auth", "User").objects.create(username="altgedient")
    old_event = old_apps.get_model("events", "Event").objects.create(
        slug="alt",
        title_de="Alt",
        format="online",
        starts_at="2026-01-01T10:00Z",
        ends_at="2026-01-01T12:00Z",
        registration_opens_at="2025-12-01T10:00Z",
        registration_closes_at="2025-12-31T10:00Z",
    )
    old_event.team.add(user)
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new_apps = executor.loader.project_state(after).apps
    members = new_apps.get_model("events", "EventMember").objects.filter(event_id=old_event.pk)
    assert [(m.user_id, m.role) for m in members] == [(user.pk, "organiser")]
    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
