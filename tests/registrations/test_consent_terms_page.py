"""The team edits an event's consent texts; a change is a new version, and agreements keep theirs."""

from datetime import timedelta

import pytest
from django.urls import reverse

from events.models import AuditEntry, ConsentTerms, EventMember, Role
from registrations.models import ConsentRecord
from tests.factories import make_user
from tests.registrations.staff_helpers import client_of, enter

pytest_plugins = ["tests.registrations.staff_fixtures"]
pytestmark = pytest.mark.usefixtures("staff_english")


def page_url(event) -> str:
    return reverse("staff:consent_terms", args=[event.slug])


def texts(**overrides) -> dict:
    return {
        "text_de": "Neue Bedingungen.",
        "text_en": "New terms.",
        "broadcast_consent_required": "on",
        "broadcast_text_de": "Ich darf gefilmt werden.",
        "broadcast_text_en": "I may be filmed.",
        **overrides,
    }


def test_a_change_makes_a_new_version_and_earlier_registrations_keep_theirs(
    staff_client, staff_event, staff_now, staff_organiser, client
):
    erika = enter(staff_event, "Erika", at=staff_now - timedelta(hours=1))
    first = staff_event.current_terms()

    response = staff_client.post(page_url(staff_event), texts())

    assert response.status_code == 302
    staff_event.forget_terms()
    current = staff_event.current_terms()
    assert (current.version, current.text_de, current.broadcast_text_en) == (
        first.version + 1,
        "Neue Bedingungen.",
        "I may be filmed.",
    )
    assert ConsentTerms.objects.get(pk=first.pk).text_de == first.text_de  # never edited in place
    assert erika.consents.get(kind="terms").terms_version == first.version
    entry = AuditEntry.objects.get(action="terms.changed")
    assert (entry.actor, entry.data["version"]) == (staff_organiser, current.version)

    otto = enter(staff_event, "Otto", at=staff_now)
    assert otto.consents.get(kind="terms").terms_version == current.version
    page = staff_client.get(page_url(staff_event)).content.decode()
    assert "Version 2: 1 registration" in page and "Version 1: 1 registration" in page
    assert reverse("staff:registration", args=[staff_event.slug, erika.pk]) in page
    public = client.get(staff_event.get_absolute_url()).content.decode()
    assert "New terms." in public and f"Version {current.version} of the terms." in public


def test_the_same_texts_again_make_no_version(staff_client, staff_event):
    staff_client.post(page_url(staff_event), texts())
    staff_client.post(page_url(staff_event), texts())
    assert staff_event.consent_terms.count() == 2
    assert AuditEntry.objects.filter(action="terms.changed").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"text_de": "  "}, "text_de"), ({"broadcast_text_de": ""}, "broadcast_text_de")],
)
def test_missing_german_texts_are_refused_at_the_field_with_the_entry_kept(staff_client, staff_event, overrides, field):
    response = staff_client.post(page_url(staff_event), texts(text_en="Kept.", **overrides))

    assert response.status_code == 422
    assert response.context["form"].errors[field]
    assert response.context["form"]["text_en"].value() == "Kept."
    assert staff_event.consent_terms.count() == 1
    assert not AuditEntry.objects.filter(action="terms.changed").exists()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CHECK_IN, Role.MODERATOR])
def test_roles_without_manage_may_not_change_the_texts(staff_event, role):
    member = make_user(f"member-{role}")
    EventMember.objects.create(event=staff_event, user=member, role=role)
    client = client_of(member)
    assert client.get(page_url(staff_event)).status_code == 403
    assert client.post(page_url(staff_event), texts()).status_code == 403
    assert staff_event.consent_terms.count() == 1


def test_another_team_gets_404_and_anonymous_the_login(staff_event, staff_outsider):
    assert client_of(staff_outsider).post(page_url(staff_event), texts()).status_code == 404
    assert client_of(None).post(page_url(staff_event), texts()).status_code == 302
    assert staff_event.consent_terms.count() == 1
    assert not ConsentRecord.objects.exists()
