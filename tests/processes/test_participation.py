"""Joining a working group and following a process: double opt-in by mail, one-click leave, the
digest, the members for the leads, the data export and erasure; bad input and floods refused."""

import re
from datetime import timedelta
from email import message_from_bytes

import pytest
from django.test import Client
from django.utils import timezone

from events.models import AuditEntry
from ideas.models import BacklogStatus
from processes.digests import send_digests
from processes.links import CONFIRM_SALT, link_token
from processes.models import Subscription
from processes.services import link_event
from registrations.models import MailKind, OutboxMail
from registrations.privacy.services import data_held, erase_address, request_data_access
from tests.factories import make_user
from tests.processes.conftest import add_working_group
from tests.registrations.staff_helpers import client_of


@pytest.fixture
def group(process):
    made = add_working_group("verwaltung", items=[("Online-Anträge", BacklogStatus.NEW)])
    process.working_groups.add(made)
    return made


def mails_to(address: str) -> list:
    return [message_from_bytes(bytes(mail.rendered)) for mail in OutboxMail.objects.filter(to=address).order_by("pk")]


def link_in(message, part: str) -> str:
    body = message.get_payload(decode=True).decode()
    return re.search(rf"https?://\S+{part}\S+/", body).group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_following_a_process_is_confirmed_from_the_mail_and_counted_only_then(process):
    client = Client()
    answer = client.post("/prozesse/digitalstrategie/folgen/", {"email": "Erika@Example.org", "consent": "on"})
    assert answer.status_code == 200 and "Bitte sehen Sie in Ihre E-Mails" in answer.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None and subscription.kind == "follower"

    (mail,) = mails_to("Erika@Example.org")
    assert OutboxMail.objects.get().kind == MailKind.PARTICIPATION
    assert (
        mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        and "/mitmachen/abmelden/" in mail["List-Unsubscribe"]
    )
    confirm_path = link_in(mail, "/mitmachen/bestaetigen/")
    assert client.get(confirm_path).status_code == 200
    Subscription.objects.get().refresh_from_db()
    assert Subscription.objects.get().confirmed_at is None  # opening the link (a mail scanner) confirms nothing
    client.post(confirm_path)
    assert Subscription.objects.get().confirmed_at is not None
    assert AuditEntry.objects.filter(action="subscription.follower_confirmed").count() == 1


def main_of(response) -> str:
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def test_the_answer_is_the_same_for_a_known_address_and_no_second_row_is_made(process):
    first = Client().post("/prozesse/digitalstrategie/folgen/", {"email": "erika@example.org", "consent": "on"})
    again = Client().post("/prozesse/digitalstrategie/folgen/", {"email": "ERIKA@example.org", "consent": "on"})
    assert first.status_code == again.status_code == 200
    assert main_of(first).replace("erika", "ERIKA") == main_of(again)
    assert Subscription.objects.count() == 1 and OutboxMail.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "member", "email": "a@example.org", "consent": "on"}, "name"),
        ({"kind": "member", "name": "Anna", "email": "a@example.org"}, "consent"),
        ({"kind": "member", "name": "Anna", "email": "a@example", "consent": "on"}, "email"),
    ],
)
def test_joining_without_name_consent_or_a_valid_address_is_refused_at_the_field(group, data, field):
    response = Client().post("/arbeitsgruppen/verwaltung/mitmachen/", data)
    html = response.content.decode()
    assert response.status_code == 422 and f'id="id_{field}_error"' in html
    assert 'value="a@example' in html  # the entry is kept
    assert not Subscription.objects.exists() and not OutboxMail.objects.exists()


def test_a_member_is_seen_by_the_groups_leads_only_once_confirmed(group):
    Client().post(
        "/arbeitsgruppen/verwaltung/mitmachen/",
        {"kind": "member", "name": "Anna Aktiv", "email": "anna@example.org", "consent": "on"},
    )
    lead, stranger = make_user("leitung"), make_user("fremd")
    group.leads.add(lead)
    assert (
        "Anna Aktiv" not in client_of(lead).get("/organisation/arbeitsgruppen/verwaltung/mitglieder/").content.decode()
    )
    Client().post(link_in(mails_to("anna@example.org")[0], "/mitmachen/bestaetigen/"))
    page = client_of(lead).get("/organisation/arbeitsgruppen/verwaltung/mitglieder/").content.decode()
    assert "Anna Aktiv" in page and "anna@example.org" in page
    assert client_of(stranger).get("/organisation/arbeitsgruppen/verwaltung/mitglieder/").status_code == 404
    assert client_of(None).get("/organisation/arbeitsgruppen/verwaltung/mitglieder/").status_code == 302


def test_a_follower_of_a_group_needs_no_name(group):
    Client().post(
        "/arbeitsgruppen/verwaltung/mitmachen/", {"kind": "follower", "email": "leise@example.org", "consent": "on"}
    )
    assert Subscription.objects.get().kind == "follower"


