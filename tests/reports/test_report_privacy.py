"""Zoom stays and survey invitations are personal data: erased with the event's data and on a
citizen's request, shown in their data export; the anonymous answers stay."""

from datetime import timedelta

import pytest

from registrations.privacy.services import data_held, erase_address, purge_event, request_data_access
from reports.attendance import event_report
from reports.feedback import services
from reports.models import Answer, Invitation, Question, Response
from streaming.models import Attendance

pytestmark = pytest.mark.django_db


@pytest.fixture
def surveyed(held, organiser, client):
    """The survey sent; anna answered."""
    services.send_invitations(held.event, actor=organiser, now=held.event.ends_at + timedelta(hours=1))
    questions = list(Question.objects.filter(survey__event=held.event))
    mail = held.anna.outbox_mails.get(kind="feedback_request")
    token = mail.facts["survey_url"].rstrip("/").rsplit("/", 1)[1]
    services.submit_answers(
        token,
        {q.pk: {"rating": 4, "choice": "online", "text": "Gut."}[q.kind] for q in questions},
        now=held.event.ends_at + timedelta(hours=2),
    )
    return held


def test_when_the_event_data_expires_stays_lose_names_and_times_and_invitations_go(surveyed):
    event = surveyed.event
    later = event.retention_ends_at() + timedelta(minutes=1)
    dry = purge_event(event, now=later, dry_run=True)
    assert dry.counts["zoom_attendance"] == 3 and dry.counts["feedback_invitations"] == 2
    assert Invitation.objects.count() == 2

    report = purge_event(event, now=later)

    assert report.counts["zoom_attendance"] == 3 and report.counts["feedback_invitations"] == 2
    assert not Invitation.objects.exists()
    assert not Attendance.objects.exclude(name="", email="", registrant_id="").exists()
    assert not Attendance.objects.filter(joined_at__isnull=False).exists()
    assert Response.objects.count() == 1 and Answer.objects.count() == 4  # anonymous: they stay
    figures = event_report(event, now=later).total
    assert figures.joined_online == 2 and figures.came == 3 and figures.online_minutes == 0
    assert purge_event(event, now=later).counts == {}


def test_the_data_export_shows_the_zoom_stays_and_the_survey_invitation(surveyed):
    data = data_held(surveyed.clara.email)
    stays = data["zoom_attendance"]
    assert len(stays) == 2 and {stay["minutes_attended_at_this_event"] for stay in stays} == {75}
    assert all(stay["joined_at"] and stay["left_at"] for stay in stays)
    assert data["feedback_invitations"] == [
        {
            "event": surveyed.event.title_de,
            "sent_at": Invitation.objects.get(registration=surveyed.clara).sent_at.isoformat(),
            "link_used": False,
        }
    ]
    assert data_held(surveyed.anna.email)["feedback_invitations"][0]["link_used"] is True


def test_an_erasure_request_erases_the_persons_stays_and_invitation_but_keeps_the_answers(surveyed, now):
    request = request_data_access(surveyed.clara.email, now=now)
    counts = erase_address(request, now=now)
    assert counts["zoom_attendance"] == 2 and counts["feedback_invitations"] == 1
    assert not Invitation.objects.filter(registration=surveyed.clara).exists()
    assert Invitation.objects.filter(registration=surveyed.anna).exists()
    assert not Attendance.objects.filter(name__icontains="Clara").exists()
    assert Attendance.objects.filter(registration=surveyed.dieter, name="Dieter Dahl").exists()
    assert Response.objects.count() == 1
