"""Access data at the chosen time, reminders, and what registrants hear when their event is
moved, postponed or cancelled."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse

from events import services as event_services
from events.services import SeatPlan
from registrations import services
from registrations.models import MailKind, Registration
from registrations.outbox.schedule import queue_scheduled_mails

from .mail_helpers import outbox_rows, parts_of

pytest_plugins = ["tests.registrations.mail_fixtures"]
pytestmark = [pytest.mark.usefixtures("in_english"), pytest.mark.django_db]

ACCESS = {
    "online_join_url": "https://zoom.example/j/98765?pwd=geheim",
    "online_meeting_id": "987 6543 2109",
    "online_passcode": "Castrop42",
}


def text_of(message) -> str:
    return parts_of(message)["text/plain"].get_content()


def with_access_data(event, organiser, now, hours_before):
    return event_services.update_event(
        event, {**ACCESS, "access_data_hours_before": hours_before}, actor=organiser, now=now
    )


def test_access_data_goes_only_to_confirmed_online_seats_from_the_chosen_time(
    smtp_server, after_commit, deliver, make_event, person, organiser, now
):
    event = make_event(format="online", online=1, organiser=organiser)
    with_access_data(event, organiser, now, hours_before=24)
    seated = after_commit(services.register, event, person(seat="online"), channel="web", received_at=now, now=now)
    waiting = after_commit(services.register, event, person(seat="online"), channel="web", received_at=now, now=now)
    assert all(ACCESS["online_passcode"] not in text_of(m) for m in smtp_server.messages)
    assert "We send you the access data on" in text_of(smtp_server.messages_to(seated.email)[0])

    assert queue_scheduled_mails(now=event.starts_at - timedelta(hours=25)).access_data == 0
    report = queue_scheduled_mails(now=event.starts_at - timedelta(hours=23))
    assert report.access_data == 1
    assert queue_scheduled_mails(now=event.starts_at - timedelta(hours=22)).access_data == 0  # exactly once
    deliver()

    [access] = [m for m in smtp_server.messages_to(seated.email) if "access data" in m["Subject"]]
    body = text_of(access)
    assert ACCESS["online_join_url"] in body and ACCESS["online_passcode"] in body
    assert ACCESS["online_join_url"] in parts_of(access)["text/html"].get_content().replace("&amp;", "&")
    assert all(ACCESS["online_passcode"] not in text_of(m) for m in smtp_server.messages_to(waiting.email))


def test_access_data_right_away_comes_with_the_confirmation_and_follows_a_promotion(
    smtp_server, after_commit, make_event, person, organiser, now
):
    event = make_event(format="online", online=1, organiser=organiser)
    event = with_access_data(event, organiser, now, hours_before=None)
    first = after_commit(services.register, event, person(seat="online"), channel="web", received_at=now, now=now)
    second = after_commit(services.register, event, person(seat="online"), channel="web", received_at=now, now=now)
    assert [m["Subject"].split(":")[0] for m in smtp_server.messages_to(first.email)] == [
        "Your seat is confirmed",
        "Your access data",
    ]
    after_commit(services.cancel, first, actor=None, now=now)
    kinds = [row.kind for row in outbox_rows(registration=second)]
    assert kinds == [MailKind.WAITLISTED, MailKind.PROMOTED, MailKind.ACCESS_DATA]
    assert ACCESS["online_passcode"] in text_of(smtp_server.messages_to(second.email)[-1])


def test_changed_access_data_reaches_everyone_who_had_the_old(
    smtp_server, after_commit, make_event, person, organiser, now
):
    event = make_event(format="online", organiser=organiser)
    event = with_access_data(event, organiser, now, hours_before=None)
    registration = after_commit(
        services.register, event, person(seat="online"), channel="web", received_at=now, now=now
    )
    after_commit(event_services.update_event, event, {"online_passcode": "Neu99"}, actor=organiser, now=now)
    last = smtp_server.messages_to(registration.email)[-1]
    assert "New access data" in last["Subject"] and "Neu99" in text_of(last)


def test_reminder_goes_once_at_the_time_the_organisers_set(
    smtp_server, after_commit, deliver, make_event, person, organiser, now
):
    event = make_event(format="onsite", organiser=organiser)
    event = event_services.update_event(event, {"reminder_hours_before": 48}, actor=organiser, now=now)
    registration = services.register(event, person(), channel="web", received_at=now, now=now)
    assert queue_scheduled_mails(now=event.starts_at - timedelta(hours=49)).reminders == 0
    assert queue_scheduled_mails(now=event.starts_at - timedelta(hours=47)).reminders == 1
    assert queue_scheduled_mails(now=event.starts_at - timedelta(hours=46)).reminders == 0
    deliver()
    assert [row.kind for row in outbox_rows(registration=registration)] == [MailKind.CONFIRMED, MailKind.REMINDER]
    reminder = smtp_server.messages_to(registration.email)[-1]
    assert reminder["Subject"].startswith("Reminder") and "image/png" in parts_of(reminder)


def test_moving_to_a_smaller_room_keeps_the_order_and_tells_everyone_with_a_fresh_calendar_entry(
    smtp_server, after_commit, deliver, make_event, person, organiser, now, client
):
    event = make_event(format="onsite", onsite=3, organiser=organiser)
    people = [
        services.register(event, person(), channel="web", received_at=now - timedelta(seconds=9 - i), now=now)
        for i in range(5)
    ]
    phone = services.register(
        event, person(email="", phone="0171 5555"), channel="phone", received_at=now, now=now, actor=organiser
    )
    new_start = event.starts_at + timedelta(days=7)
    event_services.move_event(
        event,
        starts_at=new_start,
        ends_at=new_start + timedelta(hours=2),
        seats={"onsite": SeatPlan(2)},
        actor=organiser,
        now=now,
        note="Der Saal wird renoviert.",
    )
    deliver()

    states = [(r.status, r.waitlist_position) for r in Registration.objects.in_queue_order()]
    assert states == [
        ("confirmed", None),
        ("confirmed", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
        ("waitlisted", 3),
        ("waitlisted", 4),
    ]
    assert phone.pk == Registration.objects.in_queue_order().last().pk
    pool = event.seat_pools.get()
    assert (pool.confirmed, pool.waitlisted) == (2, 4)

    methods = []
    for registration in people:
        moved = smtp_server.messages_to(registration.email)[-1]
        assert moved["Subject"].startswith("New date")
        assert "Der Saal wird renoviert." in text_of(moved) and "/abmelden/" in text_of(moved)
        if "text/calendar" not in parts_of(moved):
            methods.append(None)
            continue
        calendar = icalendar.Calendar.from_ical(parts_of(moved)["text/calendar"].get_content())
        methods.append(str(calendar["method"]))
        vevent = calendar.walk("VEVENT")[0]
        assert vevent["sequence"] == 1 and vevent.decoded("dtstart") == new_start.replace(microsecond=0)
        assert str(vevent["uid"]) == f"registration-{registration.public_id}@stadtdialog"
    # The two still seated get the new date; the third lost the seat and its entry; the two who
    # were waiting never had one.
    assert methods == ["REQUEST", "REQUEST", "CANCEL", None, None]
    assert "on the waiting list for the new date" in text_of(smtp_server.messages_to(people[2].email)[-1])
    public = icalendar.Calendar.from_ical(client.get(reverse("events:ics", args=[event.slug])).content)
    assert public.walk("VEVENT")[0]["sequence"] == 1, "the public file counts the move like the mails"


def test_cancelling_an_event_tells_everyone_with_a_calendar_cancellation(
    smtp_server, deliver, make_event, person, organiser, now
):
    event = make_event(format="onsite", onsite=1, organiser=organiser)
    seated = services.register(event, person(), channel="web", received_at=now, now=now)
    waiting = services.register(event, person(), channel="web", received_at=now, now=now)
    event_services.cancel_event(event, actor=organiser, now=now, note="Krankheit")
    deliver()
    for registration in (seated, waiting):
        cancelled = smtp_server.messages_to(registration.email)[-1]
        assert cancelled["Subject"].startswith("Cancelled") and "Krankheit" in text_of(cancelled)
    calendar = icalendar.Calendar.from_ical(
        parts_of(smtp_server.messages_to(seated.email)[-1])["text/calendar"].get_content()
    )
    assert str(calendar["method"]) == "CANCEL"
    assert calendar.walk("VEVENT")[0]["sequence"] == 1
    assert "text/calendar" not in parts_of(smtp_server.messages_to(waiting.email)[-1]), "no entry to remove"
    with pytest.raises(Exception, match="already cancelled"):
        event_services.cancel_event(event, actor=organiser, now=now)


def test_postponing_then_setting_the_new_date(smtp_server, deliver, make_event, person, organiser, now):
    event = make_event(format="onsite", organiser=organiser)
    registration = services.register(event, person(), channel="web", received_at=now, now=now)
    event_services.postpone_event(event, actor=organiser, now=now)
    new_start = event.starts_at + timedelta(days=30)
    event_services.move_event(
        event, starts_at=new_start, ends_at=new_start + timedelta(hours=2), actor=organiser, now=now
    )
    deliver()
    subjects = [m["Subject"].split(":")[0] for m in smtp_server.messages_to(registration.email)]
    assert subjects == ["Your seat is confirmed", "Postponed", "New date"]
    event.refresh_from_db()
    assert event.status == "published"
    sequences = [
        icalendar.Calendar.from_ical(parts_of(m)["text/calendar"].get_content()).walk("VEVENT")[0]["sequence"]
        for m in smtp_server.messages_to(registration.email)
    ]
    assert sequences == [0, 1, 2]


def test_changing_the_time_through_the_api_tells_registrants_too(client, bearer, make_event, person, organiser, now):
    event = make_event(format="onsite", organiser=organiser)
    services.register(event, person(), channel="web", received_at=now, now=now)
    new_start = event.starts_at + timedelta(hours=1)
    response = client.patch(
        f"/api/events/{event.slug}",
        {"starts_at": new_start.isoformat(), "ends_at": (new_start + timedelta(hours=2)).isoformat()},
        content_type="application/json",
        headers=bearer(organiser),
    )
    assert response.status_code == 200
    assert [row.kind for row in outbox_rows()] == [MailKind.CONFIRMED, MailKind.EVENT_MOVED]


def test_a_personal_join_link_filled_by_the_streaming_layer_replaces_the_events_link(
    smtp_server, deliver, make_event, person, organiser, now
):
    event = make_event(format="online", organiser=organiser)
    event = with_access_data(event, organiser, now, hours_before=2)
    registration = services.register(event, person(seat="online"), channel="web", received_at=now, now=now)
    Registration.objects.filter(pk=registration.pk).update(personal_join_url="https://zoom.example/w/personal-77")
    queue_scheduled_mails(now=event.starts_at - timedelta(hours=1))
    deliver()
    [access_mail] = [m for m in smtp_server.messages_to(registration.email) if "access data" in m["Subject"]]
    access = text_of(access_mail)
    assert "personal-77" in access and ACCESS["online_join_url"] not in access
    assert ACCESS["online_passcode"] in access
