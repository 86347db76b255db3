"""Someone registers a person again: the page answered neutrally, the address gets its link."""

import pytest

from registrations import services

from .mail_helpers import parts_of, registrations_linked

pytest_plugins = ["tests.registrations.mail_fixtures"]
pytestmark = [pytest.mark.usefixtures("in_english"), pytest.mark.django_db]


def test_the_address_gets_its_link_and_no_one_else_learns_the_status(
    smtp_server, after_commit, make_event, person, now
):
    event = make_event(format="onsite", onsite=0)
    data = person(name="Eva Zimmer", email="eva@example.org")
    registration = after_commit(services.register, event, data, channel="web", received_at=now, now=now)
    with pytest.raises(services.AlreadyRegistered) as refusal:
        services.register(
            event, person(name="EVA ZIMMER", email="Eva@Example.org"), channel="web", received_at=now, now=now
        )
    after_commit(services.tell_owner_of_address, refusal.value, now=now)
    message = smtp_server.messages_to("eva@example.org")[-1]
    assert message["Subject"] == f"You are already registered: {event.title}"
    text = parts_of(message)["text/plain"].get_content()
    assert "the name Eva Zimmer" in text
    assert registrations_linked(text, now=now) == {registration.pk}
