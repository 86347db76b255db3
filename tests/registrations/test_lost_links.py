""" "I can't find my link": a citizen enters an address and gets one mail with the personal link
of every active registration of it; the page answers the same for every address."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from registrations import services
from registrations.links import registration_for_token
from registrations.mail.compose import render
from registrations.models import MailKind, OutboxMail

pytestmark = pytest.mark.django_db

ADDRESS = "Lotte.Kranichfeld@example.org"


def ask(client, address, *, language="de", **extra):
    prefix = "/en" if language == "en" else ""
    return client.post(f"{prefix}/mein-link/", {"email": address}, **extra)


def register(event, data, *, now):
    return services.register(event, data, channel="web", received_at=now, now=now)


@pytest.fixture
def lotte(make_event, person, now):
    first = make_event(format="onsite", onsite=5, title_de="Radverkehr", title_en="Cycling")
    second = make_event(format="online", online=5, title_de="Schulwege", title_en="School routes")
    german = register(first, person(name="Lotte Kranichfeld", email=ADDRESS, language="de"), now=now)
    english = register(second, person(seat="online", name="Lotte Kranichfeld", email=ADDRESS, language="en"), now=now)
    return german, english


def links_in(mail) -> list[str]:
    return re.findall(r"https?://\S+/anmeldung/\S+/", render(mail).body)


def test_a_known_and_an_unknown_address_get_the_same_answer(client, lotte):
    known = ask(client, ADDRESS)
    unknown = ask(client, "niemand@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("registrations:lost_links_sent")
    assert client.get(known["Location"]).content == client.get(unknown["Location"]).content
    assert list(OutboxMail.objects.values_list("to", "kind").filter(kind=MailKind.LOST_LINKS)) == [
        (ADDRESS, MailKind.LOST_LINKS)
    ]


def test_one_mail_lists_every_registration_each_link_in_the_registrations_language(client, lotte, now):
    german, english = lotte
    ask(client, ADDRESS.upper(), language="en")
    mail = OutboxMail.objects.get(kind=MailKind.LOST_LINKS)
    assert mail.language == "en" and mail.event is None
    message = render(mail)
    assert message.subject == "Your links to your registrations"
    assert "Radverkehr" not in message.body or "Cycling" not in message.body  # the mail's own language
    links = links_in(mail)
    assert len(links) == 2
    owners = [registration_for_token(link.rstrip("/").rsplit("/", 1)[1], now=now) for link in links]
    assert {owner.pk for owner in owners} == {german.pk, english.pk}
    by_owner = dict(zip([owner.pk for owner in owners], links, strict=True))
    assert "/en/anmeldung/" in by_owner[english.pk] and "/en/" not in by_owner[german.pk]


def test_a_cancelled_registration_is_left_out_and_none_left_sends_nothing(client, lotte, now):
    german, english = lotte
    services.cancel(german, actor=None, now=now, reason="self-service")
    ask(client, ADDRESS)
    assert len(links_in(OutboxMail.objects.get(kind=MailKind.LOST_LINKS))) == 1
    services.cancel(english, actor=None, now=now, reason="self-service")
    OutboxMail.objects.filter(kind=MailKind.LOST_LINKS).delete()
    assert ask(client, ADDRESS).status_code == 302
    assert not OutboxMail.objects.filter(kind=MailKind.LOST_LINKS).exists()


def test_the_german_mail_is_german(client, lotte):
    ask(client, ADDRESS)
    message = render(OutboxMail.objects.get(kind=MailKind.LOST_LINKS))
    assert message.subject == "Ihre Links zu Ihren Anmeldungen"
    assert "Radverkehr" in message.body


def test_a_malformed_address_is_refused_in_the_field_with_the_entry_kept(client, lotte):
    for language, message in [("de", "gültige E-Mail-Adresse"), ("en", "valid email address")]:
        answer = ask(client, "lotte(at)example", language=language)
        assert answer.status_code == 422
        assert "kern-form-input__input--error" in answer.text and message in answer.text
        assert 'value="lotte(at)example"' in answer.text
    assert not OutboxMail.objects.filter(kind=MailKind.LOST_LINKS).exists()


@override_settings(RATE_LIMITS={"lost_links": (2, 3600), "lost_links_address": (100, 3600)})
def test_one_client_is_limited_whatever_the_address(lotte):
    client = Client(REMOTE_ADDR="127.0.0.7")
    assert [ask(client, f"a{n}@example.org").status_code for n in range(3)] == [302, 302, 429]
    assert Client(REMOTE_ADDR="127.0.0.8").post("/mein-link/", {"email": ADDRESS}).status_code == 302


@override_settings(RATE_LIMITS={"lost_links": (100, 3600), "lost_links_address": (2, 3600)})
def test_one_address_is_limited_from_every_client_known_or_not(lotte):
    for address in [ADDRESS, "niemand@example.org"]:
        codes = [ask(Client(REMOTE_ADDR=f"127.0.1.{n}"), address).status_code for n in range(3)]
        assert codes == [302, 302, 429]
    assert OutboxMail.objects.filter(kind=MailKind.LOST_LINKS).count() == 2


def test_the_page_is_linked_from_the_event_page_the_received_page_and_the_footer(client, lotte):
    event = lotte[0].event
    lost = reverse("registrations:lost_links")
    for path in [event.get_absolute_url(), reverse("registrations:received", args=[event.slug]), "/datenauskunft/"]:
        assert f'href="{lost}"' in client.get(path).text
