"""A mail cannot answer the organisers' questions: the writer is registered (the seat is theirs in
order of arrival) and the confirmation asks for the required answers through the personal link."""

import pytest

from events.questions import QuestionData, add_question
from registrations.answers import NeedsData, change_details
from registrations.intake.services import process_raw_mail
from registrations.mail.compose import render
from registrations.models import MailKind, OutboxMail
from registrations.services import cancel
from tests.registrations.mail_corpus import plain

pytestmark = pytest.mark.django_db


def mail_to(registration, kind=MailKind.CONFIRMED) -> str:
    return render(OutboxMail.objects.get(registration=registration, kind=kind)).body


def test_a_mail_registration_is_taken_and_its_confirmation_asks_for_the_required_answers(make_event, now):
    event = make_event(format="onsite", keyword="Digitalisierung 20.08.")
    add_question(event, QuestionData("yes_no", "Brauchen Sie einen Parkplatz?", required=True), actor=None, now=now)
    intake_mail = process_raw_mail(
        plain("Eva Zimmer <eva@example.org>", "Digitalisierung 20.08.", "Ich komme."),
        received_at=now,
        source="t",
        now=now,
    )
    registration = intake_mail.registration
    assert (intake_mail.outcome, registration.status) == ("registered", "confirmed")
    body = mail_to(registration)
    assert "/angaben/" in body
    assert "Fragen" in body or "questions" in body


def test_no_request_for_answers_without_required_questions_or_once_answered(make_event, now):
    make_event(format="onsite", keyword="Ohne Fragen")
    optional = make_event(format="onsite", keyword="Freiwillig")
    add_question(optional, QuestionData("text", "Thema?"), actor=None, now=now)
    asked = make_event(format="onsite", keyword="Pflicht")
    topic = add_question(asked, QuestionData("text", "Thema?", required=True), actor=None, now=now)
    registrations = {
        keyword: process_raw_mail(
            plain("Eva <eva@example.org>", keyword, "x"), received_at=now, source="t", now=now
        ).registration
        for keyword in ("Ohne Fragen", "Freiwillig", "Pflicht")
    }
    assert "/angaben/" not in mail_to(registrations["Ohne Fragen"])
    assert "/angaben/" not in mail_to(registrations["Freiwillig"])
    answered = registrations["Pflicht"]
    assert "/angaben/" in mail_to(answered)
    change_details(answered, {topic.pk: "Radwege"}, NeedsData(), actor=None, now=now)
    answered.__dict__.pop("_details", None)
    assert "/angaben/" not in mail_to(answered)  # a retry or a later mail no longer asks


def test_the_cancellation_mail_does_not_ask_for_answers(make_event, now):
    event = make_event(format="onsite", keyword="Digitalisierung")
    add_question(event, QuestionData("text", "Thema?", required=True), actor=None, now=now)
    registration = process_raw_mail(
        plain("Eva <eva@example.org>", "Digitalisierung", "x"), received_at=now, source="t", now=now
    ).registration
    cancel(registration, actor=None, now=now)
    assert "/angaben/" not in mail_to(registration, MailKind.CANCELLED)
