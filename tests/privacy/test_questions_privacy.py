"""Answers and structured needs are personal data: erased with retention and on request, shown in
the citizen's data export."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from events.questions import QuestionData, add_question
from registrations.answers import NeedsData
from registrations.mail.compose import render
from registrations.models import AccessibilityNeeds, Answer, DataAccessRequest, MailKind, OutboxMail, Registration
from registrations.privacy.services import data_held, erase_address, purge_expired, request_data_access
from tests.privacy.privacy_helpers import end_event, register
from tests.privacy.test_retention import all_database_text

pytestmark = pytest.mark.django_db

SECRETS = ("Radweg am Zacharias-Hof", "Erdnussallergie", "Zwillinge 4 und 6")


@pytest.fixture
def answered(make_event, person, now):
    event = make_event(format="onsite", onsite=5)
    topic = add_question(event, QuestionData("text", "Ihr Thema?", "Your topic?"), actor=None, now=now)
    parking = add_question(event, QuestionData("yes_no", "Parkplatz?"), actor=None, now=now)
    event.refresh_from_db()
    needs = NeedsData(wheelchair=True, children=2, children_ages=SECRETS[2], dietary=SECRETS[1])
    registration = register(
        event,
        person(email="zacharias@example.org", answers={topic.pk: SECRETS[0], parking.pk: True}, accessibility=needs),
        now=now,
    )
    return registration


def test_retention_erases_answers_and_needs_and_keeps_the_questions(answered, now):
    text = all_database_text()
    assert all(secret.casefold() in text for secret in SECRETS)  # the scan finds them while they are there
    end_event(answered.event, days_ago=answered.event.retention_days + 1)
    [report] = purge_expired(now=now)
    assert (report.counts["answers"], report.counts["accessibility_needs"]) == (2, 1)
    text = all_database_text()
    assert not [secret for secret in SECRETS if secret.casefold() in text]
    assert not Answer.objects.exists() and not AccessibilityNeeds.objects.exists()
    assert answered.event.questions.count() == 2
    assert Registration.objects.filter(pk=answered.pk, personal_data_erased_at__isnull=False).exists()
    assert purge_expired(now=now) == []  # nothing more to erase


def test_the_dry_run_counts_answers_and_needs_and_erases_nothing(answered, now):
    end_event(answered.event, days_ago=answered.event.retention_days + 1)
    [report] = purge_expired(now=now, dry_run=True)
    assert (report.counts["answers"], report.counts["accessibility_needs"]) == (2, 1)
    assert Answer.objects.count() == 2


def test_the_data_export_shows_and_downloads_answers_and_needs(client, answered):
    data = data_held("Zacharias@example.org")
    [registration] = data["registrations"]
    assert registration["answers"] == [
        {"question": "Ihr Thema?", "answer": SECRETS[0]},
        {"question": "Parkplatz?", "answer": "yes"},
    ]
    assert registration["accessibility"] == {
        "wheelchair": True,
        "sign_language": False,
        "hearing_loop": False,
        "children": 2,
        "children_ages": SECRETS[2],
        "dietary": SECRETS[1],
    }
    client.post(reverse("privacy:request"), {"email": "zacharias@example.org"})
    mail = OutboxMail.objects.get(kind=MailKind.DATA_ACCESS)
    link = re.search(r"https?://\S+/daten/\S+/", render(mail).body).group(0).split("8000", 1)[1]
    page = Client().get(link).text
    assert all(secret in page for secret in SECRETS) and "Ihr Thema?" in page
    download = json.loads(Client().get(link + "daten.json").content)
    assert download["registrations"][0]["accessibility"]["dietary"] == SECRETS[1]


def test_a_registration_without_needs_exports_none(make_event, person, now):
    register(make_event(), person(email="ohne@example.org"), now=now)
    [registration] = data_held("ohne@example.org")["registrations"]
    assert (registration["answers"], registration["accessibility"]) == ([], None)


def test_erasing_an_address_deletes_its_answers_and_needs(client, answered, now):
    request_data_access("zacharias@example.org", now=now)
    counts = erase_address(DataAccessRequest.objects.get(), now=now)
    assert (counts["answers"], counts["accessibility_needs"]) == (2, 1)
    assert not Answer.objects.exists() and not AccessibilityNeeds.objects.exists()
