"""An event's team (registrations/team/): invitations by e-mail, accepting them, roles changed
and members removed, an event never without an organiser, all audited (docs/roles.md)."""

import email.policy
from datetime import timedelta
from email import message_from_bytes

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation

from events import access
from events.access import Capability
from events.models import AuditEntry, EventMember, Role
from registrations.models import MailKind, OutboxMail, TeamInvitation
from registrations.team import services as team
from registrations.team.services import token_hash
from tests.factories import make_user
from tests.registrations.staff_helpers import client_of

pytest_plugins = ["tests.registrations.staff_fixtures"]
pytestmark = pytest.mark.usefixtures("staff_english")

GOOD_PASSWORD = "Rathaus-Einlass-2026"


def member(event, username: str, role: str):
    user = make_user(username, email=f"{username}@stadt.example")
    EventMember.objects.create(event=event, user=user, role=role)
    return user


def role_in(event, user) -> str | None:
    return EventMember.objects.filter(event=event, user=user).values_list("role", flat=True).first()


@pytest.fixture
def invited(staff_event, staff_organiser, staff_now):
    return team.invite(staff_event, "Tuer@Stadt.Example", "check_in", actor=staff_organiser, now=staff_now)


def test_an_invitation_keeps_only_the_hash_and_its_link_goes_out_through_the_outbox(invited, staff_event):
    invitation = invited.invitation
    assert invitation.email == "tuer@stadt.example" and invitation.role == Role.CHECK_IN
    assert invitation.token_hash == token_hash(invited.token) != invited.token
    assert not TeamInvitation.objects.filter(token_hash=invited.token).exists()
    mail = OutboxMail.objects.get(kind=MailKind.TEAM_INVITATION)
    assert mail.to == "tuer@stadt.example" and mail.event == staff_event
    text = message_from_bytes(bytes(mail.rendered), policy=email.policy.default).get_content()
    with translation.override("de"):
        assert settings.SITE_URL + reverse("staff:accept_invitation", args=[invited.token]) in text
    entry = AuditEntry.objects.get(action="team.invited")
    assert entry.data == {"email": "tuer@stadt.example", "role": "check_in"}


def test_the_team_page_invites_and_shows_bad_input_again_with_nothing_saved(staff_event, staff_organiser):
    client = client_of(staff_organiser)
    url = reverse("staff:team", args=[staff_event.slug])
    for body in ({"email": "kein-at-zeichen", "role": "viewer"}, {"email": "a@stadt.example", "role": "chef"}, {}):
        response = client.post(url, body)
        assert response.status_code == 422, body
        assert b"Please check your input" in response.content
    assert not TeamInvitation.objects.exists() and not OutboxMail.objects.exists()
    response = client.post(url, {"email": "neu@stadt.example", "role": "moderator"})
    assert response.status_code == 302
    assert TeamInvitation.objects.get().role == Role.MODERATOR
    page = client.get(url)
    assert b"neu@stadt.example" in page.content and b"orga" in page.content


def test_a_member_cannot_be_invited_twice(staff_event, staff_organiser, staff_now):
    response = client_of(staff_organiser).post(
        reverse("staff:team", args=[staff_event.slug]), {"email": staff_organiser.email, "role": "viewer"}
    )
    assert response.status_code == 422 and b"already in the team" in response.content
    assert not TeamInvitation.objects.exists()


def test_only_organisers_invite(staff_event, staff_outsider, staff_now):
    viewer = member(staff_event, "zahlen", Role.VIEWER)
    with pytest.raises(access.Forbidden):
        team.invite(staff_event, "x@stadt.example", "viewer", actor=viewer, now=staff_now)
    with pytest.raises(access.NotFound):
        team.invite(staff_event, "x@stadt.example", "viewer", actor=staff_outsider, now=staff_now)
    assert not TeamInvitation.objects.exists()


