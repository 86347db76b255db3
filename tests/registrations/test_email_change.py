"""A citizen changes the e-mail address of a registration from the personal page: a link goes to
the new address, the address changes only when it is used, the seat stays, the old address is
told."""

import re

import pytest
from django.urls import reverse

from core.errors import DomainError
from events.models import AuditEntry
from registrations import services
from registrations.address_change import change_email, confirm_email_change
from registrations.links import manage_token
from registrations.mail.compose import render
from registrations.models import MailKind, OutboxMail, Registration, Status

pytestmark = pytest.mark.django_db

OLD = "lotte@example.org"
NEW = "Lotte.Neu@example.org"


@pytest.fixture
def lotte(make_event, person, now):
    event = make_event(format="onsite", onsite=1)
    registration = services.register(
        event, person(name="Lotte Kranichfeld", email=OLD), channel="web", received_at=now, now=now
    )
    assert registration.status == Status.CONFIRMED
    return registration


def page_of(registration):
    return reverse("registrations:email_change", args=[manage_token(registration)])


def confirmation_path(address=NEW) -> str:
    mail = OutboxMail.objects.filter(kind=MailKind.EMAIL_CHANGE, to=address).latest("pk")
    return "/" + re.search(r"https?://[^/]+/(\S*adresse-bestaetigen/\S+/)", render(mail).body).group(1)


def test_the_new_address_gets_a_link_and_nothing_changes_until_it_is_used(client, lotte):
    answer = client.post(page_of(lotte), {"email": NEW})
    assert answer.status_code == 302 and answer["Location"].startswith("/anmeldung/")
    lotte.refresh_from_db()
    assert lotte.email == OLD
    mail = OutboxMail.objects.get(kind=MailKind.EMAIL_CHANGE)
    assert mail.to == NEW
    body = render(mail).body
    assert "/anmeldung/" not in body  # no personal link to an unconfirmed address
    assert AuditEntry.objects.filter(action="registration.email_change_requested").exists()


def test_opening_the_link_changes_nothing_and_the_button_confirms_keeping_the_seat(client, lotte):
    client.post(page_of(lotte), {"email": NEW})
    path = confirmation_path()
    shown = client.get(path)
    assert shown.status_code == 200 and NEW in shown.text
    lotte.refresh_from_db()
    assert lotte.email == OLD

    confirmed = client.post(path)
    assert confirmed.status_code == 302
    after = Registration.objects.get(pk=lotte.pk)
    assert after.email == NEW and after.email_normalized == NEW.lower()
    assert (after.status, after.seat_type, after.ticket_secret) == (lotte.status, lotte.seat_type, lotte.ticket_secret)
    told = OutboxMail.objects.get(kind=MailKind.EMAIL_CHANGED)
    assert told.to == OLD
    # The personal link still works, and the link once more changes nothing.
    assert client.get(reverse("registrations:manage", args=[manage_token(after)])).status_code == 200
    client.post(path)
    assert OutboxMail.objects.filter(kind=MailKind.EMAIL_CHANGED).count() == 1


def test_a_malformed_address_is_refused_in_the_field_with_the_entry_kept(client, lotte):
    for prefix, message in [("", "gültige E-Mail-Adresse"), ("/en", "valid email address")]:
        answer = client.post(prefix + page_of(lotte), {"email": "lotte(at)neu"})
        assert answer.status_code == 422 and message in answer.text
        assert 'value="lotte(at)neu"' in answer.text
    assert not OutboxMail.objects.filter(kind=MailKind.EMAIL_CHANGE).exists()


def test_the_same_address_is_refused_at_the_field(client, lotte):
    answer = client.post(page_of(lotte), {"email": OLD.upper()})
    assert answer.status_code == 422 and 'id="id_email_error"' in answer.text


def test_a_broken_or_revoked_link_changes_nothing(client, lotte, now):
    change_email(lotte, NEW, actor=None, now=now)
    path = confirmation_path()
    assert client.get(path[:-3] + "xx/").status_code == 404
    services.revoke_personal_links(lotte, actor=None, now=now)
    assert client.post(path).status_code == 404
    lotte.refresh_from_db()
    assert lotte.email == OLD


def test_a_cancelled_registration_cannot_change_its_address(client, lotte, now):
    change_email(lotte, NEW, actor=None, now=now)
    token = confirmation_path().rstrip("/").rsplit("/", 1)[1]
    services.cancel(lotte, actor=None, now=now, reason="self-service")
    with pytest.raises(DomainError) as refused:
        confirm_email_change(token, now=now)
    assert refused.value.code == "already_cancelled"
    assert client.get(page_of(lotte)).status_code == 302


def test_a_wrong_personal_link_opens_no_form(client, lotte):
    assert client.get(reverse("registrations:email_change", args=["kaputt"])).status_code == 404
