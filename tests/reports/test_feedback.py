"""The survey after the event: consent at registration, the mailed single-use link, anonymous
answers, results as charts and CSV."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.errors import DomainError
from registrations.models import ConsentKind, ConsentRecord, MailKind, OutboxMail
from reports.feedback import services
from reports.models import Answer, Invitation, Question, Response, Survey
from tests.registrations.staff_helpers import client_of

pytestmark = pytest.mark.django_db


def send(held, organiser, *, after_minutes=60):
    return services.send_invitations(
        held.event, actor=organiser, now=held.event.ends_at + timedelta(minutes=after_minutes)
    )


def link_of(mail: OutboxMail) -> str:
    return mail.facts["survey_url"].split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def token_of(mail: OutboxMail) -> str:
    return re.search(r"/rueckmeldung/([^/]+)/$", mail.facts["survey_url"])[1]


def survey_mails(event):
    return OutboxMail.objects.filter(event=event, kind=MailKind.FEEDBACK_REQUEST).select_related("registration")


def answers_for(questions, **by_kind) -> dict:
    return {f"q{question.pk}": by_kind.get(question.kind, "") for question in questions}


def test_the_link_goes_only_to_those_who_came_and_agreed(
    held, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = send(held, organiser)
    assert outcome == services.SendOutcome(invited=2, already_invited=0, attended_without_consent=1)
    mails = survey_mails(held.event)
    assert {mail.registration for mail in mails} == {held.anna, held.clara}  # dieter came but did not agree
    assert {mail.to for mail in mails} == {held.anna.email, held.clara.email}
    assert len(mailoutbox) == 2
    sent = next(mail for mail in mailoutbox if mail.to == [held.anna.email]).message()
    assert "Ihre Meinung zu" in sent["Subject"]
    assert "/rueckmeldung/" in sent.get_body(("plain",)).get_content()


def test_sending_twice_mails_once_and_later_attendees_are_added(held, organiser):
    send(held, organiser)
    assert send(held, organiser, after_minutes=90).invited == 0
    assert survey_mails(held.event).count() == 2
    from tests.reports.report_helpers import checked_in

    checked_in(held.bernd)
    assert send(held, organiser, after_minutes=120) == services.SendOutcome(1, 2, 1)
    assert survey_mails(held.event).count() == 3 and Invitation.objects.count() == 3


def test_a_withdrawn_consent_gets_no_link(held, organiser):
    ConsentRecord.objects.filter(registration=held.anna, kind=ConsentKind.FEEDBACK).update(
        withdrawn_at=held.event.ends_at
    )
    send(held, organiser)
    assert {mail.registration for mail in survey_mails(held.event)} == {held.clara}


def test_the_default_questions_are_used_unless_organisers_wrote_their_own(held, organiser):
    send(held, organiser)
    assert Question.objects.filter(survey__event=held.event).count() == len(services.DEFAULT_QUESTIONS)


@pytest.mark.parametrize(
    "when, status, code",
    [(-30, "published", "event_not_over"), (60, "cancelled", "event_not_held")],
    ids=["before the end", "cancelled event"],
)
def test_sending_before_the_end_or_for_a_cancelled_event_is_refused_and_sends_nothing(
    held, organiser, when, status, code
):
    type(held.event).objects.filter(pk=held.event.pk).update(status=status)
    held.event.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        send(held, organiser, after_minutes=when)
    assert refused.value.code == code
    assert not Invitation.objects.exists() and not survey_mails(held.event).exists()


def test_an_answer_is_stored_once_without_any_link_to_the_person(client, held, organiser):
    send(held, organiser)
    mail = survey_mails(held.event).get(registration=held.anna)
    page = client.get(link_of(mail))
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    questions = list(Question.objects.filter(survey__event=held.event))
    data = answers_for(questions, rating="4", choice="vor Ort", text="Mehr Pausen, bitte.")
    answered = client.post(link_of(mail), data)
    assert answered.status_code == 200 and "Vielen Dank" in answered.content.decode()
    assert Response.objects.count() == 1 and Answer.objects.count() == 4
    assert Invitation.objects.get(registration=held.anna).used
    response_fields = {f.name for f in Response._meta.get_fields()} | {f.name for f in Answer._meta.get_fields()}
    assert not response_fields & {"invitation", "registration", "email", "submitted_at", "token"}
    again = client.post(link_of(mail), data)
    assert again.status_code == 410 and Response.objects.count() == 1
    assert client.get(link_of(mail)).status_code == 410


def test_a_forged_or_foreign_link_is_refused(client, held, organiser):
    send(held, organiser)
    for token in ("x" * 43, "", "a" * 200):
        response = client.get(f"/rueckmeldung/{token}/") if token else client.get("/rueckmeldung/-/")
        assert response.status_code == 404
        assert b"nicht g\xc3\xbcltig" in response.content
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "override, message",
    [
        ({"rating": "6"}, "Select a valid choice."),
        ({"rating": "drei"}, "Select a valid choice."),
        ({"choice": "im Traum"}, "Select a valid choice."),
        ({"text": "x" * 2001}, "Ensure this value has at most 2000 characters"),
    ],
    ids=["rating too high", "rating not a number", "unknown option", "text too long"],
)
def test_bad_answers_show_the_form_again_and_store_nothing(client, held, organiser, english, override, message):
    send(held, organiser)
    mail = survey_mails(held.event).get(registration=held.anna)
    questions = list(Question.objects.filter(survey__event=held.event))
    data = answers_for(questions, **{"rating": "4", "choice": "online", "text": "Gut.", **override})
    response = client.post("/en" + link_of(mail), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert not Invitation.objects.get(registration=held.anna).used


def test_a_required_question_must_be_answered_and_the_service_checks_it_too(held, organiser, client, english):
    services.add_question(
        held.event,
        services.QuestionData("text", "Was nehmen Sie mit?", "What do you take home?", required=True),
        actor=organiser,
        now=held.event.ends_at,
    )
    send(held, organiser)
    mail = survey_mails(held.event).get(registration=held.anna)
    response = client.post("/en" + link_of(mail), {})
    assert response.status_code == 422 and "This field is required." in response.content.decode()
    question = Question.objects.get()
    with pytest.raises(DomainError) as refused:
        services.submit_answers(token_of(mail), {question.pk: ""}, now=held.event.ends_at)
    assert refused.value.code == "answer_required"
    with pytest.raises(DomainError) as refused:
        services.answer_row(Question(kind="rating", text_de="Note?"), 0)
    assert refused.value.code == "invalid_rating"
    assert not Response.objects.exists() and not Invitation.objects.get(registration=held.anna).used


def test_organisers_define_questions_until_the_survey_is_sent(held, organiser, english):
    client = client_of(organiser)
    url = reverse("reports:add_question", args=[held.event.slug])
    remove_url = reverse("reports:remove_question", args=[held.event.slug, 0]).replace("/0/", "/{}/")
    added = client.post(url, {"kind": "choice", "text_de": "Wie kamen Sie?", "choices_de": "Bus\nRad\nAuto"})
    assert added.status_code == 302
    question = Question.objects.get()
    assert [value for value, _label in question.options()] == ["Bus", "Rad", "Auto"]
    bad = client.post(url, {"kind": "choice", "text_de": "Nur eine?", "choices_de": "Bus"})
    assert bad.status_code == 422 and "Give at least two options, one a line." in bad.content.decode()
    mismatched = client.post(url, {"kind": "rating", "text_de": "Note?", "choices_de": "a\nb"})
    assert mismatched.status_code == 422
    assert Question.objects.count() == 1
    send(held, organiser)
    late = client.post(url, {"kind": "text", "text_de": "Zu spät?"})
    assert late.status_code == 422 and "can no longer change" in late.content.decode()
    removed = client.post(remove_url.format(question.pk))
    assert removed.status_code == 302 and Question.objects.count() == 1


def test_the_organiser_sends_from_the_page_and_sees_results_as_charts_and_csv(client, held, organiser, english):
    team = client_of(organiser)
    page_url = reverse("reports:survey", args=[held.event.slug])
    csv_url = reverse("reports:survey_csv", args=[held.event.slug])
    response = team.post(reverse("reports:send_survey", args=[held.event.slug]), follow=True)
    assert "2 survey links sent." in response.content.decode()
    questions = list(Question.objects.filter(survey__event=held.event))
    for mail, rating in zip(survey_mails(held.event).order_by("pk"), ("5", "3"), strict=True):
        client.post(link_of(mail), answers_for(questions, rating=rating, choice="online", text=f"Note {rating}"))
    page = team.get(page_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "2 answered of 2 invited." in html and "Average: 4.0 of 5." in html
    assert html.count('role="img"') == 3  # two ratings, one choice; the texts are listed
    assert "Note 5" in html and "Note 3" in html
    export = team.get(csv_url)
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    head, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 2 and head[0] == "Response" and sorted(row[2] for row in rows) == ["3", "5"]
    assert "Anna" not in text and held.anna.email not in text


def test_the_questions_are_listed_in_both_languages_each_marked_with_its_language(client, held, organiser, english):
    team = client_of(organiser)
    before = team.get(reverse("reports:survey", args=[held.event.slug])).content.decode()
    assert '<span lang="de">Wie zufrieden waren Sie mit der Veranstaltung insgesamt?</span>' in before
    team.post(reverse("reports:send_survey", args=[held.event.slug]))
    html = team.get(reverse("reports:survey", args=[held.event.slug])).content.decode()
    question = Question.objects.filter(survey__event=held.event).first()
    assert f'<span lang="de">{question.text_de}</span>' in html
    assert f'<span lang="en">{question.text_en}</span>' in html


def test_the_pages_refuse_another_team_and_anonymous(held, organiser, outsider):
    send(held, organiser)
    for name in ("reports:survey", "reports:survey_csv"):
        url = reverse(name, args=[held.event.slug])
        assert client_of(outsider).get(url).status_code == 404
        assert client_of(None).get(url).status_code == 302
    for name, args in (
        ("reports:send_survey", []),
        ("reports:add_question", []),
        ("reports:remove_question", [Question.objects.first().pk]),
    ):
        url = reverse(name, args=[held.event.slug, *args])
        assert client_of(outsider).post(url, {"kind": "text", "text_de": "Eingeschleust"}).status_code == 404
        assert client_of(None).post(url).status_code == 302
    assert survey_mails(held.event).count() == 2 and Question.objects.count() == len(services.DEFAULT_QUESTIONS)


def test_the_results_page_costs_the_same_with_many_answers(client, held, organiser):
    send(held, organiser)
    team = client_of(organiser)
    url = reverse("reports:survey", args=[held.event.slug])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert team.get(url).status_code == 200
        return len(captured)

    few = count()
    survey = Survey.objects.get()
    questions = list(survey.questions.all())
    for number in range(30):
        response = Response.objects.create(survey=survey, submitted_on=held.event.ends_at.date())
        Answer.objects.bulk_create(
            [Answer(response=response, question=q, rating=number % 5 + 1) for q in questions if q.kind == "rating"]
            + [Answer(response=response, question=q, text=f"Text {number}") for q in questions if q.kind == "text"]
        )
    assert count() == few


def test_the_feedback_consent_is_recorded_from_the_web_form_the_api_and_the_phone(client, organiser, now):
    from tests.reports.report_helpers import past_event

    event = past_event(organiser, slug="offen", now=now)
    type(event).objects.filter(pk=event.pk).update(
        registration_closes_at=now + timedelta(days=1),
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=2),
    )
    base = {
        "name": "Web Person",
        "email": "web@example.org",
        "seat_type": "online",
        "language": "de",
        "accept_terms": "on",
        "feedback_consent": "on",
    }
    assert client.post(reverse("registrations:register", args=[event.slug]), base).status_code in (200, 302)
    api = client.post(
        f"/api/events/{event.slug}/registrations",
        {
            "name": "Api Person",
            "email": "api@example.org",
            "seat": "online",
            "accept_terms": True,
            "feedback_consent": True,
        },
        content_type="application/json",
    )
    assert api.status_code == 202, api.content
    team = client_of(organiser)
    phone = team.post(
        reverse("staff:phone", args=[event.slug]),
        {
            "received_at": now.strftime("%Y-%m-%dT%H:%M"),
            "seat_type": "online",
            "name": "Telefon Person",
            "phone": "02305 1",
            "email": "",
            "language": "de",
            "accept_terms": "on",
            "feedback_consent": "on",
        },
    )
    assert phone.status_code == 302, phone.content.decode()[:2000]
    without = {**base, "name": "Ohne", "email": "ohne@example.org", "feedback_consent": ""}
    client.post(reverse("registrations:register", args=[event.slug]), without)
    consents = ConsentRecord.objects.filter(kind=ConsentKind.FEEDBACK).select_related("registration")
    assert sorted((c.registration.name, c.channel) for c in consents) == [
        ("Api Person", "web"),
        ("Telefon Person", "phone"),
        ("Web Person", "web"),
    ]
    assert all("Bitte um Rückmeldung" in consent.text for consent in consents)
    assert consents.get(channel="phone").recorded_by == organiser


def test_the_scheduled_sending_covers_only_events_with_their_own_survey_and_is_idempotent(held, organiser, now):
    from io import StringIO

    from django.core.management import call_command

    output = StringIO()
    call_command("send_feedback_requests", stdout=output)
    assert "No event is due." in output.getvalue() and not Invitation.objects.exists()
    services.add_question(held.event, services.QuestionData("rating", "Wie war es?"), actor=organiser, now=now)
    call_command("send_feedback_requests", stdout=output)
    call_command("send_feedback_requests", stdout=output)
    assert "digitalisierung: 2 sent, 0 invited before" in output.getvalue()
    assert "digitalisierung: 0 sent, 2 invited before" in output.getvalue()
    assert survey_mails(held.event).count() == 2
    call_command("send_feedback_requests", "--after-hours", "100", stdout=output)
    assert output.getvalue().endswith("No event is due.\n")


def test_the_consent_link_withdraws_the_feedback_consent_and_then_no_link_goes_out(client, held, organiser):
    from registrations.links import consent_url

    path = "/" + consent_url(held.anna).split("://", 1)[1].split("/", 1)[1]
    page = client.get(path)
    assert "Mein Einverständnis mit einer Bitte um Rückmeldung widerrufen" in page.content.decode()
    response = client.post(path, {"kind": "feedback"}, follow=True)
    assert "Bitte um Rückmeldung nach der Veranstaltung widerrufen" in response.content.decode()
    assert held.anna.consents.get(kind=ConsentKind.FEEDBACK).withdrawn_at is not None
    assert held.anna.consents.get(kind=ConsentKind.BROADCAST).withdrawn_at is None
    client.post(path, {"kind": "terms"})
    assert held.anna.consents.get(kind=ConsentKind.TERMS).withdrawn_at is None
    send(held, organiser)
    assert {mail.registration for mail in survey_mails(held.event)} == {held.clara}
