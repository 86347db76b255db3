"""Hiding a question always takes a reason, as hiding an idea does: it is in the audit log, and an
asker who left an address with consent is told why by mail, in the language they asked in. Only
the event's team (capability `moderate`) hides or approves."""

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from events.models import AuditEntry, EventMember, Role
from live import services
from live.models import Question
from registrations.models import MailKind, OutboxMail
from tests.factories import make_user, running_event
from tests.live.live_factories import approved_question, asked, body_of
from tests.registrations.staff_helpers import client_of

pytestmark = pytest.mark.django_db


def hide(client, event, question, reason):
    return client.post(reverse("live:hide", args=[event.slug, question.pk]), {"reason": reason})


def test_the_team_hides_a_question_with_a_reason_which_the_audit_keeps(event, organiser):
    question = asked(event, "Billige Uhren?", via="zoom")

    response = hide(client_of(organiser), event, question, "Werbung")

    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.state, question.hidden_reason) == ("hidden", "Werbung")
    entry = AuditEntry.objects.get(action="live.question_hidden", target_id=question.pk)
    assert entry.data == {"reason": "Werbung"}
    assert "Billige Uhren?" not in client_of(None).get(reverse("live:questions", args=[event.slug])).text


def test_an_empty_reason_is_refused_at_the_field_and_nothing_changes(event, organiser):
    question = asked(event, "Billige Uhren?")

    refused = hide(client_of(organiser), event, question, "   ")

    assert refused.status_code == 422
    assert "Bitte sagen Sie, warum die Frage verborgen wird." in refused.text
    assert 'id="id_reason_error"' in refused.text
    assert Question.objects.get(pk=question.pk).state == "pending"
    assert not AuditEntry.objects.filter(action="live.question_hidden").exists()
    assert OutboxMail.objects.count() == 0


def test_a_too_long_reason_is_refused_with_what_was_typed_kept(event, organiser):
    question = asked(event, "Billige Uhren?")

    refused = hide(client_of(organiser), event, question, "Werbung " * 70)

    assert refused.status_code == 422
    assert "höchstens 500 Zeichen" in refused.text
    assert "Werbung Werbung" in refused.text
    assert Question.objects.get(pk=question.pk).state == "pending"


def test_the_service_refuses_hiding_without_a_reason(event, organiser):
    question = asked(event)

    with pytest.raises(DomainError) as refused:
        services.hide_question(question, "", actor=organiser, now=timezone.now())

    assert (refused.value.code, refused.value.field) == ("hidden_reason_required", "reason")
    assert Question.objects.get(pk=question.pk).state == "pending"


def test_an_asker_with_an_address_is_told_why_in_their_language(event, organiser):
    question = asked(event, "When?", email="jo@example.org", updates_consent=True, language="en")

    hide(client_of(organiser), event, question, "Answered in the talk already")

    mail = OutboxMail.objects.get()
    assert (mail.to, mail.kind, mail.language) == ("jo@example.org", MailKind.LIVE_QUESTION, "en")
    assert mail.facts == {"question": question.pk, "step": "hidden"}
    assert "Your question to the panel" in mail.subject
    body = body_of(mail)
    assert "Answered in the talk already" in body and "When?" in body
    assert "/en/datenauskunft/" in body


def test_a_german_asker_reads_german(event, organiser):
    question = asked(event, "Wann?", email="jo@example.org", updates_consent=True)

    services.hide_question(question, "Schon beantwortet", actor=organiser, now=timezone.now())

    mail = OutboxMail.objects.get()
    assert "Ihre Frage an das Podium" in mail.subject
    assert "Schon beantwortet" in body_of(mail) and "Guten Tag," in body_of(mail)


def test_no_address_no_mail(event, organiser):
    services.hide_question(asked(event), "Doppelt", actor=organiser, now=timezone.now())

    assert OutboxMail.objects.count() == 0


def test_an_open_question_on_the_wall_leaves_it_when_hidden(event, organiser):
    question = approved_question(event, actor=organiser)
    services.show_question(question, actor=organiser, now=timezone.now())

    hide(client_of(organiser), event, question, "Beleidigend")

    question.refresh_from_db()
    assert (question.state, question.shown_at) == ("hidden", None)
    assert "Wann kommt der Radweg?" not in client_of(None).get(reverse("live:panel", args=[event.slug])).text


def test_a_hidden_question_is_not_hidden_twice(event, organiser):
    question = services.hide_question(asked(event), "Doppelt", actor=organiser, now=timezone.now())

    with pytest.raises(DomainError) as refused:
        services.hide_question(question, "Nochmal", actor=organiser, now=timezone.now())

    assert refused.value.code == "question_hidden"


def test_a_moderator_of_the_team_hides_and_a_viewer_of_the_team_may_not(event):
    question = asked(event)
    moderator, viewer = make_user("moderatorin"), make_user("zuschauer")
    EventMember.objects.create(event=event, user=moderator, role=Role.MODERATOR)
    EventMember.objects.create(event=event, user=viewer, role=Role.VIEWER)

    assert hide(client_of(viewer), event, question, "Werbung").status_code == 403
    assert Question.objects.get(pk=question.pk).state == "pending"
    assert hide(client_of(moderator), event, question, "Werbung").status_code == 302
    assert Question.objects.get(pk=question.pk).state == "hidden"


def test_another_team_and_anonymous_cannot_hide(event):
    question = asked(event)
    stranger = make_user("orga-anderswo")
    running_event(team=[stranger])

    assert hide(client_of(stranger), event, question, "Werbung").status_code == 404
    anonymous = hide(client_of(None), event, question, "Werbung")
    assert anonymous.status_code == 302 and "anmelden" in anonymous["Location"]
    assert Question.objects.get(pk=question.pk).state == "pending"


def test_the_protocol_csv_says_where_each_question_came_from(event, organiser):
    question = services.approve_question(asked(event, via="stream"), actor=organiser, now=timezone.now())

    csv = client_of(organiser).get(reverse("live:protocol_csv", args=[event.slug])).content.decode()

    assert csv.splitlines()[0].endswith(";origin")
    assert f"question;{question.text};;0;;open;Livestream" in csv
