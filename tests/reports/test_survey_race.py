"""Pressing "send" twice at once mails once; one link used twice at once stores one response."""

import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, connections

from core.errors import DomainError
from registrations.models import MailKind, OutboxMail
from reports.feedback import services
from reports.models import Invitation, Question, Response, Survey

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def at_once(function, count=2) -> list:
    start = threading.Barrier(count)

    def run():
        start.wait()
        try:
            return function()
        except DomainError as error:
            return error.code
        except IntegrityError as error:
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(count) as pool:
        return [future.result() for future in [pool.submit(run) for _ in range(count)]]


def test_two_organisers_sending_at_the_same_moment_mail_each_person_once(held, organiser):
    assert connection.vendor == "postgresql"
    later = held.event.ends_at + timedelta(hours=1)
    outcomes = at_once(lambda: services.send_invitations(held.event, actor=organiser, now=later), count=4)
    assert sorted(outcome.invited for outcome in outcomes) == [0, 0, 0, 2]
    assert OutboxMail.objects.filter(kind=MailKind.FEEDBACK_REQUEST).count() == 2
    assert Invitation.objects.count() == 2


@pytest.fixture
def slow_tokens(monkeypatch):
    """Widens the window between reading who has no link yet and writing the invitations."""
    token_urlsafe = secrets.token_urlsafe

    def slowly(size):
        time.sleep(0.1)
        return token_urlsafe(size)

    monkeypatch.setattr(services.secrets, "token_urlsafe", slowly)


def test_with_the_survey_lock_a_slow_send_still_mails_once(held, organiser, slow_tokens):
    later = held.event.ends_at + timedelta(hours=1)
    outcomes = at_once(lambda: services.send_invitations(held.event, actor=organiser, now=later))
    assert sorted(outcome.invited for outcome in outcomes) == [0, 2]


def test_control_without_the_survey_lock_the_second_send_collides(held, organiser, slow_tokens, monkeypatch):
    def unlocked(event, *, actor, now):
        return Survey.objects.get_or_create(event=event, defaults={"created_at": now})[0]

    monkeypatch.setattr(services, "_survey_for_change", unlocked)
    Survey.objects.create(event=held.event, created_at=held.event.ends_at)
    later = held.event.ends_at + timedelta(hours=1)
    outcomes = at_once(lambda: services.send_invitations(held.event, actor=organiser, now=later))
    assert any(isinstance(outcome, IntegrityError) for outcome in outcomes)
    assert OutboxMail.objects.filter(kind=MailKind.FEEDBACK_REQUEST).count() == 2  # the index, at least, held


def test_one_link_used_twice_at_the_same_moment_stores_one_response(held, organiser):
    later = held.event.ends_at + timedelta(hours=1)
    services.send_invitations(held.event, actor=organiser, now=later)
    mail = OutboxMail.objects.get(kind=MailKind.FEEDBACK_REQUEST, registration=held.anna)
    token = mail.facts["survey_url"].rstrip("/").rsplit("/", 1)[1]
    rating = Question.objects.filter(kind="rating").first()
    for _ in range(3):
        Response.objects.all().delete()
        Invitation.objects.filter(registration=held.anna).update(used=False)
        outcomes = at_once(lambda: services.submit_answers(token, {rating.pk: 5}, now=later))
        assert sorted(isinstance(outcome, Response) for outcome in outcomes) == [False, True]
        assert "survey_answered" in outcomes
        assert Response.objects.count() == 1