def test_leaving_with_one_click_from_the_mail_program_erases_the_address(process):
    Client().post("/prozesse/digitalstrategie/folgen/", {"email": "erika@example.org", "consent": "on"})
    (mail,) = mails_to("erika@example.org")
    leave_url = mail["List-Unsubscribe"].strip("<>").split("://", 1)[1].split("/", 1)[1].join(["/", ""])
    one_click = Client(enforce_csrf_checks=True).post(leave_url, {"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200 and not Subscription.objects.exists()
    assert Client().get(leave_url).status_code == 404  # the link of an ended subscription says so


def test_a_tampered_link_is_refused_with_a_page_that_says_so(process):
    Client().post("/prozesse/digitalstrategie/folgen/", {"email": "erika@example.org", "consent": "on"})
    token = link_token(Subscription.objects.get(), salt=CONFIRM_SALT)
    response = Client().post(f"/mitmachen/bestaetigen/{token[:-2]}xx/")
    assert response.status_code == 404 and "gültig" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_the_digest_tells_of_new_events_and_moved_items_once(process, group, organiser, events):
    Client().post("/prozesse/digitalstrategie/folgen/", {"email": "erika@example.org", "consent": "on"})
    Client().post(link_in(mails_to("erika@example.org")[0], "/mitmachen/bestaetigen/"))
    later = timezone.now() + timedelta(minutes=1)
    link_event(process, events["coming"], actor=organiser, now=later)
    group.items.update(status=BacklogStatus.DONE, status_changed_at=later)

    assert send_digests(now=later + timedelta(minutes=1)) == 1
    digest = mails_to("erika@example.org")[-1]
    body = digest.get_payload(decode=True).decode()
    assert events["coming"].title_de in body and "Online-Anträge" in body and "erledigt" in body
    assert digest["List-Unsubscribe"]
    assert send_digests(now=later + timedelta(minutes=2)) == 0  # nothing new: no mail


def test_an_unconfirmed_wish_is_erased_after_a_week(process):
    Client().post("/prozesse/digitalstrategie/folgen/", {"email": "erika@example.org", "consent": "on"})
    send_digests(now=timezone.now() + timedelta(days=8))
    assert not Subscription.objects.exists()


def test_the_data_export_shows_and_the_erasure_deletes_the_subscriptions(process, group):
    Client().post(
        "/arbeitsgruppen/verwaltung/mitmachen/",
        {"kind": "member", "name": "Anna", "email": "anna@example.org", "consent": "on"},
    )
    data = data_held("anna@example.org")
    assert data["working_groups_and_processes"][0]["name"] == "Anna"
    erase_address(request_data_access("anna@example.org", now=timezone.now()), now=timezone.now())
    assert not Subscription.objects.exists()


def test_one_address_cannot_be_flooded_with_confirmation_requests(process, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "subscribe_address": (3, 3600)}
    for _ in range(3):
        Client().post("/prozesse/digitalstrategie/folgen/", {"email": "opfer@example.org", "consent": "on"})
    flooded = Client().post("/prozesse/digitalstrategie/folgen/", {"email": "opfer@example.org", "consent": "on"})
    assert flooded.status_code == 429 and flooded["Retry-After"] and OutboxMail.objects.count() == 3


def test_the_working_group_page_invites_to_join_and_names_its_process(group):
    html = Client().get("/arbeitsgruppen/verwaltung/").content.decode()
    assert "/arbeitsgruppen/verwaltung/mitmachen/" in html and "/prozesse/digitalstrategie/" in html


def confirmed_member(group, name: str, address: str) -> None:
    Client().post(
        "/arbeitsgruppen/verwaltung/mitmachen/", {"kind": "member", "name": name, "email": address, "consent": "on"}
    )
    Client().post(link_in(mails_to(address)[0], "/mitmachen/bestaetigen/"))


def test_the_team_invites_the_groups_members_to_a_meeting_once_each(process, group, organiser, events):
    process.events.add(events["coming"])
    confirmed_member(group, "Anna", "anna@example.org")
    Client().post(
        "/arbeitsgruppen/verwaltung/mitmachen/", {"kind": "follower", "email": "leise@example.org", "consent": "on"}
    )
    url = "/organisation/prozesse/digitalstrategie/arbeitsgruppen/verwaltung/einladen/"
    client = client_of(organiser)

    client.post(url, {"invite-verwaltung-event": events["coming"].pk})
    invitation = mails_to("anna@example.org")[-1]
    assert events["coming"].title_de in invitation.get_payload(decode=True).decode()
    assert len(mails_to("leise@example.org")) == 1  # a follower is not invited, only asked to confirm
    confirmed_member(group, "Ben", "ben@example.org")
    client.post(url, {"invite-verwaltung-event": events["coming"].pk})
    assert len(mails_to("anna@example.org")) == 2 and len(mails_to("ben@example.org")) == 2  # Anna not twice
    assert events["coming"].title_de in Client().get("/arbeitsgruppen/verwaltung/").content.decode()


def test_only_events_of_the_process_can_be_meetings(process, group, organiser, events):
    response = client_of(organiser).post(
        "/organisation/prozesse/digitalstrategie/arbeitsgruppen/verwaltung/einladen/",
        {"invite-verwaltung-event": events["coming"].pk},
    )
    assert response.status_code == 422 and not group.meetings.exists()
