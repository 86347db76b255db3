"""Who names a working group's leads: its founding team (the organiser who founded it and the
leads in office) and city admins; an organiser of another team's event, however busy, may not
take the group over (findings M4)."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission

from events.models import AuditEntry
from ideas.models import WorkingGroup
from tests.factories import bearer, issue_token, make_user

pytestmark = pytest.mark.django_db


def put_leads(api, working_group, usernames, token=None):
    return api.put(
        f"/api/working-groups/{working_group.slug}/leads",
        {"leads": usernames},
        content_type="application/json",
        headers=bearer(token) if token else {},
    )


@pytest.fixture
def successor(db):
    return make_user("nachfolge", staff=False)


@pytest.fixture
def city_admin(db):
    admin = make_user("zentrale")
    admin.user_permissions.add(Permission.objects.get(codename="manage_all_events"))
    return admin


def test_the_founder_is_recorded_and_names_the_leads(api, organiser, lead, working_group, successor):
    assert working_group.founded_by == organiser

    response = put_leads(api, working_group, [successor.username, organiser.username], issue_token(organiser))

    assert (response.status_code, response.json()["leads"]) == (200, ["nachfolge", "organiserin"])


def test_the_founder_names_leads_even_after_handing_the_lead_on(api, organiser, working_group, successor):
    working_group.leads.set([successor])

    response = put_leads(api, working_group, [organiser.username], issue_token(organiser))

    assert response.status_code == 200
    assert list(working_group.leads.all()) == [organiser]


def test_an_organiser_of_another_teams_event_cannot_take_the_group_over(
    api, other_organiser, other_event, lead, working_group
):
    response = put_leads(api, working_group, [other_organiser.username], issue_token(other_organiser))

    assert (response.status_code, response.json()["code"]) == (403, "not_working_group_lead")
    assert list(working_group.leads.all().order_by("username")) == [lead, working_group.founded_by]
    assert not AuditEntry.objects.filter(action="working_group.leads_changed").exists()


def test_a_staff_account_in_no_team_cannot_take_the_group_over(api, working_group):
    newcomer = make_user("neu-im-haus")

    response = put_leads(api, working_group, [newcomer.username], issue_token(newcomer))

    assert (response.status_code, response.json()["code"]) == (403, "not_working_group_lead")


def test_a_city_admin_names_the_leads_of_any_group(api, city_admin, working_group, successor):
    response = put_leads(api, working_group, [successor.username], issue_token(city_admin))

    assert response.status_code == 200
    assert list(working_group.leads.all()) == [successor]


def test_an_anonymous_caller_is_refused(api, working_group, successor):
    response = put_leads(api, working_group, [successor.username])

    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_a_deactivated_founder_names_no_leads(organiser, working_group, successor, now):
    from core.errors import PermissionDenied
    from ideas import services

    working_group.leads.set([successor])
    organiser.is_active = False
    organiser.save()

    with pytest.raises(PermissionDenied):
        services.set_leads(working_group, [organiser], actor=organiser, now=now)


def test_the_leads_page_refuses_an_organiser_of_another_team(other_organiser, other_event, working_group, successor):
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(other_organiser)

    response = client.post(reverse("ideas:leads", args=[working_group.slug]), {"leads": [successor.pk]}, follow=False)

    assert response.status_code == 403
    assert successor not in working_group.leads.all()


def test_groups_founded_before_the_field_get_their_founder_from_the_audit(organiser, working_group):
    WorkingGroup.objects.update(founded_by=None)
    migration = importlib.import_module("ideas.migrations.0003_working_group_founder")

    migration.founders_from_the_audit(apps, None)

    working_group.refresh_from_db()
    assert working_group.founded_by == organiser
