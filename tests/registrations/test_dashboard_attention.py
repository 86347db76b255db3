"""The dashboard's "needs attention" list: failed mails, a stalled e-mail intake, offers about to
run out, registrations to allocate at a deadline; each links to the page where it is fixed, only
for the organiser's own events, at a fixed number of queries."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse

from events.models import EventMember, Role
from events.services import SeatPlan
from registrations.intake.models import IntakeMail, Outcome
from registrations.models import MailKind, MailState, OutboxMail, Registration, Status, WorkerHeartbeat
from tests.factories import make_user, scheduled_event
from tests.registrations.staff_helpers import client_of, enter, queries_of

pytestmark = pytest.mark.usefixtures("staff_english")
pytest_plugins = ["tests.registrations.staff_fixtures"]


def dashboard(client):
    response = client.get(reverse("staff:dashboard"))
    assert response.status_code == 200
    return response.text


def fail_a_mail(event, now):
    registration = enter(event, f"Failed {OutboxMail.objects.count()}", seat="online", at=now - timedelta(hours=1))
    OutboxMail.objects.filter(registration=registration).update(state=MailState.FAILED, last_error="550 no such user")
    return registration


def test_nothing_to_attend_shows_no_list(staff_client, staff_event):
    assert "Needs attention" not in dashboard(staff_client)


def test_failed_mails_link_to_the_failed_mails_of_the_event(staff_client, staff_event, staff_now):
    fail_a_mail(staff_event, staff_now)
    fail_a_mail(staff_event, staff_now)
    page = dashboard(staff_client)
    assert "Needs attention" in page and "2 mails could not be sent." in page
    assert f'href="{reverse("outbox:list", args=[staff_event.slug])}?state=failed"' in page


def test_offers_running_out_within_a_day_link_to_the_open_offers(staff_client, staff_event, staff_now):
    offered = enter(staff_event, "Offered", seat="online", at=staff_now - timedelta(hours=2))
    Registration.objects.filter(pk=offered.pk).update(
        status=Status.OFFERED, offer_expires_at=staff_now + timedelta(hours=5)
    )
    later = enter(staff_event, "Offered later", seat="online", at=staff_now - timedelta(hours=1))
    Registration.objects.filter(pk=later.pk).update(
        status=Status.OFFERED, offer_expires_at=staff_now + timedelta(days=3)
    )
    page = dashboard(staff_client)
    assert "1 seat offered from the waiting list runs out within a day without an answer." in page
    assert f'href="{reverse("staff:registrations", args=[staff_event.slug])}?status=offered"' in page


def test_a_passed_deadline_with_pending_registrations_links_to_the_allocation(
    staff_client, staff_deadline_event, staff_now
):
    closes = staff_deadline_event.registration_closes_at
    enter(staff_deadline_event, "Früh", seat="online", at=closes - timedelta(hours=3))
    page = dashboard(staff_client)
    assert "The deadline has passed: 1 registration waits to be allocated." in page
    assert f'href="{reverse("staff:event", args=[staff_deadline_event.slug])}"' in page


def test_a_deadline_far_ahead_is_not_yet_an_item(staff_client, staff_organiser, staff_now):
    event = scheduled_event(
        staff_organiser,
        slug="spaeter",
        opens=staff_now - timedelta(hours=1),
        closes=staff_now + timedelta(days=5),
        allocation="at_deadline",
        online=SeatPlan(capacity=2),
    )
    enter(event, "Früh", seat="online", at=staff_now - timedelta(minutes=5))
    assert "Needs attention" not in dashboard(staff_client)


@override_settings(INTAKE_IMAP_URL="imaps://intake:secret@mail.example.org/INBOX", HEALTH_MAX_INTAKE_AGE=900)
def test_a_stalled_intake_and_unreadable_mails_link_to_the_inbox(staff_client, staff_event, staff_now):
    WorkerHeartbeat.objects.create(worker="intake", beat_at=staff_now - timedelta(hours=2))
    IntakeMail.objects.create(
        message_key="<x@example.org>",
        received_at=staff_now - timedelta(hours=3),
        processed_at=staff_now - timedelta(hours=3),
        outcome=Outcome.UNREADABLE,
    )
    page = dashboard(staff_client)
    assert "The e-mail intake has not fetched new registration mails for a while." in page
    assert "1 registration mail of the last week could not be read." in page
    assert f'href="{reverse("intake:inbox")}?outcome=unreadable"' in page
    WorkerHeartbeat.objects.filter(worker="intake").update(beat_at=staff_now)
    assert "has not fetched" not in dashboard(staff_client)


def test_another_teams_trouble_and_a_narrower_role_see_nothing(
    staff_event, staff_other_event, staff_outsider, staff_now
):
    fail_a_mail(staff_event, staff_now)
    assert "Needs attention" not in dashboard(client_of(staff_outsider))
    door = make_user("tuer")
    EventMember.objects.create(event=staff_event, user=door, role=Role.CHECK_IN)
    assert "Needs attention" not in dashboard(client_of(door))


def test_anonymous_goes_to_the_login(client):
    response = client.get(reverse("staff:dashboard"))
    assert response.status_code == 302 and reverse("staff:login") in response["Location"]


@pytest.mark.parametrize("count", [3, 30])
def test_the_query_count_is_the_same_with_3_and_30_events_in_trouble(staff_organiser, staff_now, count):
    for number in range(count):
        event = scheduled_event(
            staff_organiser,
            slug=f"forum-{count}-{number}",
            opens=staff_now - timedelta(days=3),
            closes=staff_now - timedelta(hours=1),
            allocation="at_deadline",
            online=SeatPlan(capacity=2),
        )
        enter(event, f"Person {number}", seat="online", at=staff_now - timedelta(hours=2))
        OutboxMail.objects.filter(event=event, kind=MailKind.PENDING).update(state=MailState.FAILED)
    client = client_of(staff_organiser)
    page = dashboard(client)
    assert page.count("registration waits to be allocated") == count
    assert page.count("mail could not be sent") == count
    assert queries_of(client, reverse("staff:dashboard")) == DASHBOARD_QUERIES


# As tests/registrations/test_staff_queries.py counts the dashboard, plus the three queries of
# the list: failed mails, expiring offers (both grouped by event) and unreadable intake mails.
# … and whether the user may open the registration inbox (its link in the navigation): 1.
DASHBOARD_QUERIES = 2 + 5 + 3 + 1
