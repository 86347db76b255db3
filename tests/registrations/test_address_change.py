"""A new e-mail address for a registration takes effect only when its owner confirms it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from core.errors import DomainError
from events.models import AuditEntry
from registrations import address_change, services
from registrations.links import email_change_url, manage_url
from registrations.models import EmailChange, MailKind, OutboxMail, Registration

from .mail_helpers import parts_of, registrations_linked

pytest_plugins = ["tests.registrations.mail_fixtures"]
pytestmark = [pytest.mark.usefixtures("in_english"), pytest.mark.django_db]


def token_of_mail(text: str) -> str | None:
    found = re.search(r"/adresse-bestaetigen/([^/\s]+)/", text)
    return found and found.group(1)


def token_of(change: EmailChange) -> str:
    return email_change_url(change).rstrip("/").rsplit("/", 1)[-1]


@pytest.fixture
def registration(make_event, person, now):
    event = make_event(format="onsite")
    return services.register(
        event, person(name="Eva Zimmer", email="eva@example.org"), channel="web", received_at=now, now=now
    )


def test_the_new_address_gets_a_link_to_confirm_and_the_registration_keeps_its_address_until_then(
    registration, organiser, now, smtp_server, after_commit, deliver
):
    change = after_commit(address_change.change_email, registration, "eva.neu@example.org", actor=organiser, now=now)
    deliver()

    registration.refresh_from_db()
    assert registration.email == "eva@example.org"
    message = smtp_server.messages_to("eva.neu@example.org")[-1]
    assert message["Subject"].startswith("Please confirm your e-mail address")
    text = parts_of(message)["text/plain"].get_content()
    assert token_of_mail(text) is not None
    assert address_change.open_change_for(token_of_mail(text), now=now) == change
    assert registrations_linked(text, now=now) == set()  # no personal link to an address nobody confirmed
    assert AuditEntry.objects.filter(action="registration.email_change_requested", actor=organiser).exists()


def test_confirming_changes_the_address_tells_the_old_one_and_sends_the_link_to_the_new_one(
    registration, organiser, now, smtp_server, after_commit, deliver
):
    change = address_change.change_email(registration, "eva.neu@example.org", actor=organiser, now=now)
    later = now + timedelta(hours=1)
    after_commit(address_change.confirm_email_change, token_of(change), now=later)
    deliver()

    registration.refresh_from_db()
    assert registration.email == "eva.neu@example.org"
    assert registration.email_normalized == "eva.neu@example.org"
    assert registration.status == "confirmed"  # the seat stays
    old = smtp_server.messages_to("eva@example.org")[-1]
    assert old["Subject"].startswith("The e-mail address of your registration has changed")
    assert registrations_linked(parts_of(old)["text/plain"].get_content(), now=later) == set()
    new = smtp_server.messages_to("eva.neu@example.org")[-1]
    assert registrations_linked(parts_of(new)["text/plain"].get_content(), now=later) == {registration.pk}
    assert AuditEntry.objects.filter(action="registration.email_changed").count() == 1
    # Twice is once.
    address_change.confirm_email_change(token_of(change), now=later)
    assert AuditEntry.objects.filter(action="registration.email_changed").count() == 1


def test_a_later_request_supersedes_the_open_one(registration, now):
    first = address_change.change_email(registration, "a@example.org", actor=None, now=now)
    second = address_change.change_email(registration, "b@example.org", actor=None, now=now)
    with pytest.raises(address_change.InvalidLink):
        address_change.confirm_email_change(token_of(first), now=now)
    address_change.confirm_email_change(token_of(second), now=now)
    registration.refresh_from_db()
    assert registration.email == "b@example.org"
    assert not OutboxMail.objects.filter(kind=MailKind.EMAIL_CHANGED, to="a@example.org").exists()


@pytest.mark.parametrize(
    ("address", "code"),
    [("not-an-address", "invalid_email"), ("EVA@example.org", "same_email"), ("x" * 250 + "@ex.org", "email_too_long")],
)
def test_bad_addresses_are_refused_at_the_field_and_nothing_is_recorded(registration, now, address, code):
    with pytest.raises(DomainError) as refusal:
        address_change.change_email(registration, address, actor=None, now=now)
    assert (refusal.value.code, refusal.value.status, refusal.value.field) == (code, 422, "email")
    assert not EmailChange.objects.exists()
    assert not OutboxMail.objects.filter(kind=MailKind.EMAIL_CHANGE).exists()


def test_a_forged_or_expired_link_changes_nothing(registration, now):
    change = address_change.change_email(registration, "eva.neu@example.org", actor=None, now=now)
    with pytest.raises(address_change.InvalidLink):
        address_change.confirm_email_change(token_of(change) + "x", now=now)
    with pytest.raises(address_change.InvalidLink):
        address_change.confirm_email_change(token_of(change)[::-1], now=now)
    registration.refresh_from_db()
    assert registration.email == "eva@example.org"


def test_a_cancelled_registration_keeps_its_address(registration, now):
    change = address_change.change_email(registration, "eva.neu@example.org", actor=None, now=now)
    services.cancel(registration, actor=None, now=now)
    with pytest.raises(DomainError) as refusal:
        address_change.confirm_email_change(token_of(change), now=now)
    assert refusal.value.code == "already_cancelled"
    assert Registration.objects.get().email == "eva@example.org"


def test_the_address_of_someone_registered_under_it_already_is_refused_on_confirmation(registration, person, now):
    other = services.register(
        registration.event, person(name="Otto", email="otto@example.org"), channel="web", received_at=now, now=now
    )
    change = address_change.change_email(other, "eva@example.org", actor=None, now=now)
    Registration.objects.filter(pk=other.pk).update(name="Eva Zimmer", name_normalized=registration.name_normalized)
    with pytest.raises(DomainError) as refusal:
        address_change.confirm_email_change(token_of(change), now=now)
    assert refusal.value.code == "already_registered"
    assert Registration.objects.get(pk=other.pk).email == "otto@example.org"


def test_the_confirmation_page_changes_nothing_when_opened_and_confirms_with_its_button(client, registration, now):
    change = address_change.change_email(registration, "eva.neu@example.org", actor=None, now=now)
    url = reverse("registrations:confirm_email", args=[token_of(change)])

    page = client.get(url)
    assert page.status_code == 200
    assert "eva.neu@example.org" in page.content.decode()
    assert Registration.objects.get().email == "eva@example.org"

    answer = client.post(url)
    assert answer.status_code == 302
    assert answer.url == reverse("registrations:manage", args=[manage_url(registration).rsplit("/", 2)[-2]])
    assert Registration.objects.get().email == "eva.neu@example.org"
    assert client.get(reverse("registrations:confirm_email", args=["forged"])).status_code == 404


def test_erasing_the_registration_erases_the_requested_address(registration, now):
    from registrations.privacy.services import erase

    address_change.change_email(registration, "eva.neu@example.org", actor=None, now=now)
    counts = erase(
        Registration.objects.filter(pk=registration.pk),
        intake=Registration.objects.none(),
        outbox=OutboxMail.objects.none(),
        now=now,
    )
    assert counts["email_changes"] == 1
    assert not EmailChange.objects.exists()
