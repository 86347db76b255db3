"""People who gave an e-mail and agreed to updates hear when their idea's status changes.

The mails are rows in the outbox, written in the transaction of the change and delivered by the
outbox's worker to a real SMTP server (tests/registrations/mail_fixtures.py)."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ideas import services
from ideas.access import stop_updates_token
from ideas.models import Idea
from ideas.notifications import send_stage_mails
from registrations.models import MailKind, MailState, OutboxMail
from registrations.outbox import bulk
from tests.ideas.ideas_factories import add_idea

pytest_plugins = ["tests.registrations.mail_fixtures"]


@pytest.fixture
def table_idea(group, organiser, now):
    idea, _created = services.add_idea_at_table(
        group,
        services.IdeaDraft(title="Freies WLAN am Markt", email="anna@example.org", updates_consent=True, language="de"),
        client_id="t-1",
        now=now,
    )
    idea = services.approve_idea(idea, actor=organiser, now=now)
    # The approval told Anna already (tests/ideas/test_live_channel.py); these tests follow what comes after.
    OutboxMail.objects.all().delete()
    return idea


def body_of(message) -> str:
    return message.get_content()


def test_sorting_into_a_working_group_queues_the_mail_and_the_outbox_worker_delivers_it(
    table_idea, working_group, organiser, smtp_server, after_commit
):
    after_commit(services.sort_into_working_group, table_idea, working_group, actor=organiser, now=timezone.now())

    row = OutboxMail.objects.get()
    assert (row.kind, row.event, row.to, row.state) == (
        MailKind.IDEA_STAGE,
        table_idea.event,
        "anna@example.org",
        MailState.SENT,
    )
    [message] = smtp_server.messages
    assert message["To"] == "anna@example.org"
    assert message["Message-ID"] == row.message_id and message["Auto-Submitted"] == "auto-generated"
    assert "Freies WLAN am Markt" in message["Subject"]
    body = body_of(message)
    assert working_group.title in body
    assert reverse("ideas:idea", args=[table_idea.event.slug, table_idea.pk]) in body  # its own page
    assert reverse("ideas:stop_updates", args=[stop_updates_token(table_idea)]) in body


def test_the_mail_is_in_the_outbox_before_commit_and_nothing_goes_out_until_then(
    table_idea, working_group, organiser, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.sort_into_working_group(table_idea, working_group, actor=organiser, now=timezone.now())

    assert OutboxMail.objects.get().state == MailState.QUEUED
    assert len(callbacks) == 1, "delivery starts after commit"
    assert smtp_server.messages == []


def test_a_rolled_back_change_leaves_no_mail(table_idea, working_group, organiser, smtp_server, deliver):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        services.sort_into_working_group(table_idea, working_group, actor=organiser, now=timezone.now())
        assert OutboxMail.objects.count() == 1
        raise Abort

    assert OutboxMail.objects.count() == 0
    deliver()
    assert smtp_server.messages == []
    assert Idea.objects.get(pk=table_idea.pk).working_group is None


def test_backlog_status_change_tells_everyone_behind_the_item_including_merged_duplicates(
    table_idea, group, organiser, lead, working_group, smtp_server, after_commit
):
    twin, _created = services.add_idea_at_table(
        group,
        services.IdeaDraft(title="WLAN überall", email="ben@example.org", updates_consent=True, language="en"),
        client_id="t-2",
        now=timezone.now(),
    )
    silent = add_idea(group, "Ohne Adresse", actor=organiser)
    services.merge_ideas(table_idea, [twin], actor=organiser, now=timezone.now())
    services.sort_into_working_group(table_idea, working_group, actor=organiser, now=timezone.now())
    services.sort_into_working_group(silent, working_group, actor=organiser, now=timezone.now())
    item = services.create_backlog_item(
        working_group, "WLAN", [table_idea.pk, silent.pk], actor=lead, now=timezone.now()
    )
    OutboxMail.objects.all().delete()

    after_commit(
        services.update_backlog_item,
        item,
        services.ItemChanges(status="done", public_note="Seit Mai online."),
        actor=lead,
        now=timezone.now(),
    )

    assert sorted(row.to for row in OutboxMail.objects.all()) == ["anna@example.org", "ben@example.org"]
    assert sorted(message["To"] for message in smtp_server.messages) == ["anna@example.org", "ben@example.org"]
    [english] = smtp_server.messages_to("ben@example.org")
    assert "done" in english["Subject"] and english["Content-Language"] == "en"
    assert "Seit Mai online." in body_of(english)


def test_no_mail_without_a_status_change(table_idea, working_group, organiser, lead, after_commit):
    services.sort_into_working_group(table_idea, working_group, actor=organiser, now=timezone.now())
    item = services.create_backlog_item(working_group, "WLAN", [table_idea.pk], actor=lead, now=timezone.now())
    OutboxMail.objects.all().delete()

    after_commit(
        services.update_backlog_item, item, services.ItemChanges(public_note="Notiz"), actor=lead, now=timezone.now()
    )

    assert not OutboxMail.objects.exists()


def test_a_refused_change_queues_nothing(table_idea, working_group, organiser, lead, after_commit):
    services.sort_into_working_group(table_idea, working_group, actor=organiser, now=timezone.now())
    item = services.create_backlog_item(working_group, "WLAN", [table_idea.pk], actor=lead, now=timezone.now())
    OutboxMail.objects.all().delete()

    with pytest.raises(services.backlog.DomainError):
        after_commit(
            services.update_backlog_item, item, services.ItemChanges(status="rejected"), actor=lead, now=timezone.now()
        )

    assert not OutboxMail.objects.exists()


def test_a_mail_server_outage_undoes_nothing_and_the_mail_goes_out_later(
    table_idea, working_group, organiser, smtp_server, after_commit, deliver
):
    smtp_server.stop()

    after_commit(services.sort_into_working_group, table_idea, working_group, actor=organiser, now=timezone.now())

    table_idea.refresh_from_db()
    assert table_idea.working_group == working_group
    row = OutboxMail.objects.get()
    assert row.state == MailState.QUEUED and row.last_error
    smtp_server.start()
    assert deliver().sent == 1
    assert [message["Message-ID"] for message in smtp_server.messages] == [row.message_id]


def test_a_failed_mail_is_sent_again_as_it_was_written(
    table_idea, working_group, organiser, smtp_server, after_commit, deliver
):
    smtp_server.refuse("anna@example.org", "550 mailbox unavailable")
    after_commit(services.sort_into_working_group, table_idea, working_group, actor=organiser, now=timezone.now())
    row = OutboxMail.objects.get()
    assert row.state == MailState.FAILED and "550" in row.last_error
    written = bytes(row.rendered)

    smtp_server.handler.refuse.clear()
    after_commit(bulk.resend, row, actor=organiser, now=timezone.now())

    row.refresh_from_db()
    assert row.state == MailState.SENT and bytes(row.rendered) == written
    assert [message["Message-ID"] for message in smtp_server.messages] == [row.message_id]


def test_a_mail_that_cannot_be_written_shows_as_failed_and_undoes_nothing(
    table_idea, working_group, organiser, smtp_server, after_commit, monkeypatch
):
    def broken(idea, mail):
        raise ValueError("template missing")

    monkeypatch.setattr("ideas.notifications.stage_message", broken)
    after_commit(services.sort_into_working_group, table_idea, working_group, actor=organiser, now=timezone.now())

    assert Idea.objects.get(pk=table_idea.pk).working_group == working_group
    row = OutboxMail.objects.get()
    assert (row.state, row.rendered) == (MailState.FAILED, None) and "template missing" in row.last_error
    assert smtp_server.messages == []
    with pytest.raises(bulk.DomainError) as refused:
        bulk.resend(row, actor=organiser, now=timezone.now())
    assert refused.value.code == "not_resendable"


def test_the_stop_link_asks_first_then_erases_the_address(client, table_idea, now):
    url = reverse("ideas:stop_updates", args=[stop_updates_token(table_idea)])

    client.get(url)
    assert Idea.objects.get().submitter_email == "anna@example.org"
    client.post(url)

    idea = Idea.objects.get()
    assert (idea.submitter_email, idea.updates_consent_at) == ("", None)
    assert send_stage_mails([idea.pk], now=now) == 0
    assert not OutboxMail.objects.exists()
