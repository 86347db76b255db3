"""Personal links expire some time after their event, can be revoked, and cannot be turned into
another person's link."""

from datetime import timedelta

import time_machine
from django.core import signing

from events.models import AuditEntry
from registrations import services
from registrations.links import cancel_url, consent_url, manage_path, manage_token


def path_of(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_the_manage_link_works_until_90_days_after_the_event_then_says_it_is_invalid(client, make_event, person, now):
    registration = services.register(make_event(), person(), channel="web", received_at=now, now=now)
    path = manage_path(registration)
    assert client.get(path).status_code == 200
    after_event = registration.event.ends_at
    with time_machine.travel(after_event + timedelta(days=89), tick=False):
        assert client.get(path).status_code == 200
    with time_machine.travel(after_event + timedelta(days=91), tick=False):
        expired = client.get(path)
        assert expired.status_code == 404
        assert registration.name not in expired.text


def test_the_cancel_and_consent_links_expire_with_it(client, make_event, person, now, settings):
    settings.PERSONAL_LINK_DAYS_AFTER_EVENT = 1
    registration = services.register(make_event(), person(), channel="web", received_at=now, now=now)
    links = [path_of(cancel_url(registration)), path_of(consent_url(registration))]
    assert [client.get(link).status_code for link in links] == [200, 200]
    with time_machine.travel(registration.event.ends_at + timedelta(days=2), tick=False):
        assert [client.get(link).status_code for link in links] == [404, 404]


def test_a_link_older_than_the_longest_age_is_refused_even_before_its_event(client, make_event, person, now, settings):
    settings.PERSONAL_LINK_MAX_AGE_DAYS = 3
    registration = services.register(make_event(), person(), channel="web", received_at=now, now=now)
    with time_machine.travel(now - timedelta(days=4), tick=False):
        old_token = manage_token(registration)
    assert client.get(f"/anmeldung/{old_token}/").status_code == 404
    assert client.get(manage_path(registration)).status_code == 200


def test_revoking_ends_every_link_sent_so_far_and_is_audited(client, make_event, person, now, organiser):
    registration = services.register(make_event(), person(), channel="web", received_at=now, now=now)
    old_links = [manage_path(registration), path_of(cancel_url(registration)), path_of(consent_url(registration))]

    services.revoke_personal_links(registration, actor=organiser, now=now)

    assert [client.get(link).status_code for link in old_links] == [404, 404, 404]
    assert client.get(manage_path(registration)).status_code == 200
    assert AuditEntry.objects.filter(action="registration.links_revoked", target_id=registration.pk).exists()


def test_changing_the_id_inside_a_link_does_not_open_another_registration(client, make_event, person, now):
    event = make_event()
    mine = services.register(event, person(), channel="web", received_at=now, now=now)
    other = services.register(event, person(), channel="web", received_at=now, now=now)
    token = manage_token(mine)
    payload, rest = token.split(":", 1)
    # The other person's ID, encoded as the link encodes it, with my link's timestamp and signature.
    swapped = signing.b64_encode(
        signing.b64_decode(payload.encode()).replace(str(mine.public_id).encode(), str(other.public_id).encode())
    ).decode()
    assert swapped != payload
    response = client.get(f"/anmeldung/{swapped}:{rest}/")
    assert response.status_code == 404
    assert other.name not in response.text
