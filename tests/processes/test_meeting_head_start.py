"""A working group's meeting gives its members the first seats for a time: the team sets in the
process's editor from when members may register; each invitation carries the member's personal
link; the public sees when members may register, and registers when registration opens to all."""

import re
from datetime import datetime, timedelta
from email import message_from_bytes
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from core.berlin import in_berlin
from events.models import AuditEntry
from ideas.models import BacklogStatus
from processes.models import Meeting
from processes.subscriptions import SubscriptionData, confirm, subscribe
from registrations.early_access import early_access_token
from registrations.models import EarlyAccess, OutboxMail, Registration
from tests.factories import EventFactory, make_user, register, registration_data
from tests.processes.conftest import add_working_group
from tests.registrations.staff_helpers import client_of

INVITE = "/organisation/prozesse/digitalstrategie/arbeitsgruppen/verwaltung/einladen/"


@pytest.fixture
def group(process):
    made = add_working_group("verwaltung", items=[("Online-Anträge", BacklogStatus.NEW)])
    process.working_groups.add(made)
    return made


@pytest.fixture
def meeting_event(process, organiser):
    """Registration opens to all in three days; two seats on site."""
    now = timezone.now()
    event = EventFactory(format="onsite", onsite=2, title="AG-Treffen")(
        opens=now + timedelta(days=3), team=[organiser], title_en="Working group meeting"
    )
    process.events.add(event)
    return event


def member(group, name: str, address: str, *, language: str = "de"):
    now = timezone.now()
    subscription = subscribe(
        group, SubscriptionData(address, consent=True, name=name, language=language), kind="member", now=now
    )
    confirm(subscription, now=now)
    return subscription


def invitations_to(address: str, *, subject: str = "Einladung") -> list[str]:
    return [
        message_from_bytes(bytes(mail.rendered)).get_payload(decode=True).decode()
        for mail in OutboxMail.objects.filter(to=address, subject__startswith=subject).order_by("pk")
    ]


def moment(value) -> str:
    return f"{in_berlin(value):%Y-%m-%dT%H:%M}"


def invite(client, event, members_from=None):
    data = {"invite-verwaltung-event": event.pk}
    if members_from is not None:
        data["invite-verwaltung-members_from"] = moment(members_from)
    return client.post(INVITE, data)


def personal_link(body: str):
    """The path and the query of the personal link in an invitation."""
    link = urlsplit(re.search(r"https?://\S+\?vorab=\S+", body).group(0))
    return link.path, parse_qs(link.query)


def test_a_member_follows_the_invitation_before_registration_opens_and_gets_a_seat(
    process, group, meeting_event, organiser
):
    member(group, "Mia Mitglied", "mia@example.org")
    members_from = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=1)

    response = invite(client_of(organiser), meeting_event, members_from)

    assert response.status_code == 302
    head_start = Meeting.objects.get(event=meeting_event).early_access
    assert head_start.opens_at == members_from
    body = invitations_to("mia@example.org")[0]
    assert "Als Mitglied können Sie sich ab" in body
    path, query = personal_link(body)
    page = Client().get(path, {"vorab": query["vorab"][0]}).content.decode()
    token = re.search(r'name="early_access" value="([^"]+)"', page).group(1)
    registered = Client().post(
        f"/veranstaltungen/{meeting_event.slug}/anmelden/",
        {
            "name": "Mia Mitglied",
            "email": "mia@example.org",
            "seat_type": "onsite",
            "language": "de",
            "accept_terms": "on",
            "early_access": token,
        },
    )
    assert registered.status_code == 302
    assert Registration.objects.get(event=meeting_event).status == "confirmed"
    audit = AuditEntry.objects.get(action="working_group.members_invited")
    assert datetime.fromisoformat(audit.data["members_from"]) == members_from
    assert AuditEntry.objects.filter(action="registration.head_start_given", event=meeting_event).exists()


def test_the_public_sees_when_members_may_register_and_waits_for_the_seats_they_took(
    process, group, meeting_event, organiser
):
    now = timezone.now()
    invite(client_of(organiser), meeting_event, now - timedelta(hours=1))
    head_start = Meeting.objects.get().early_access

    for number in (1, 2):
        address = f"mitglied{number}@example.org"
        data = registration_data(number, email=address, early_access=early_access_token(head_start, address))
        assert register(meeting_event, data, now).status == "confirmed"

    event_page = Client().get(meeting_event.get_absolute_url()).content.decode()
    group_page = Client().get("/arbeitsgruppen/verwaltung/").content.decode()
    sentence = "Mitglieder der Arbeitsgruppe können sich ab"
    assert sentence in event_page and "Die Anmeldung öffnet am" in event_page and sentence in group_page
    assert 'name="early_access"' not in event_page

    opened = meeting_event.registration_opens_at + timedelta(minutes=1)
    public = register(meeting_event, registration_data(3), opened, received_at=opened)
    assert public.status == "waitlisted"
    with time_machine.travel(opened, tick=False):
        assert sentence not in Client().get(meeting_event.get_absolute_url()).content.decode()
        assert sentence not in Client().get("/arbeitsgruppen/verwaltung/").content.decode()


