"""The asker of a question hears of every step, as an idea's sender does: when it is approved (it
is on the list), hidden (test_hiding.py) and answered (with the panel's answer). Only with an
address and the consent, in the language they asked in, once per step, written in the
transaction of the decision; a question approved at once under post-moderation sends nothing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from events.models import AuditEntry, EventMember, Role
from live import services
from live.models import Question
from registrations.models import DataAccessRequest, MailKind, OutboxMail
from registrations.privacy.services import data_held, erase_address, request_data_access
from tests.factories import make_user, running_event
from tests.live.live_factories import asked, body_of, post_moderated
from tests.registrations.staff_helpers import client_of

pytestmark = pytest.mark.django_db

ADDRESS = "jo@example.org"


def with_address(event, text="Wann kommt der Radweg?", **draft):
    return asked(event, text, email=ADDRESS, updates_consent=True, **draft)


def approve(client, event, question):
    return client.post(reverse("live:approve", args=[event.slug, question.pk]))


def answer(client, event, question, text):
    return client.post(reverse("live:answer", args=[event.slug, question.pk]), {"answer": text})


def steps() -> list[str]:
    return [mail.facts["step"] for mail in OutboxMail.objects.order_by("pk")]


def test_an_english_asker_hears_that_the_question_is_on_the_list_and_then_the_answer(event, organiser):
    question = with_address(event, "When does the cycle path come?", language="en")
    desk = client_of(organiser)

    assert approve(desk, event, question).status_code == 302
    approved = OutboxMail.objects.get()
    assert (approved.to, approved.kind, approved.language) == (ADDRESS, MailKind.LIVE_QUESTION, "en")
    assert approved.facts == {"question": question.pk, "step": "approved"}
    assert approved.subject == f"Your question to the panel of “{event.title_en or event.title_de}” is on the list"
    body = body_of(approved)
    assert "When does the cycle path come?" in body and "it is on the list of questions now" in body
    assert f"/en/veranstaltungen/{event.slug}/live/fragen/#question-{question.pk}" in body
    assert "/en/datenauskunft/" in body

    assert answer(desk, event, question, "Construction begins in spring.").status_code == 302
    answered = OutboxMail.objects.exclude(pk=approved.pk).get()
    assert answered.facts == {"question": question.pk, "step": "answered"}
    assert answered.subject.endswith("has been answered") and answered.language == "en"
    assert "The panel has answered it." in body_of(answered)
    assert "Construction begins in spring." in body_of(answered)


def test_a_german_asker_reads_german(event, organiser):
    now = timezone.now()
    question = with_address(event, "Wann kommt der Radweg?")

    services.approve_question(question, actor=organiser, now=now)
    services.answer_question(question, "Der Bau beginnt im Frühjahr.", actor=organiser, now=now)

    approved, answered = OutboxMail.objects.order_by("pk")
    assert approved.subject.endswith("steht auf der Liste") and approved.language == "de"
    assert "Guten Tag," in body_of(approved) and "Sie steht jetzt auf der Liste der Fragen" in body_of(approved)
    assert f"/veranstaltungen/{event.slug}/live/fragen/#question-{question.pk}" in body_of(approved)
    assert answered.subject.endswith("ist beantwortet")
    assert "Das Podium hat sie beantwortet." in body_of(answered)
    assert "Der Bau beginnt im Frühjahr." in body_of(answered)


def test_an_answer_left_empty_is_told_without_one(event, organiser):
    question = with_address(event, language="en")
    services.approve_question(question, actor=organiser, now=timezone.now())

    services.answer_question(question, "", actor=organiser, now=timezone.now())

    answered = OutboxMail.objects.get(facts__step="answered")
    assert "The panel has answered it." in body_of(answered)
    assert "as the moderation team noted it" not in body_of(answered)


def test_no_address_no_mail(event, organiser):
    question = asked(event)

    services.approve_question(question, actor=organiser, now=timezone.now())
    services.answer_question(question, "Im Frühjahr.", actor=organiser, now=timezone.now())

    assert OutboxMail.objects.count() == 0


def test_an_address_erased_on_request_gets_no_more_mail(event, organiser):
    question = with_address(event)

    request_data_access(ADDRESS, now=timezone.now())
    erase_address(DataAccessRequest.objects.get(), now=timezone.now())
    before = OutboxMail.objects.count()
    services.approve_question(question, actor=organiser, now=timezone.now())
    services.answer_question(question, "Im Frühjahr.", actor=organiser, now=timezone.now())

    assert Question.objects.get(pk=question.pk).submitter_email == ""
    assert OutboxMail.objects.count() == before


def test_approving_or_answering_twice_sends_one_mail_each(event, organiser):
    question = with_address(event)
    desk = client_of(organiser)

    approve(desk, event, question)
    approve(desk, event, question)
    answer(desk, event, question, "Im Frühjahr.")
    answer(desk, event, question, "Im Frühjahr, sagt das Podium.")

    assert steps() == ["approved", "answered"]
    assert AuditEntry.objects.filter(action="live.question_approved").count() == 2


def test_a_pending_question_answered_at_once_gets_the_answer_only(event, organiser):
    question = with_address(event)

    services.answer_question(question, "Im Frühjahr.", actor=organiser, now=timezone.now())

    assert Question.objects.get(pk=question.pk).state == "approved"
    assert steps() == ["answered"]


def test_post_moderation_sends_nothing_for_the_approval_given_at_once(event, organiser):
    post_moderated(event)
    question = with_address(event)
    assert question.state == "approved"

    services.approve_question(question, actor=organiser, now=timezone.now())
    assert OutboxMail.objects.count() == 0

    services.answer_question(question, "Im Frühjahr.", actor=organiser, now=timezone.now())
    assert steps() == ["answered"]


def test_a_hidden_question_approved_after_all_is_on_the_list(event, organiser):
    question = services.hide_question(with_address(event), "Doppelt", actor=organiser, now=timezone.now())

    services.approve_question(question, actor=organiser, now=timezone.now())

    assert steps() == ["hidden", "approved"]


def test_a_refused_decision_sends_nothing(event, organiser):
    question = services.hide_question(with_address(event), "Doppelt", actor=organiser, now=timezone.now())

    with pytest.raises(DomainError) as refused:
        services.answer_question(question, "Im Frühjahr.", actor=organiser, now=timezone.now())

    assert refused.value.code == "question_hidden"
    assert steps() == ["hidden"]


def test_who_may_decide_is_unchanged_and_a_refusal_sends_no_mail(event):
    question = with_address(event)
    viewer, stranger = make_user("zuschauer"), make_user("orga-anderswo")
    EventMember.objects.create(event=event, user=viewer, role=Role.VIEWER)
    running_event(team=[stranger])

    assert approve(client_of(viewer), event, question).status_code == 403
    assert answer(client_of(viewer), event, question, "Ja.").status_code == 403
    assert approve(client_of(stranger), event, question).status_code == 404
    assert answer(client_of(stranger), event, question, "Ja.").status_code == 404
    assert approve(client_of(None), event, question).status_code == 302
    assert answer(client_of(None), event, question, "Ja.").status_code == 302

    assert Question.objects.get(pk=question.pk).state == "pending"
    assert OutboxMail.objects.count() == 0


def test_the_askers_mails_are_in_the_address_data_export(event, organiser):
    question = with_address(event)
    services.approve_question(question, actor=organiser, now=timezone.now())
    services.answer_question(question, "Im Frühjahr.", actor=organiser, now=timezone.now())

    held = data_held(ADDRESS)

    assert [mail["kind"] for mail in held["sent_mails"]] == [MailKind.LIVE_QUESTION] * 2
    assert [entry["question"] for entry in held["live_questions"]] == [question.text]