def test_an_existing_user_logs_in_with_the_invited_address_and_accepts_once(invited, staff_event):
    user = get_user_model().objects.create_user("tuerdienst", "tuer@stadt.example")
    client = client_of(user)
    url = reverse("staff:accept_invitation", args=[invited.token])
    assert b"as check-in staff" in client.get(url).content
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].endswith(reverse("staff:dashboard"))
    assert role_in(staff_event, user) == Role.CHECK_IN
    user.refresh_from_db()
    assert user.is_staff
    assert AuditEntry.objects.filter(action="team.joined", actor=user).exists()
    again = client.post(url)
    assert again.status_code == 410 and b"already been accepted" in again.content
    assert client.get(reverse("checkin:page", args=[staff_event.slug])).status_code == 200
    assert client.get(reverse("staff:registrations", args=[staff_event.slug])).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in_after_the_dashboard_link_of_the_invitation(invited):
    response = client_of(None).get(reverse("staff:accept_invitation", args=[invited.token]))
    assert response.status_code == 200
    assert b"choose a username and password" in response.content


def test_a_new_person_chooses_a_username_and_password_and_is_in(invited, staff_event):
    client = client_of(None)
    url = reverse("staff:accept_invitation", args=[invited.token])
    response = client.post(url, {"username": "neue-kollegin", "password": GOOD_PASSWORD})
    assert response.status_code == 302
    user = get_user_model().objects.get(username="neue-kollegin")
    assert user.email == "tuer@stadt.example" and user.is_staff and user.check_password(GOOD_PASSWORD)
    assert role_in(staff_event, user) == Role.CHECK_IN
    assert client.get(reverse("checkin:page", args=[staff_event.slug])).status_code == 200


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"username": "neu", "password": "kurz"}, b"too short"),
        ({"username": "orga", "password": GOOD_PASSWORD}, b"This username is taken"),
        ({"username": "leer zeichen!", "password": GOOD_PASSWORD}, b"Enter a valid username"),
        ({"username": "", "password": ""}, b"This field is required"),
    ],
)
def test_bad_account_data_shows_the_form_again_and_creates_nobody(invited, staff_organiser, body, message):
    users_before = get_user_model().objects.count()
    response = client_of(None).post(reverse("staff:accept_invitation", args=[invited.token]), body)
    assert response.status_code == 422 and message in response.content
    assert b"Please check your input" in response.content
    assert get_user_model().objects.count() == users_before
    assert TeamInvitation.objects.get().is_open


def test_the_invitation_of_another_address_is_refused(invited, staff_event):
    stranger = get_user_model().objects.create_user("fremd", "fremd@stadt.example")
    response = client_of(stranger).post(reverse("staff:accept_invitation", args=[invited.token]))
    assert response.status_code == 403 and b"another e-mail address" in response.content
    assert role_in(staff_event, stranger) is None and TeamInvitation.objects.get().is_open


def test_expired_withdrawn_and_forged_links_say_why(invited, staff_organiser, staff_now):
    client = client_of(None)
    forged = client.get(reverse("staff:accept_invitation", args=[invited.token[:-2] + "xx"]))
    assert forged.status_code == 404 and b"not valid" in forged.content
    TeamInvitation.objects.update(expires_at=staff_now - timedelta(seconds=1))
    url = reverse("staff:accept_invitation", args=[invited.token])
    expired = client.post(url, {"username": "spaet", "password": GOOD_PASSWORD})
    assert expired.status_code == 410 and b"expired" in expired.content
    assert not get_user_model().objects.filter(username="spaet").exists()
    TeamInvitation.objects.update(expires_at=staff_now + timedelta(days=1))
    team.withdraw(invited.invitation, actor=staff_organiser, now=staff_now)
    withdrawn = client.get(url)
    assert withdrawn.status_code == 410 and b"withdrawn" in withdrawn.content
    assert AuditEntry.objects.filter(action="team.invitation_withdrawn").exists()


def test_organisers_change_roles_and_remove_members_with_an_audit_line(staff_event, staff_organiser):
    helper = member(staff_event, "helfer", Role.VIEWER)
    client = client_of(staff_organiser)
    client.post(reverse("staff:team_role", args=[staff_event.slug, helper.pk]), {"role": "moderator"})
    assert role_in(staff_event, helper) == Role.MODERATOR
    entry = AuditEntry.objects.get(action="team.role_changed")
    assert entry.data == {"user": helper.pk, "from": "viewer", "to": "moderator"}
    bad = client.post(reverse("staff:team_role", args=[staff_event.slug, helper.pk]), {"role": "chef"})
    assert bad.status_code == 302 and role_in(staff_event, helper) == Role.MODERATOR
    client.post(reverse("staff:team_remove", args=[staff_event.slug, helper.pk]))
    assert role_in(staff_event, helper) is None
    assert AuditEntry.objects.filter(action="team.member_removed", data__user=helper.pk).exists()