def test_a_head_start_after_registration_opens_is_refused_at_the_field_with_the_entries_kept(
    process, group, meeting_event, organiser
):
    member(group, "Mia Mitglied", "mia@example.org")
    too_late = meeting_event.registration_opens_at + timedelta(hours=1)

    response = invite(client_of(organiser), meeting_event, too_late)

    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_invite-verwaltung-members_from_error"' in html
    assert f'value="{moment(too_late)}"' in html
    assert not Meeting.objects.exists() and not EarlyAccess.objects.exists()
    assert invitations_to("mia@example.org") == []


def test_a_head_start_given_later_or_moved_invites_every_member_again(process, group, meeting_event, organiser):
    client = client_of(organiser)
    member(group, "Mia Mitglied", "mia@example.org")
    invite(client, meeting_event)
    assert "?vorab=" not in invitations_to("mia@example.org")[0]
    now = timezone.now().replace(second=0, microsecond=0)

    invite(client, meeting_event, now + timedelta(hours=2))
    invite(client, meeting_event, now + timedelta(hours=2))  # unchanged: nobody new to invite
    invite(client, meeting_event, now + timedelta(hours=4))

    sent = invitations_to("mia@example.org")
    assert len(sent) == 3 and all("?vorab=" in body for body in sent[1:])
    assert Meeting.objects.get().early_access.opens_at == now + timedelta(hours=4)
    assert EarlyAccess.objects.count() == 1


def test_only_the_process_team_sets_a_head_start(process, group, meeting_event):
    members_from = timezone.now() - timedelta(hours=1)
    stranger = make_user("fremd")
    meeting_event.team.add(stranger)  # organises the event, but is not in the process's team

    assert invite(client_of(stranger), meeting_event, members_from).status_code == 404
    assert invite(client_of(None), meeting_event, members_from).status_code == 302
    assert not Meeting.objects.exists() and not EarlyAccess.objects.exists()


def test_the_editor_shows_the_head_start_of_a_meeting(process, group, meeting_event, organiser):
    members_from = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=1)
    invite(client_of(organiser), meeting_event, members_from)
    html = client_of(organiser).get("/organisation/prozesse/digitalstrategie/").content.decode()
    assert "Mitglieder dürfen sich ab" in html


def remove_url(event) -> str:
    return f"/organisation/prozesse/digitalstrategie/arbeitsgruppen/verwaltung/treffen/{event.slug}/vorab-entfernen/"


def register_with(link_query: dict, event, address: str, name: str):
    """The form of the page a personal link opens, sent as the member would."""
    return Client().post(
        f"/veranstaltungen/{event.slug}/anmelden/",
        {
            "name": name,
            "email": address,
            "seat_type": "onsite",
            "language": "de",
            "accept_terms": "on",
            "early_access": link_query["vorab"][0],
        },
    )


def test_the_team_removes_the_head_start_the_links_then_say_when_registration_opens_and_early_seats_stay(
    process, group, meeting_event, organiser
):
    member(group, "Mia Mitglied", "mia@example.org")
    member(group, "Max Mitglied", "max@example.org")
    invite(client_of(organiser), meeting_event, timezone.now().replace(second=0, microsecond=0) - timedelta(hours=1))
    head_start = Meeting.objects.get().early_access
    _path, mia_link = personal_link(invitations_to("mia@example.org")[0])
    path, max_link = personal_link(invitations_to("max@example.org")[0])
    assert register_with(mia_link, meeting_event, "mia@example.org", "Mia Mitglied").status_code == 302

    response = client_of(organiser).post(remove_url(meeting_event), follow=True)

    assert response.status_code == 200
    removed = f"Die Vorab-Anmeldung der Mitglieder für „{meeting_event.title}“ ist entfernt"
    assert removed in response.content.decode()
    assert Meeting.objects.get().early_access is None and not EarlyAccess.objects.exists()
    audit = AuditEntry.objects.get(action="registration.head_start_taken_back")
    assert (audit.event, audit.actor, audit.target_id) == (meeting_event, organiser, head_start.pk)
    # Mia registered early and keeps her seat; nothing of the seats changed.
    mia = Registration.objects.get(event=meeting_event)
    assert (mia.email, mia.status) == ("mia@example.org", "confirmed")
    # Max's link now answers as anyone's: registration opens on …, no form, no error page.
    page = Client().get(path, {"vorab": max_link["vorab"][0]})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Die Anmeldung öffnet am" in html and 'name="early_access"' not in html
    assert "Mitglieder der Arbeitsgruppe können sich ab" not in html
    assert "Mitglieder der Arbeitsgruppe können sich ab" not in Client().get("/arbeitsgruppen/verwaltung/").text
    refused = register_with(max_link, meeting_event, "max@example.org", "Max Mitglied")
    assert refused.status_code == 409 and "Die Anmeldung ist noch nicht geöffnet." in refused.content.decode()
    # The event follows the public window: Max registers when registration opens to all (the
    # database's clock says when a web request arrived, so the registration is made directly).
    opened = meeting_event.registration_opens_at + timedelta(minutes=1)
    data = registration_data(2, email="max@example.org", early_access=max_link["vorab"][0])
    assert register(meeting_event, data, opened, received_at=opened).status == "confirmed"
    editor = client_of(organiser).get("/organisation/prozesse/digitalstrategie/").content.decode()
    assert "Mitglieder dürfen sich ab" not in editor and "vorab-entfernen" not in editor


