"""Change instead of cancel: switching seat type under the seat-pool lock, and editing details."""

from datetime import timedelta

import pytest

from core.errors import DomainError
from events.models import AuditEntry
from registrations import changes, services
from registrations.mail.compose import render
from registrations.models import ConsentRecord, MailKind, OutboxMail, Registration
from tests.factories import register

pytestmark = pytest.mark.django_db


def line(event, seat):
    """The waiting list as (name, position, seats), in order."""
    waiting = Registration.objects.filter(event=event, seat_type=seat, status="waitlisted")
    return [(r.name, r.waitlist_position, r.seats) for r in waiting.order_by("waitlist_position")]


def counters(event, seat):
    pool = event.seat_pools.get(seat_type=seat)
    return pool.confirmed, pool.waitlisted, pool.pending


def test_a_switch_to_a_free_seat_of_the_other_type_moves_the_seat_and_promotes_the_next_waiting(
    make_event, person, now
):
    event = make_event(onsite=1, online=5)
    mover = register(event, person(name="Mover"), now)
    waiting = register(event, person(name="Waiting"), now)
    later = now + timedelta(minutes=3)
    moved = changes.switch_seat_type(mover, "online", actor=None, now=later)
    assert (moved.seat_type, moved.status, moved.queued_at) == ("online", "confirmed", later)
    assert moved.received_at == now  # the receipt stays as evidence
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert counters(event, "onsite") == (1, 0, 0)
    assert counters(event, "online") == (1, 0, 0)
    assert AuditEntry.objects.filter(action="registration.seat_switched").get().data["to"] == "online"


def test_a_switch_to_a_full_type_without_confirmation_is_refused_and_nothing_changes(make_event, person, now):
    event = make_event(onsite=1, online=1)
    mover = register(event, person(name="Mover"), now)
    register(event, person(name="Online", seat="online"), now)
    mails_before = OutboxMail.objects.count()
    with pytest.raises(DomainError) as refusal:
        changes.switch_seat_type(mover, "online", actor=None, now=now)
    assert (refusal.value.code, refusal.value.status) == ("seat_type_full", 409)
    mover.refresh_from_db()
    assert (mover.seat_type, mover.status) == ("onsite", "confirmed")
    assert counters(event, "onsite") == (1, 0, 0)
    assert counters(event, "online") == (1, 0, 0)
    assert OutboxMail.objects.count() == mails_before
    assert not AuditEntry.objects.filter(action="registration.seat_switched").exists()


def test_a_confirmed_switch_to_a_full_type_joins_its_waiting_list_in_order_of_the_switch_time(make_event, person, now):
    event = make_event(onsite=2, online=1)
    mover = register(event, person(name="Mover"), now)
    register(event, person(name="Online seat", seat="online"), now + timedelta(minutes=1))
    register(event, person(name="Online first waiting", seat="online"), now + timedelta(minutes=2))
    register(event, person(name="On site seat"), now)
    behind_on_site = register(event, person(name="On site waiting"), now)
    switched_at = now + timedelta(minutes=5)
    changes.switch_seat_type(mover, "online", actor=None, now=switched_at, join_waiting_list=True)
    # A later registration by the web form (received after the switch) queues behind the mover,
    # and a mail that reached the city before the switch goes before it.
    register(event, person(name="After the switch", seat="online"), switched_at + timedelta(minutes=1))
    mail = person(name="Mail before", seat="online")
    register(event, mail, switched_at, channel="email", received_at=now + timedelta(minutes=4))
    assert line(event, "online") == [
        ("Online first waiting", 1, 1),
        ("Mail before", 2, 1),
        ("Mover", 3, 1),
        ("After the switch", 4, 1),
    ]
    assert counters(event, "online") == (1, 4, 0)
    behind_on_site.refresh_from_db()
    assert behind_on_site.status == "confirmed"  # the freed on-site seat went to the next one


def test_a_waitlisted_switch_leaves_a_gapless_waiting_list_behind(make_event, person, now):
    event = make_event(onsite=1, online=0)
    register(event, person(name="Seated"), now)
    _first, mover, _last = (register(event, person(name=n), now) for n in ("First", "Mover", "Last"))
    changes.switch_seat_type(mover, "online", actor=None, now=now, join_waiting_list=True)
    assert line(event, "onsite") == [("First", 1, 1), ("Last", 2, 1)]
    assert line(event, "online") == [("Mover", 1, 1)]
    assert counters(event, "onsite") == (1, 2, 0)


def test_a_pending_registration_moves_between_the_pending_counters(make_event, person, now):
    event = make_event(allocation="at_deadline", onsite=1, online=1)
    mover = register(event, person(name="Mover", companions=0), now)
    moved = changes.switch_seat_type(mover, "online", actor=None, now=now)
    assert (moved.status, moved.seat_type) == ("pending", "online")
    assert counters(event, "onsite") == (0, 0, 0)
    assert counters(event, "online") == (0, 0, 1)


