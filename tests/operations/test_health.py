import json
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone

from registrations.intake.models import IntakeMail
from registrations.models import MailKind, MailState, OutboxMail, WorkerHeartbeat


def outbox_mail(number: int, *, state=MailState.QUEUED, age=timedelta(0)):
    created = timezone.now() - age
    return OutboxMail.objects.create(
        kind=MailKind.MESSAGE,
        to=f"person{number}@example.org",
        message_id=f"<{number}@test>",
        state=state,
        next_attempt_at=created,
        created_at=created,
    )


@pytest.mark.django_db
def test_health_is_ok_on_a_quiet_laptop_and_holds_no_personal_data(client):
    outbox_mail(1, state=MailState.SENT)
    response = client.get("/health")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["outbox"] == {"ok": True, "queued": 0, "failed": 0, "oldest_unsent_age_seconds": None}
    assert "example.org" not in json.dumps(body)


@pytest.mark.django_db
def test_health_is_outside_the_language_prefix(client):
    assert client.get("/en/health").status_code == 404


@pytest.mark.django_db
def test_an_old_unsent_mail_or_a_failed_mail_makes_the_outbox_check_fail(client):
    outbox_mail(1, age=timedelta(minutes=3))
    outbox_mail(2, age=timedelta(minutes=20))
    response = client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["outbox"]
    assert body["checks"]["outbox"]["queued"] == 2
    assert body["checks"]["outbox"]["oldest_unsent_age_seconds"] >= 20 * 60

    OutboxMail.objects.update(state=MailState.SENT)
    outbox_mail(3, state=MailState.FAILED)
    assert client.get("/health").json()["checks"]["outbox"] == {
        "ok": False,
        "queued": 0,
        "failed": 1,
        "oldest_unsent_age_seconds": None,
    }
    with override_settings(HEALTH_MAX_FAILED_MAILS=1):
        assert client.get("/health").status_code == 200


@pytest.mark.django_db
def test_a_stopped_worker_fails_the_check_only_where_workers_are_expected(client):
    with override_settings(HEALTH_EXPECT_WORKERS=True):
        body = client.get("/health").json()
        assert body["failing"] == ["worker"]
        assert body["checks"]["worker"]["last_heartbeat_age_seconds"] is None

        WorkerHeartbeat.beat("outbox", now=timezone.now() - timedelta(minutes=10))
        assert client.get("/health").json()["failing"] == ["worker"]

        WorkerHeartbeat.beat("outbox", now=timezone.now())
        response = client.get("/health")
        assert response.status_code == 200
        assert response.json()["checks"]["worker"]["last_heartbeat_age_seconds"] < 5


@pytest.mark.django_db
def test_the_intake_check_counts_processed_mails_and_heartbeats_when_an_inbox_is_set(client):
    with override_settings(INTAKE_IMAP_URL="imap://u:p@localhost:143/INBOX"):
        assert client.get("/health").json()["failing"] == ["intake"]
        IntakeMail.objects.create(
            message_key="<a@test>", received_at=timezone.now(), processed_at=timezone.now(), outcome="ignored"
        )
        assert client.get("/health").status_code == 200
        IntakeMail.objects.update(processed_at=timezone.now() - timedelta(hours=1))
        assert client.get("/health").json()["failing"] == ["intake"]
        WorkerHeartbeat.beat("intake", now=timezone.now())
        assert client.get("/health").status_code == 200


@pytest.mark.django_db
def test_send_outbox_writes_its_heartbeat(client):
    from django.core.management import call_command

    call_command("send_outbox")
    assert WorkerHeartbeat.objects.get(worker="outbox").beat_at > timezone.now() - timedelta(minutes=1)


@pytest.mark.django_db
def test_an_unreachable_database_answers_503_naming_the_database(client, monkeypatch):
    def unreachable():
        raise OperationalError("connection refused")

    monkeypatch.setattr("config.health.database_check", unreachable)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {
        "status": "fail",
        "failing": ["database"],
        "checks": {"database": {"ok": False}, "cache": {"ok": True, "backend": "locmem"}},
    }
