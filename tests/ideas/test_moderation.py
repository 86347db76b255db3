"""The moderation queue: what people at a table send waits until a moderator of their group or an
organiser of the event approves, rewords, merges or hides it, or reports it; every decision is
audited, a hidden idea's sender is told why, and hidden ideas go with the event's retention."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from events.models import AuditEntry
from ideas import services
from ideas.access import moderator_link_token
from ideas.models import Idea, Moderation
from ideas.privacy import on_event_data_expired
from registrations.models import MailKind, OutboxMail
from tests.factories import make_user, running_event
from tests.ideas.ideas_factories import add_idea


def table_idea(group, title="Bänke am Fluss", **fields):
    idea, _created = services.add_idea_at_table(
        group, services.IdeaDraft(title=title, **fields), client_id=title, now=timezone.now()
    )
    return idea


def queue_url(moderator=None, *, event=None, name="queue", **kwargs):
    if moderator is not None:
        return reverse(f"ideas:moderator_queue:{name}", kwargs={"token": moderator_link_token(moderator), **kwargs})
    return reverse(f"ideas:event_queue:{name}", kwargs={"slug": event.slug, **kwargs})


@pytest.fixture
def other_moderator(other_group_and_access):
    return other_group_and_access[1].moderator


@pytest.fixture
def foreign_moderator(other_organiser, now):
    event = running_event(team=[other_organiser])
    _group, access = services.create_group(event, services.GroupData("Fremd"), actor=other_organiser, now=now)
    return access.moderator


# What arrives, and in which state


def test_an_idea_from_a_table_waits_for_moderation_by_default(group):
    assert table_idea(group).moderation == Moderation.PENDING


def test_ideas_the_team_captures_are_approved_at_once(group, moderator, organiser):
    assert add_idea(group, "Vom Moderator", actor=moderator).moderation == Moderation.APPROVED
    assert add_idea(group, "Von der Organisation", actor=organiser).moderation == Moderation.APPROVED


def test_with_post_moderation_an_idea_from_a_table_is_public_at_once(event, group, organiser, now):
    services.set_moderation_mode(event, "post", actor=organiser, now=now)

    idea = table_idea(group)

    assert idea.moderation == Moderation.APPROVED
    assert idea in services.moderation_queue(event, actor=organiser), "the team still looks at it afterwards"


def test_the_table_form_says_nothing_is_public_before_approval(client, group, event):
    client.post(
        reverse("ideas:table", args=[group.poster_key]), {"title": "Mehr Bäume", "client_id": "c1"}, follow=True
    )

    assert Idea.objects.get().moderation == Moderation.PENDING
    assert "Mehr Bäume" not in client.get(reverse("ideas:event_ideas", args=[event.slug])).content.decode()


# Decisions


def test_approving_makes_the_idea_public_and_is_audited(client, moderator, group, event):
    idea = table_idea(group)

    response = client.post(queue_url(moderator, name="approve", idea_id=idea.pk))

    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.moderation == Moderation.APPROVED and idea.moderated_at is not None
    assert AuditEntry.objects.filter(action="idea.approved", target_id=str(idea.pk)).exists()
    assert idea.title in client.get(reverse("ideas:event_ideas", args=[event.slug])).content.decode()


def test_rewording_keeps_the_senders_words(organiser_client, event, group):
    idea = table_idea(group, title="BÄNKE!!!", text="bitte sofort")

    organiser_client.post(
        queue_url(event=event, name="reword", idea_id=idea.pk),
        {
            f"idea-{idea.pk}-title": "Bänke am Flussufer",
            f"idea-{idea.pk}-text": "Mehr Sitzplätze",
            f"idea-{idea.pk}-approve": "on",
        },
    )

    idea.refresh_from_db()
    assert (idea.title, idea.text, idea.moderation) == ("Bänke am Flussufer", "Mehr Sitzplätze", Moderation.APPROVED)
    assert (idea.original_title, idea.original_text) == ("BÄNKE!!!", "bitte sofort")
    assert AuditEntry.objects.filter(action="idea.reworded", target_id=str(idea.pk)).exists()


def test_rewording_twice_keeps_the_first_original(group, organiser, now):
    idea = table_idea(group, title="Erste Fassung")
    services.reword_idea(idea, "Zweite", "", approve=False, actor=organiser, now=now)
    idea = services.reword_idea(idea, "Dritte", "", approve=False, actor=organiser, now=now)

    assert (idea.title, idea.original_title, idea.moderation) == ("Dritte", "Erste Fassung", Moderation.PENDING)


def test_merging_into_a_public_idea_shows_it_as_one_of_its_origins(client, moderator, group, event):
    public = add_idea(group, "Mehr Sitzbänke", actor=moderator)
    idea = table_idea(group, title="Bänke!")

    client.post(queue_url(moderator, name="merge", idea_id=idea.pk), {"survivor": public.pk})

    idea.refresh_from_db()
    assert idea.merged_into == public and idea.moderation == Moderation.APPROVED
    assert not services.moderation_queue(event, actor=moderator).exists()


def test_hiding_tells_the_sender_why_and_is_audited(client, moderator, group, event):
    idea = table_idea(group, title="Werbung", email="anna@example.org", updates_consent=True)

    client.post(queue_url(moderator, name="hide", idea_id=idea.pk), {"reason": "Werbung ist kein Beitrag."})

    idea.refresh_from_db()
    assert (idea.moderation, idea.hidden_reason) == (Moderation.HIDDEN, "Werbung ist kein Beitrag.")
    mail = OutboxMail.objects.get(kind=MailKind.IDEA_STAGE, to="anna@example.org")
    assert "Werbung ist kein Beitrag." in mail.rendered.decode()
    assert (
        AuditEntry.objects.get(action="idea.hidden", target_id=str(idea.pk)).data["reason"]
        == "Werbung ist kein Beitrag."
    )


def test_hiding_an_idea_without_an_address_writes_no_mail(group, organiser, now):
    services.hide_idea(table_idea(group), "Doppelt", actor=organiser, now=now)

    assert not OutboxMail.objects.exists()


def test_a_reported_idea_is_flagged_for_the_organisers(client, moderator, organiser_client, group, event):
    idea = table_idea(group, title="Beleidigung")

    client.post(queue_url(moderator, name="report", idea_id=idea.pk), {"note": "beleidigt eine Person"})

    idea.refresh_from_db()
    assert idea.abuse_reported_at is not None and idea.moderation == Moderation.PENDING
    page = organiser_client.get(queue_url(event=event)).content.decode()
    assert "beleidigt eine Person" in page
    assert AuditEntry.objects.filter(action="idea.abuse_reported").exists()


def test_hidden_ideas_are_erased_with_the_events_data(group, organiser, moderator, now):
    hidden = services.hide_idea(table_idea(group), "Spam", actor=organiser, now=now)
    kept = add_idea(group, "Bleibt", actor=moderator)

    assert on_event_data_expired(None, event=group.event, now=now, dry_run=True)["hidden_ideas"] == 1
    on_event_data_expired(None, event=group.event, now=now)

    assert not Idea.objects.filter(pk=hidden.pk).exists()
    assert Idea.objects.filter(pk=kept.pk).exists()


def test_organisers_choose_the_procedure(organiser_client, event):
    organiser_client.post(reverse("ideas:moderation_mode", args=[event.slug]), {"mode": "post"})

    assert event.moderation_policy.mode == "post"
    assert AuditEntry.objects.filter(action="ideas.moderation_mode").exists()


# Bad input: a clear message, nothing changed


def test_hiding_without_a_reason_is_refused_and_changes_nothing(client, moderator, group):
    idea = table_idea(group)

    response = client.post(queue_url(moderator, name="hide", idea_id=idea.pk), {"reason": "   "})

    assert response.status_code == 422
    assert "Bitte sagen Sie, warum die Idee verborgen wird." in response.content.decode()
    idea.refresh_from_db()
    assert idea.moderation == Moderation.PENDING and not AuditEntry.objects.filter(action="idea.hidden").exists()


def test_rewording_to_nothing_is_refused_and_keeps_the_words(client, moderator, group):
    idea = table_idea(group, title="Original")

    response = client.post(queue_url(moderator, name="reword", idea_id=idea.pk), {f"idea-{idea.pk}-title": ""})

    assert response.status_code == 422
    idea.refresh_from_db()
    assert (idea.title, idea.original_title, idea.moderation) == ("Original", "", Moderation.PENDING)


def test_merging_into_a_pending_idea_is_refused(group, organiser, now):
    first, second = table_idea(group, title="Eins"), table_idea(group, title="Zwei")

    with pytest.raises(DomainError) as refused:
        services.merge_ideas(first, [second], actor=organiser, now=now)

    assert refused.value.code == "survivor_not_approved"
    assert Idea.objects.get(pk=second.pk).merged_into is None


def test_an_unknown_procedure_is_refused(event, organiser, now):
    with pytest.raises(DomainError) as refused:
        services.set_moderation_mode(event, "never", actor=organiser, now=now)

    assert refused.value.code == "invalid_moderation_mode"


def test_a_merge_without_a_chosen_idea_is_refused(client, moderator, group):
    idea = table_idea(group)

    response = client.post(queue_url(moderator, name="merge", idea_id=idea.pk), {"survivor": "x"})

    assert response.status_code == 422
    assert Idea.objects.get(pk=idea.pk).merged_into is None


# Who may decide


def test_a_moderator_sees_only_their_own_groups_queue(client, moderator, group, other_group_and_access):
    table_idea(group, title="Eigene Gruppe")
    table_idea(other_group_and_access[0], title="Andere Gruppe")

    page = client.get(queue_url(moderator)).content.decode()

    assert "Eigene Gruppe" in page and "Andere Gruppe" not in page


def test_the_organiser_sees_the_whole_events_queue(organiser_client, event, group, other_group_and_access):
    table_idea(group, title="Eigene Gruppe")
    table_idea(other_group_and_access[0], title="Andere Gruppe")

    page = organiser_client.get(queue_url(event=event)).content.decode()

    assert "Eigene Gruppe" in page and "Andere Gruppe" in page


def test_a_moderator_of_another_group_cannot_approve(client, other_moderator, group):
    idea = table_idea(group)

    response = client.post(queue_url(other_moderator, name="approve", idea_id=idea.pk))

    assert response.status_code == 404
    assert Idea.objects.get(pk=idea.pk).moderation == Moderation.PENDING
    with pytest.raises(DomainError) as refused:
        services.approve_idea(idea, actor=other_moderator, now=timezone.now())
    assert refused.value.code == "not_your_group"


def test_a_moderator_of_another_event_cannot_approve(client, foreign_moderator, group):
    idea = table_idea(group)

    response = client.post(queue_url(foreign_moderator, name="approve", idea_id=idea.pk))

    assert response.status_code == 404
    assert Idea.objects.get(pk=idea.pk).moderation == Moderation.PENDING


def test_an_organiser_of_another_event_cannot_open_or_decide(event, group, other_organiser):
    idea = table_idea(group)
    client = Client()
    client.force_login(other_organiser)

    assert client.get(queue_url(event=event)).status_code == 404
    assert client.post(queue_url(event=event, name="approve", idea_id=idea.pk)).status_code == 404
    assert client.post(reverse("ideas:moderation_mode", args=[event.slug]), {"mode": "post"}).status_code == 404
    assert Idea.objects.get(pk=idea.pk).moderation == Moderation.PENDING


def test_anonymous_visitors_are_sent_to_the_login(client, event, group):
    idea = table_idea(group)

    assert client.get(queue_url(event=event)).status_code == 302
    assert client.post(queue_url(event=event, name="approve", idea_id=idea.pk)).status_code == 302
    assert Idea.objects.get(pk=idea.pk).moderation == Moderation.PENDING


def test_a_forged_moderator_link_opens_nothing(client, group):
    idea = table_idea(group)

    response = client.post(reverse("ideas:moderator_queue:approve", kwargs={"token": "forged", "idea_id": idea.pk}))

    assert response.status_code == 404
    assert Idea.objects.get(pk=idea.pk).moderation == Moderation.PENDING


def test_a_team_member_without_the_moderate_capability_is_refused(event, group, now):
    stranger = make_user("zuschauer")
    with pytest.raises(DomainError):
        services.approve_idea(table_idea(group), actor=stranger, now=now)
