"""Messages to registrants are written in German and English; each person gets their language."""

import pytest
from django.urls import reverse

from registrations import services
from registrations.models import BulkMessage, OutboxMail
from registrations.outbox.bulk import send_bulk_message

from .mail_helpers import parts_of

pytest_plugins = ["tests.registrations.mail_fixtures"]
pytestmark = pytest.mark.django_db

MESSAGE = {
    "audience": "all",
    "subject": "Bitte Ausweis mitbringen",
    "body": "Liebe Teilnehmende,\n\nbis bald.",
    "subject_en": "Please bring your ID",
    "body_en": "Dear participants,\n\nsee you soon.",
}


def test_each_registrant_reads_the_message_in_their_language(
    client, smtp_server, make_event, person, organiser, now, django_capture_on_commit_callbacks
):
    event = make_event(format="onsite", organiser=organiser)
    services.register(event, person(email="de@example.org", language="de"), channel="web", received_at=now, now=now)
    services.register(event, person(email="en@example.org", language="en"), channel="web", received_at=now, now=now)
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outbox:write", args=[event.slug]), MESSAGE)

    assert response.status_code == 302
    german = smtp_server.messages_to("de@example.org")[-1]
    english = smtp_server.messages_to("en@example.org")[-1]
    assert german["Subject"].startswith("Bitte Ausweis mitbringen")
    assert "bis bald." in parts_of(german)["text/plain"].get_content()
    assert english["Subject"].startswith("Please bring your ID")
    text = parts_of(english)["text/plain"].get_content()
    assert "see you soon." in text and "bis bald" not in text


@pytest.mark.parametrize("missing", ["subject_en", "body_en", "subject", "body"])
def test_a_message_missing_one_language_is_refused_at_its_field_with_the_rest_kept(
    client, make_event, person, organiser, now, missing
):
    event = make_event(format="onsite", organiser=organiser)
    services.register(event, person(), channel="web", received_at=now, now=now)
    client.force_login(organiser)
    response = client.post(reverse("outbox:write", args=[event.slug]), {**MESSAGE, missing: " "})

    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors[missing]
    kept = next(name for name in ("subject", "body_en") if name != missing)
    assert form[kept].value() == MESSAGE[kept]
    assert not BulkMessage.objects.exists()
    assert not OutboxMail.objects.filter(kind="message").exists()


def test_the_service_refuses_a_message_without_english(make_event, organiser, now):
    event = make_event(format="onsite", organiser=organiser)
    with pytest.raises(Exception) as refusal:
        send_bulk_message(event, **{**MESSAGE, "body_en": ""}, actor=organiser, now=now)
    assert (refusal.value.code, refusal.value.field) == ("message_empty", "body_en")
