"""People who gave an e-mail and agreed to updates hear when their idea's status changes."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ideas import services
from ideas.access import stop_updates_token
from ideas.models import Idea
from ideas.notifications import send_stage_mails
from tests.ideas.ideas_factories import add_idea


@pytest.fixture
def table_idea(group, now):
    idea, _created = services.add_idea_at_table(
        group,
        services.IdeaDraft(title="Freies WLAN am Markt", email="anna@example.org", updates_consent=True, language="de"),
        client_id="t-1",
        now=now,
    )
    return idea


def test_sorting_into_a_working_group_tells_the_submitter_after_commit(
    table_idea, working_group, organiser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.sort_into_working_group(table_idea, working_group, actor=organiser, now=timezone.now())

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.org"]
    assert "Freies WLAN am Markt" in message.subject
    assert working_group.title in message.body
    assert reverse("ideas:working_group", args=[working_group.slug]) in message.body
    assert reverse("ideas:stop_updates", args=[stop_updates_token(table_idea)]) in message.body


def test_backlog_status_change_tells_everyone_behind_the_item_including_merged_duplicates(
    table_idea, group, organiser, lead, working_group, django_capture_on_commit_callbacks
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

    with django_capture_on_commit_callbacks(execute=True):
        services.update_backlog_item(
            item, services.ItemChanges(status="done", public_note="Seit Mai online."), actor=lead, now=timezone.now()
        )

    assert sorted(message.to[0] for message in mail.outbox) == ["anna@example.org", "ben@example.org"]
    english = next(message for message in mail.outbox if message.to == ["ben@example.org"])
    assert "done" in english.subject
    assert "Seit Mai online." in english.body


def test_no_mail_without_a_status_change(
    table_idea, working_group, organiser, lead, django_capture_on_commit_callbacks
):
    services.sort_into_working_group(table_idea, working_group, actor=organiser, now=timezone.now())
    item = services.create_backlog_item(working_group, "WLAN", [table_idea.pk], actor=lead, now=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        services.update_backlog_item(item, services.ItemChanges(public_note="Notiz"), actor=lead, now=timezone.now())
    assert mail.outbox == []


def test_a_refused_change_sends_nothing(table_idea, working_group, organiser, lead, django_capture_on_commit_callbacks):
    services.sort_into_working_group(table_idea, working_group, actor=organiser, now=timezone.now())
    item = services.create_backlog_item(working_group, "WLAN", [table_idea.pk], actor=lead, now=timezone.now())
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.backlog.DomainError):
        services.update_backlog_item(item, services.ItemChanges(status="rejected"), actor=lead, now=timezone.now())
    assert mail.outbox == []


def test_a_failing_mail_server_undoes_nothing(table_idea, working_group, organiser, settings, monkeypatch):
    def broken(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    services.sort_into_working_group(table_idea, working_group, actor=organiser, now=timezone.now())

    assert send_stage_mails([table_idea.pk]) == 0
    table_idea.refresh_from_db()
    assert table_idea.working_group == working_group


def test_the_stop_link_asks_first_then_erases_the_address(client, table_idea):
    url = reverse("ideas:stop_updates", args=[stop_updates_token(table_idea)])

    client.get(url)
    assert Idea.objects.get().submitter_email == "anna@example.org"
    client.post(url)

    idea = Idea.objects.get()
    assert (idea.submitter_email, idea.updates_consent_at) == ("", None)
    assert send_stage_mails([idea.pk]) == 0