def test_an_english_members_link_says_when_registration_opens_after_the_head_start_is_removed(
    process, group, meeting_event, organiser
):
    member(group, "Mia Member", "mia@example.org", language="en")
    invite(client_of(organiser), meeting_event, timezone.now() - timedelta(hours=1))
    path, link = personal_link(invitations_to("mia@example.org", subject="Invitation")[0])
    assert path.startswith("/en/")

    client_of(organiser).post(remove_url(meeting_event))

    page = Client().get(path, {"vorab": link["vorab"][0]})
    assert page.status_code == 200
    assert "Registration opens on" in page.text and 'name="early_access"' not in page.text


def test_a_head_start_removed_can_be_given_again_and_invites_every_member_again(
    process, group, meeting_event, organiser
):
    client = client_of(organiser)
    member(group, "Mia Mitglied", "mia@example.org")
    now = timezone.now().replace(second=0, microsecond=0)
    invite(client, meeting_event, now - timedelta(hours=1))
    client.post(remove_url(meeting_event))
    invite(client, meeting_event)  # no head start: nobody new to invite

    invite(client, meeting_event, now + timedelta(hours=2))

    sent = invitations_to("mia@example.org")
    assert len(sent) == 2 and "?vorab=" in sent[1]
    assert Meeting.objects.get().early_access.opens_at == now + timedelta(hours=2)
    path, link = personal_link(sent[1])
    assert "Mit Ihrer Einladung können Sie sich ab" in Client().get(path, {"vorab": link["vorab"][0]}).text


def test_removing_a_head_start_that_is_gone_says_so_and_changes_nothing(process, group, meeting_event, organiser):
    client = client_of(organiser)
    invite(client, meeting_event)  # a meeting without a head start

    response = client.post(remove_url(meeting_event), follow=True)

    assert response.status_code == 200
    assert "Dieses Treffen hat keine Vorab-Anmeldung (mehr)." in response.content.decode()
    assert not AuditEntry.objects.filter(action="registration.head_start_taken_back").exists()


def test_removing_the_head_start_of_a_meeting_that_is_not_there_is_404(process, group, meeting_event, organiser):
    client = client_of(organiser)
    invite(client, meeting_event, timezone.now() - timedelta(hours=1))
    other_event = EventFactory(format="onsite", title="Anderes")(opens=timezone.now() + timedelta(days=3))

    assert client.post(remove_url(other_event)).status_code == 404  # not an event of the process
    process.events.add(other_event)
    assert client.post(remove_url(other_event)).status_code == 404  # not a meeting of the group
    assert client.get(remove_url(meeting_event)).status_code == 405  # a change is a POST
    assert Meeting.objects.get(event=meeting_event).early_access is not None


def test_only_the_process_team_removes_a_head_start(process, group, meeting_event, organiser):
    invite(client_of(organiser), meeting_event, timezone.now() - timedelta(hours=1))
    stranger = make_user("fremd")
    meeting_event.team.add(stranger)  # organises the event, but is not in the process's team

    assert client_of(stranger).post(remove_url(meeting_event)).status_code == 404
    anonymous = client_of(None).post(remove_url(meeting_event))
    assert anonymous.status_code == 302 and "/anmelden/" in anonymous["Location"]
    assert Meeting.objects.get().early_access is not None
    assert not AuditEntry.objects.filter(action="registration.head_start_taken_back").exists()


def test_the_editor_offers_to_remove_a_head_start_where_there_is_one(process, group, meeting_event, organiser):
    client = client_of(organiser)
    invite(client, meeting_event)
    assert "vorab-entfernen" not in client.get("/organisation/prozesse/digitalstrategie/").content.decode()

    invite(client, meeting_event, timezone.now() + timedelta(hours=1))

    html = client.get("/organisation/prozesse/digitalstrategie/").content.decode()
    assert f'action="{remove_url(meeting_event)}"' in html and "Vorab-Anmeldung entfernen" in html
