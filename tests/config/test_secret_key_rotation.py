"""SECRET_KEY_FALLBACKS: after a key rotation, the personal links already sent keep working."""

from datetime import timedelta

import pytest

from registrations.links import manage_path
from tests.factories import EventFactory, agreement, register, registration_data

pytestmark = pytest.mark.django_db
OLD_KEY = "the-key-the-mails-were-signed-with-" + "o" * 20
NEW_KEY = "the-key-after-the-rotation-" + "n" * 30


@pytest.fixture
def old_link(settings, now):
    settings.SECRET_KEY = OLD_KEY
    settings.SECRET_KEY_FALLBACKS = []
    event = EventFactory(starts_in=timedelta(days=10), closes_after=timedelta(days=5))(terms=agreement(), now=now)
    registration = register(event, registration_data(1, "online"), now)
    return manage_path(registration)


def test_a_old_link_works_while_the_old_key_is_a_fallback(client, settings, old_link):
    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = [OLD_KEY]

    page = client.get(old_link)

    assert page.status_code == 200
    assert "Person 1" in page.text


def test_without_the_fallback_the_old_link_is_refused(client, settings, old_link):
    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = []

    assert client.get(old_link).status_code == 404
