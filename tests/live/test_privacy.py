"""The askers' personal data (name, address) goes with the event's data: questions never public
are erased whole, the public ones lose name and address and stay. An address's data export lists
its questions, and its erasure blanks the address on them."""

import pytest
from django.utils import timezone

from live import services
from live.models import Question
from registrations.models import DataAccessRequest
from registrations.privacy.services import data_held, erase_address, purge_expired, request_data_access
from tests.live.live_factories import asked
from tests.privacy.privacy_helpers import end_event

pytestmark = pytest.mark.django_db

ADDRESS = "erika@example.org"


def with_address(event, text, **draft):
    return asked(event, text, name="Erika", email=ADDRESS, updates_consent=True, **draft)


def test_the_events_expiry_erases_hidden_questions_and_the_askers_of_the_others(event, organiser):
    now = timezone.now()
    public = services.approve_question(with_address(event, "Wann?", show_name=True), actor=organiser, now=now)
    services.hide_question(with_address(event, "Werbung?"), "Werbung", actor=organiser, now=now)
    with_address(event, "Nie entschieden?")
    end_event(event, days_ago=event.retention_days + 1)

    [dry] = purge_expired(now=now, dry_run=True)
    assert (dry.counts["live_questions_not_public"], dry.counts["live_question_addresses"]) == (2, 1)
    assert Question.objects.count() == 3
    [report] = purge_expired(now=now)

    assert report.counts["live_questions_not_public"] == 2
    assert (report.counts["live_question_addresses"], report.counts["live_question_names"]) == (1, 1)
    public.refresh_from_db()
    assert (public.text, public.name, public.show_name, public.submitter_email) == ("Wann?", "", False, "")
    assert public.updates_consent_at is None
    assert list(Question.objects.all()) == [public]


def test_the_data_export_lists_the_questions_asked_with_an_address(event):
    with_address(event, "Wann kommt der Radweg?", via="zoom")
    asked(event, "Ohne Adresse?")

    [question] = data_held(ADDRESS.upper())["live_questions"]

    assert question["question"] == "Wann kommt der Radweg?"
    assert (question["submitter_email"], question["name"], question["sent_from"]) == (ADDRESS, "Erika", "zoom")


def test_erasing_an_address_blanks_it_on_its_questions(event):
    question = with_address(event, "Wann?")
    now = timezone.now()
    request_data_access(ADDRESS, now=now)

    counts = erase_address(DataAccessRequest.objects.get(), now=now)

    assert counts["live_question_addresses"] == 1
    question.refresh_from_db()
    assert (question.submitter_email, question.updates_consent_at, question.text) == ("", None, "Wann?")
    assert data_held(ADDRESS)["live_questions"] == []