def test_switching_to_on_site_at_a_broadcast_event_asks_for_the_broadcast_consent(make_event, person, now):
    event = make_event(onsite=5, online=5, broadcast=True)
    mover = register(event, person(name="Mover", seat="online", broadcast_consent=False), now)
    unfilmed = register(event, person(name="Unfilmed", seat="online", broadcast_consent=False), now)
    assert changes.switch_seat_type(unfilmed, "onsite", actor=None, now=now).seat_type == "onsite"
    assert not ConsentRecord.objects.filter(registration=unfilmed, kind="broadcast").exists()
    changes.switch_seat_type(mover, "onsite", actor=None, now=now, broadcast_consent=True)
    consent = ConsentRecord.objects.get(registration=mover, kind="broadcast")
    assert (consent.channel, consent.text, consent.given_at) == ("web", "Ich darf gefilmt werden.", now)


def test_a_switch_sends_a_changed_mail_with_a_raised_calendar_sequence(make_event, person, now):
    event = make_event(onsite=5, online=5)
    mover = register(event, person(name="Mover"), now)
    before = mover.calendar_sequence
    changes.switch_seat_type(mover, "online", actor=None, now=now)
    mail = OutboxMail.objects.get(registration=mover, kind=MailKind.CHANGED)
    assert mail.facts["sequence"] == before + 1
    assert (mail.facts["previous_seat"], mail.facts["seat"], mail.facts["status"]) == ("onsite", "online", "confirmed")
    mover.refresh_from_db()
    assert mover.calendar_sequence == before + 1
    message = render(mail).message().as_bytes()
    assert f"SEQUENCE:{before + 1}".encode() in message
    assert b"METHOD:REQUEST" in message


def test_a_switch_to_online_tells_zoom_and_a_switch_back_withdraws_the_registrant(make_event, person, now, monkeypatch):
    from streaming.zoom import sync

    calls = []
    monkeypatch.setattr(sync, "request_registrant", lambda r, now: calls.append(("request", r.seat_type)))
    monkeypatch.setattr(sync, "withdraw_registrant", lambda r, now: calls.append(("withdraw", r.seat_type)))
    event = make_event(onsite=5, online=5)
    mover = register(event, person(name="Mover"), now)
    calls.clear()
    changes.switch_seat_type(mover, "online", actor=None, now=now)
    changes.switch_seat_type(mover, "onsite", actor=None, now=now)
    assert calls == [("request", "online"), ("withdraw", "onsite")]


@pytest.mark.parametrize(
    ("target", "code"),
    [("onsite", "same_seat_type"), ("backstage", "seat_type_not_offered")],
)
def test_a_switch_to_the_same_or_an_unknown_type_is_refused(make_event, person, now, target, code):
    event = make_event(onsite=5, online=5)
    mover = register(event, person(name="Mover"), now)
    with pytest.raises(DomainError) as refusal:
        changes.switch_seat_type(mover, target, actor=None, now=now)
    assert refusal.value.code == code


def test_cancelled_registrations_and_started_events_cannot_switch(make_event, person, now):
    event = make_event(onsite=5, online=5)
    cancelled = register(event, person(name="Gone"), now)
    services.cancel(cancelled, actor=None, now=now)
    with pytest.raises(DomainError) as refusal:
        changes.switch_seat_type(cancelled, "online", actor=None, now=now)
    assert refusal.value.code == "already_cancelled"
    active = register(event, person(name="Late"), now)
    with pytest.raises(DomainError) as refusal:
        changes.switch_seat_type(active, "online", actor=None, now=event.starts_at)
    assert refusal.value.code == "event_started"


def test_editing_details_saves_them_audits_which_fields_and_sends_a_changed_mail(make_event, person, now):
    event = make_event(onsite=5, online=5)
    registration = register(event, person(name="Eva"), now)
    changes.change_details(registration, name="Eva Roth", needs="Rampe", language="en", actor=None, now=now)
    registration.refresh_from_db()
    assert (registration.name, registration.name_normalized, registration.needs, registration.language) == (
        "Eva Roth",
        "evaroth",
        "Rampe",
        "en",
    )
    assert AuditEntry.objects.get(action="registration.changed").data == {
        "fields": ["name", "needs", "language"],
        "companions": 0,
        "status": "confirmed",
    }
    assert OutboxMail.objects.get(registration=registration, kind=MailKind.CHANGED).language == "en"


def test_editing_details_refuses_an_empty_name_or_the_name_of_a_housemate(make_event, person, now):
    event = make_event(onsite=5, online=5)
    register(event, person(name="Max", email="home@example.org"), now)
    eva = register(event, person(name="Eva", email="home@example.org"), now)
    with pytest.raises(DomainError) as refusal:
        changes.change_details(eva, name=" ", needs="", language="de", actor=None, now=now)
    assert refusal.value.code == "name_required"
    with pytest.raises(DomainError) as refusal:
        changes.change_details(eva, name="max", needs="", language="de", actor=None, now=now)
    assert (refusal.value.code, refusal.value.status) == ("already_registered", 409)
    eva.refresh_from_db()
    assert eva.name == "Eva"
    assert not AuditEntry.objects.filter(action="registration.changed").exists()
