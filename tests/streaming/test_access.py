"""Access data goes to confirmed online registrants (from the chosen time) and organisers only."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from events.models import Event
from registrations import services as registration_services
from registrations.links import manage_token
from streaming.models import ZoomMeeting
from streaming.zoom.sync import sync_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(zoom, make_event, register, now):
    event = make_event(format="hybrid", online=1, livestream_url="https://youtu.be/dQw4w9WgXcQ")
    confirmed = register(event)
    waiting = register(event)
    onsite = register(event, seat="onsite")
    sync_due(now=now)
    confirmed.refresh_from_db()
    meeting = ZoomMeeting.objects.get(event=event)
    return event, confirmed, waiting, onsite, meeting


def access_page(client, registration):
    return client.get(reverse("streaming:access", args=[manage_token(registration)]))


def test_a_confirmed_online_registrant_sees_their_personal_access(client, setting):
    _, confirmed, *_, meeting = setting
    page = access_page(client, confirmed)
    assert confirmed.personal_join_url and escape(confirmed.personal_join_url) in page.text
    assert str(meeting.meeting_id) in page.text and meeting.passcode in page.text
    assert page["Cache-Control"] == "private, no-store" and page["Referrer-Policy"] == "same-origin"


def test_waiting_on_site_and_strangers_see_no_access_data(client, setting):
    _, _, waiting, onsite, meeting = setting
    for registration in (waiting, onsite):
        page = access_page(client, registration).text
        assert meeting.passcode not in page and str(meeting.meeting_id) not in page
    assert client.get(reverse("streaming:access", args=["forged-token"])).status_code == 404


def test_access_data_waits_for_the_time_the_organisers_chose(client, setting):
    event, confirmed, *_, meeting = setting
    Event.objects.filter(pk=event.pk).update(access_data_hours_before=2)
    page = access_page(client, confirmed).text
    assert escape(confirmed.personal_join_url) not in page and meeting.passcode not in page


def test_no_public_page_feed_or_api_answer_shows_access_data(client, setting):
    event, confirmed, *_, meeting = setting
    secrets = [confirmed.personal_join_url.split("?")[1], meeting.passcode, str(meeting.meeting_id)]
    detail = f"/veranstaltungen/{event.slug}/"
    public = [
        detail,
        detail + "?stream=load",
        detail + "livestream/?stream=load",
        "/",
        "/veranstaltungen.ics",
        detail + "kalender.ics",
        "/api/events",
        f"/api/events/{event.slug}",
        "/en" + detail,
    ]
    for url in public:
        answer = client.get(url)
        assert answer.status_code == 200, url
        for secret in secrets:
            assert secret not in answer.content.decode(), (url, secret)


def test_the_access_mail_with_the_personal_link_goes_at_the_chosen_time(zoom, make_event, register, now):
    from registrations.models import MailKind, OutboxMail
    from registrations.outbox.schedule import queue_scheduled_mails

    event = make_event()
    Event.objects.filter(pk=event.pk).update(access_data_hours_before=24)
    event.refresh_from_db()
    person = register(event)
    sync_due(now=now)
    person.refresh_from_db()
    assert person.personal_join_url
    assert not OutboxMail.objects.filter(kind=MailKind.ACCESS_DATA).exists(), "not before the chosen time"

    queue_scheduled_mails(now=event.starts_at - timedelta(hours=23))
    mail = OutboxMail.objects.get(kind=MailKind.ACCESS_DATA)
    assert mail.registration == person


def test_the_access_mail_names_the_meeting_zoom_made_with_its_passcode(setting):
    """Organisers entered no access data by hand: the meeting Stadtdialog created at Zoom is it."""
    from registrations.mail.compose import render
    from registrations.models import MailKind, OutboxMail

    event, confirmed, _waiting, _onsite, meeting = setting
    assert not event.has_online_access
    # Sent once the personal link came back from Zoom (the organisers chose no later time).
    mail = OutboxMail.objects.get(kind=MailKind.ACCESS_DATA, registration=confirmed)
    with translation.override("de"):
        text = render(mail).body
    assert confirmed.personal_join_url in text
    assert str(meeting.meeting_id) in text
    assert meeting.passcode and meeting.passcode in text


def manage_page(client, registration):
    return client.get(reverse("registrations:manage", args=[manage_token(registration)]))


def test_the_personal_manage_page_shows_a_confirmed_online_registrant_the_meetings_access_data(client, setting):
    _, confirmed, *_, meeting = setting
    page = manage_page(client, confirmed)
    assert page.status_code == 200
    assert escape(confirmed.personal_join_url) in page.text
    assert str(meeting.meeting_id) in page.text and meeting.passcode in page.text
    assert page.text.count(escape(confirmed.personal_join_url)) == 2, "one section: the link's text and its href"
    assert 'aria-labelledby="zoom-access-heading"' in page.text and 'id="zoom-access-heading"' in page.text
    assert "Kenncode" in page.text and "Zugangsdaten" in page.text
    assert page["Cache-Control"] == "private, no-store" and page["Referrer-Policy"] == "same-origin"


def test_the_manage_page_speaks_english_under_en(client, setting):
    _, confirmed, *_, meeting = setting
    with translation.override("en"):
        page = manage_page(client, confirmed).text
    assert "Passcode" in page and "Your personal join link" in page and meeting.passcode in page


def test_waiting_on_site_and_cancelled_registrants_see_no_access_data_on_the_manage_page(client, setting, now):
    _, confirmed, waiting, onsite, meeting = setting
    secrets = [confirmed.personal_join_url, meeting.passcode, str(meeting.meeting_id)]
    for registration in (waiting, onsite):
        page = manage_page(client, registration)
        assert page.status_code == 200
        assert all(secret not in page.text for secret in secrets)

    registration_services.cancel(confirmed, actor=None, now=now, reason="test")
    page = manage_page(client, confirmed).text
    assert all(secret not in page for secret in secrets), "only while the seat is confirmed"


def test_the_manage_page_shows_the_meetings_data_only_from_the_chosen_time(client, setting):
    event, confirmed, *_, meeting = setting
    Event.objects.filter(pk=event.pk).update(access_data_hours_before=2)
    page = manage_page(client, confirmed).text
    assert meeting.passcode not in page and escape(confirmed.personal_join_url) not in page
    with time_machine.travel(event.starts_at - timedelta(hours=1), tick=False):
        assert meeting.passcode in manage_page(client, confirmed).text


def test_the_access_mail_and_the_personal_page_carry_the_live_channel(client, setting):
    """docs/live.md: the Zoom access mail links the live channel marked as coming from Zoom; the
    personal page shows the link and its QR code without a place (the form asks)."""
    from registrations.mail.compose import render
    from registrations.models import MailKind, OutboxMail

    event, confirmed, *_ = setting
    mail = OutboxMail.objects.get(kind=MailKind.ACCESS_DATA, registration=confirmed)
    with translation.override("de"):
        text = render(mail).body
    assert f"/mit/{event.live_code}/?via=zoom" in text
    assert "Während der Veranstaltung" in text
    page = manage_page(client, confirmed).text
    assert f"/mit/{event.live_code}/qr.svg" in page and f'/mit/{event.live_code}/"' in page
