"""The organisers' pages of the outbox and the check-in: who may see them, and what they do."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from registrations import consents, services
from registrations.models import BulkMessage, MailKind, MailState, OutboxMail

from .mail_helpers import outbox_rows

pytest_plugins = ["tests.registrations.mail_fixtures"]
pytestmark = [pytest.mark.usefixtures("in_english"), pytest.mark.django_db]

STAFF_PAGES = [
    ("outbox:list", {}),
    ("outbox:write", {}),
    ("outbox:call_list", {}),
    ("outbox:access_data", {}),
    ("outbox:move_event", {}),
    ("outbox:postpone_event", {}),
    ("outbox:cancel_event", {}),
    ("outbox:message", {"message_id": "bulk"}),
    ("outbox:source", {"mail_id": "mail"}),
    ("checkin:page", {}),
    ("checkin:search", {}),
]
STAFF_ACTIONS = [
    ("outbox:resend", {"mail_id": "mail"}),
    ("checkin:person", {"registration_id": "registration"}),
    ("checkin:page", {}),
    ("outbox:write", {}),
    ("outbox:cancel_event", {}),
]


@pytest.fixture
def staffed_event(make_event, person, organiser, now, smtp_server, after_commit):
    event = make_event(format="onsite", organiser=organiser, broadcast=True)
    registration = after_commit(services.register, event, person(), channel="web", received_at=now, now=now)
    bulk = BulkMessage.objects.create(event=event, audience="all", subject="Hinweis", body="Text", created_at=now)
    objects = {"mail": OutboxMail.objects.get().pk, "bulk": bulk.pk, "registration": registration.pk}
    return event, objects


def url_of(name, kwargs, event, objects):
    return reverse(name, kwargs={"slug": event.slug, **{key: objects[value] for key, value in kwargs.items()}})


@pytest.mark.parametrize(("name", "kwargs"), STAFF_PAGES)
def test_staff_pages_open_for_the_team_only(client, staffed_event, organiser, other_organiser, name, kwargs):
    event, objects = staffed_event
    url = url_of(name, kwargs, event, objects)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/organisation/anmelden/" in anonymous["Location"]
    client.force_login(other_organiser)
    assert client.get(url).status_code == 404
    client.force_login(organiser)
    response = client.get(url)
    assert response.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}


@pytest.mark.parametrize(("name", "kwargs"), STAFF_ACTIONS)
def test_staff_actions_refuse_outsiders_and_change_nothing(client, staffed_event, other_organiser, name, kwargs):
    event, objects = staffed_event
    url = url_of(name, kwargs, event, objects)
    before = (OutboxMail.objects.count(), BulkMessage.objects.count())
    data = {"ticket": "x", "audience": "all", "subject": "s", "body": "b", "confirm": "on"}
    assert client.post(url, data).status_code == 302
    client.force_login(other_organiser)
    assert client.post(url, data).status_code == 404
    assert (OutboxMail.objects.count(), BulkMessage.objects.count()) == before
    event.refresh_from_db()
    assert event.status == "published"


def test_a_message_to_everyone_is_sent_with_a_progress_bar(
    client, smtp_server, make_event, person, organiser, now, django_capture_on_commit_callbacks
):
    event = make_event(format="onsite", organiser=organiser)
    for _ in range(3):
        services.register(event, person(), channel="web", received_at=now, now=now)
    services.register(
        event, person(email="", phone="0171 1"), channel="phone", received_at=now, now=now, actor=organiser
    )
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("outbox:write", args=[event.slug]),
            {
                "audience": "all",
                "subject": "Bitte Ausweis mitbringen",
                "body": "Liebe Teilnehmende,\n\nbis bald.",
                "subject_en": "Please bring your ID",
                "body_en": "Dear participants,\n\nsee you soon.",
            },
        )
    bulk = BulkMessage.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/nachricht/{bulk.pk}/")
    assert bulk.without_email == 1
    assert len([m for m in smtp_server.messages if "Please bring your ID" in m["Subject"]]) == 3  # they chose English
    page = client.get(response["Location"])
    assert '<progress id="progress-bar" max="100" value="100">' in page.text and "hx-trigger" not in page.text
    OutboxMail.objects.filter(bulk_message=bulk).update(state=MailState.QUEUED)
    partial = client.get(response["Location"], headers={"HX-Request": "true"})
    assert 'value="0"' in partial.text and 'hx-trigger="every 1s"' in partial.text
    assert "<html" not in partial.text


def test_a_message_without_subject_is_refused_with_nothing_sent(client, make_event, organiser):
    event = make_event(format="onsite", organiser=organiser)
    client.force_login(organiser)
    response = client.post(reverse("outbox:write", args=[event.slug]), {"audience": "all", "subject": "", "body": ""})
    assert response.status_code == 422 and BulkMessage.objects.count() == 0


def test_the_outbox_shows_failed_mails_with_the_reason_and_resends_them(
    client, smtp_server, after_commit, make_event, person, organiser, now, django_capture_on_commit_callbacks
):
    event = make_event(format="onsite", organiser=organiser)
    smtp_server.refuse("typo@example.org", "550 5.1.1 No such user")
    after_commit(services.register, event, person(email="typo@example.org"), channel="web", received_at=now, now=now)
    client.force_login(organiser)
    page = client.get(reverse("outbox:list", args=[event.slug]) + "?state=failed")
    assert "550 5.1.1 No such user" in page.text and "1 mail could not be delivered" in page.text
    mail = OutboxMail.objects.get()
    del smtp_server.handler.refuse["typo@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outbox:resend", args=[event.slug, mail.pk]))
    mail.refresh_from_db()
    assert mail.state == MailState.SENT
    source = client.get(reverse("outbox:source", args=[event.slug, mail.pk]))
    assert source["Content-Type"] == "message/rfc822" and mail.message_id.encode() in source.content


def test_outbox_list_queries_do_not_grow_with_the_mails(
    client, make_event, person, organiser, now, django_assert_max_num_queries
):
    event = make_event(format="onsite", organiser=organiser)
    for _ in range(30):
        services.register(event, person(), channel="web", received_at=now, now=now)
    client.force_login(organiser)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("outbox:list", args=[event.slug])).status_code == 200


def test_the_call_list_shows_registrants_without_e_mail_after_a_change(client, make_event, person, organiser, now):
    event = make_event(format="onsite", organiser=organiser)
    services.register(
        event,
        person(name="Frau Telefon", email="", phone="02305 4711"),
        channel="phone",
        received_at=now,
        now=now,
        actor=organiser,
    )
    services.register(event, person(name="Herr Mail"), channel="web", received_at=now, now=now)
    client.force_login(organiser)
    response = client.post(reverse("outbox:cancel_event", args=[event.slug]), {"note": "", "confirm": "on"})
    assert response.status_code == 302
    page = client.get(reverse("outbox:call_list", args=[event.slug])).text
    assert "Frau Telefon" in page and "02305 4711" in page and "Herr Mail" not in page
    assert "event cancelled" in page
    assert [row.kind for row in outbox_rows()] == [MailKind.CONFIRMED, MailKind.EVENT_CANCELLED]


def test_moving_needs_a_future_date_and_a_confirmation(client, make_event, organiser):
    event = make_event(format="onsite", organiser=organiser)
    client.force_login(organiser)
    url = reverse("outbox:move_event", args=[event.slug])
    past = timezone.localtime(timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(url, {"starts_at": past, "ends_at": past}).status_code == 422
    future = timezone.localtime(event.starts_at + timedelta(days=3))
    ends = future + timedelta(hours=2)
    minute = "%Y-%m-%dT%H:%M"
    moved = {"starts_at": future.strftime(minute), "ends_at": ends.strftime(minute), "confirm": "on"}
    response = client.post(url, moved)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.starts_at == future.replace(second=0, microsecond=0)


def test_access_data_form_saves_and_never_shows_the_data_publicly(client, make_event, organiser):
    event = make_event(format="online", organiser=organiser)
    client.force_login(organiser)
    response = client.post(
        reverse("outbox:access_data", args=[event.slug]),
        {
            "online_join_url": "https://zoom.example/j/555",
            "online_meeting_id": "555",
            "online_passcode": "pw-ok",
            "access_data_hours_before": "3",
            "reminder_hours_before": "",
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.online_passcode, event.access_data_hours_before, event.reminder_hours_before) == ("pw-ok", 3, None)
    audit = event.audit_entries.filter(action="event.updated").first()
    assert "pw-ok" not in str(audit.data)


def test_check_in_page_answers_in_place_and_shows_the_broadcast_consent(client, make_event, person, organiser, now):
    event = make_event(format="onsite", organiser=organiser, broadcast=True)
    guest = services.register(event, person(name="Mia Kamera"), channel="web", received_at=now, now=now)
    client.force_login(organiser)
    with time_machine.travel(event.starts_at, tick=False):
        url = reverse("checkin:page", args=[event.slug])
        page = client.get(url)
        assert "worker-src 'self' blob:" in page["Content-Security-Policy"]
        assert "vendor/qr-scanner/qr-scanner.umd.min.js" in page.text
        answer = client.post(url, {"ticket": guest.ticket_code}, headers={"HX-Request": "true"})
        assert 'data-outcome="welcome"' in answer.text and "Mia Kamera" in answer.text
        assert "May be filmed" in answer.text and "<html" not in answer.text
        again = client.post(url, {"ticket": guest.ticket_code})
        assert 'data-outcome="already_checked_in"' in again.text and "<html" in again.text
        found = client.get(reverse("checkin:search", args=[event.slug]), {"q": "kamera"})
        assert "Mia Kamera" in found.text


def test_withdrawn_broadcast_consent_tells_staff_not_to_film(client, make_event, person, organiser, now):
    event = make_event(format="onsite", organiser=organiser, broadcast=True)
    guest = services.register(event, person(), channel="web", received_at=now, now=now)
    consents.withdraw_consent(guest.consents.get(kind="broadcast"), now=now)
    client.force_login(organiser)
    with time_machine.travel(event.starts_at, tick=False):
        answer = client.post(
            reverse("checkin:page", args=[event.slug]), {"ticket": guest.ticket_secret}, headers={"HX-Request": "true"}
        )
        assert "Do not film" in answer.text


def test_a_cancelled_event_offers_no_new_date_postponing_or_cancelling_and_refuses_them(
    client, make_event, organiser, now
):
    event = make_event(format="onsite", organiser=organiser)
    client.force_login(organiser)
    names = ("outbox:move_event", "outbox:postpone_event", "outbox:cancel_event")
    outbox = client.get(reverse("outbox:list", args=[event.slug])).text
    assert all(reverse(name, args=[event.slug]) in outbox for name in names)
    assert client.post(reverse("outbox:cancel_event", args=[event.slug]), {"confirm": "on"}).status_code == 302

    outbox = client.get(reverse("outbox:list", args=[event.slug])).text
    assert not any(reverse(name, args=[event.slug]) in outbox for name in names)
    future = timezone.localtime(event.starts_at + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    later = timezone.localtime(event.starts_at + timedelta(days=3, hours=2)).strftime("%Y-%m-%dT%H:%M")
    for name in names:
        page = client.get(reverse(name, args=[event.slug]))
        assert page.status_code == 200 and "This event is cancelled." in page.text and "<form method" not in page.text
        refused = client.post(
            reverse(name, args=[event.slug]), {"confirm": "on", "starts_at": future, "ends_at": later}
        )
        assert refused.status_code == 409 and "cannot be given a new date, postponed or cancelled again" in refused.text
    event.refresh_from_db()
    assert event.status == "cancelled"


def test_the_outbox_says_new_date_and_postpone_in_words_that_cannot_be_confused(client, make_event, organiser):
    event = make_event(format="onsite", organiser=organiser)
    client.force_login(organiser)
    with translation.override("de"):
        page = client.get(reverse("outbox:postpone_event", args=[event.slug])).text
    assert "Neuer Termin" in page and "Verschieben, Termin noch offen" in page
    assert "Verlegen" not in page
    assert "der neue Termin noch nicht feststeht" in page
