"""The opt-in to a feedback request after the event: recorded like the other consents, in the
citizen's language, and without a statement more in a batch of registrations."""

from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registrations import services
from registrations.models import ConsentKind, ConsentRecord
from registrations.submissions import Submission

pytestmark = pytest.mark.django_db


def test_the_feedback_consent_is_recorded_with_its_words_in_the_registrants_language(make_event, person, now):
    event = make_event(format="online")
    german = services.register(event, person("online", feedback_consent=True), channel="web", received_at=now, now=now)
    english = services.register(
        event, person("online", feedback_consent=True, language="en"), channel="web", received_at=now, now=now
    )
    without = services.register(event, person("online"), channel="web", received_at=now, now=now)
    texts = dict(ConsentRecord.objects.filter(kind=ConsentKind.FEEDBACK).values_list("registration_id", "text"))
    assert texts == {
        german.pk: "Ich bin einverstanden, nach der Veranstaltung eine Bitte um Rückmeldung zu erhalten.",
        english.pk: "I agree to receive a feedback request after the event.",
    }
    assert without.feedback_consent is None and german.feedback_consent.terms_version == 1


def test_a_batch_with_feedback_consents_costs_no_statement_more(make_event, person, now):
    event = make_event(format="online", online=100)

    def statements(consent: bool) -> int:
        batch = [Submission(replace(person("online"), feedback_consent=consent), "web", now) for _ in range(20)]
        with CaptureQueriesContext(connection) as captured:
            outcomes = services.register_many(event, batch, now=now)
        assert all(outcome.pk for outcome in outcomes)
        return len(captured)

    statements(False)  # the event's terms are read once, by the first batch
    assert statements(True) == statements(False)
    assert ConsentRecord.objects.filter(kind=ConsentKind.FEEDBACK).count() == 20