def test_the_last_organiser_can_neither_step_down_nor_be_removed(staff_event, staff_organiser, staff_now):
    client = client_of(staff_organiser)
    response = client.post(reverse("staff:team_role", args=[staff_event.slug, staff_organiser.pk]), {"role": "viewer"})
    assert b"at least one organiser" in client.get(response["Location"]).content
    client.post(reverse("staff:team_remove", args=[staff_event.slug, staff_organiser.pk]))
    assert role_in(staff_event, staff_organiser) == Role.ORGANISER
    second = member(staff_event, "zweite", Role.ORGANISER)
    team.change_role(staff_event, staff_organiser.pk, "viewer", actor=second, now=staff_now)
    assert role_in(staff_event, staff_organiser) == Role.VIEWER
    with pytest.raises(team.DomainError) as refusal:
        team.remove_member(staff_event, second.pk, actor=second, now=staff_now)
    assert refusal.value.code == "last_organiser"


def test_members_without_manage_cannot_change_the_team(staff_event, staff_organiser, staff_outsider):
    moderator = member(staff_event, "moderation", Role.MODERATOR)
    url = reverse("staff:team_role", args=[staff_event.slug, staff_organiser.pk])
    assert client_of(moderator).post(url, {"role": "viewer"}).status_code == 403
    assert client_of(staff_outsider).post(url, {"role": "viewer"}).status_code == 404
    assert client_of(None).post(url, {"role": "viewer"}).status_code == 302
    assert role_in(staff_event, staff_organiser) == Role.ORGANISER
    assert not AuditEntry.objects.filter(action__startswith="team.").exists()


def test_a_city_admin_manages_the_events_of_every_team(staff_event, staff_now):
    city_admin = make_user("stadt", email="stadt@stadt.example")
    office = Group.objects.create(name="Zentrale")
    office.permissions.add(Permission.objects.get(codename="manage_all_events"))
    city_admin.groups.add(office)
    assert access.capabilities_of(city_admin, staff_event) == frozenset(Capability)
    client = client_of(city_admin)
    assert client.get(reverse("staff:registrations", args=[staff_event.slug])).status_code == 200
    assert staff_event.slug.encode() in client.get(reverse("staff:dashboard")).content
    team.invite(staff_event, "neu@stadt.example", "viewer", actor=city_admin, now=staff_now)


def test_the_dashboard_leads_each_role_to_its_first_page(staff_event):
    first_pages = {Role.CHECK_IN: "checkin:page", Role.MODERATOR: "ideas:organise", Role.VIEWER: "staff:event"}
    for role, page in first_pages.items():
        user = member(staff_event, f"rolle-{role}", role)
        content = client_of(user).get(reverse("staff:dashboard")).content.decode()
        assert reverse(page, args=[staff_event.slug]) in content, role


def test_the_team_page_reads_a_constant_number_of_queries(
    staff_event, staff_organiser, staff_now, django_assert_max_num_queries
):
    client = client_of(staff_organiser)
    url = reverse("staff:team", args=[staff_event.slug])
    client.get(url)
    for number in range(8):
        member(staff_event, f"mitglied-{number}", Role.VIEWER)
        team.invite(staff_event, f"gast{number}@stadt.example", "viewer", actor=staff_organiser, now=staff_now)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_invitations_are_in_the_data_export_and_go_with_retention_and_erasure(invited, staff_event, staff_now):
    from registrations.models import DataAccessRequest
    from registrations.privacy import services as privacy

    held = privacy.data_held("tuer@stadt.example")
    assert [item["role"] for item in held["team_invitations"]] == ["check_in"]
    request = DataAccessRequest.objects.create(email_normalized="tuer@stadt.example", requested_at=staff_now)
    counts = privacy.erase_address(request, now=staff_now)
    assert counts["team_invitations"] == 1 and not TeamInvitation.objects.exists()
    assert "email" not in AuditEntry.objects.get(action="team.invited").data
    later = team.invite(staff_event, "spaeter@stadt.example", "viewer", actor=staff_event.team.first(), now=staff_now)
    privacy.purge_unassigned(now=staff_now + timedelta(days=10))
    assert TeamInvitation.objects.filter(pk=later.invitation.pk).exists()
    privacy.purge_unassigned(now=staff_now + timedelta(days=40))
    assert not TeamInvitation.objects.exists()
