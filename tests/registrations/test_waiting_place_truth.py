"""What citizens are told about their place on the waiting list stays true (reliability M5): a
registration that reached the city earlier but is written later goes ahead of those waiting, so
mails name no place, and the personal page shows the place as it is."""

import random
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone, translation

from core.errors import Busy
from registrations import seats, services
from registrations.links import manage_path
from registrations.mail.content import content_for
from registrations.models import MailKind, OutboxMail, Registration
from registrations.submissions import RegistrationData
from tests.factories import register


def mail_text(mail: OutboxMail) -> str:
    with translation.override(mail.language):
        return "\n".join(content_for(mail).paragraphs)


def place_on_the_page(registration: Registration) -> int:
    page = Client().get(manage_path(registration)).content.decode()
    return int(re.search(r"Sie stehen an (\d+)\. Stelle der Warteliste", page).group(1))


@pytest.mark.django_db
def test_a_phone_call_typed_in_late_moves_someone_down_and_no_mail_told_them_otherwise(
    make_event, person, now, organiser
):
    event = make_event(format="onsite", onsite=0, organiser=organiser)
    web = register(event, person(email="web@example.org"), now)
    assert web.waitlist_position == 1
    call = person(email="", phone="02305 1")
    register(
        event,
        call,
        now + timedelta(minutes=1),
        channel="phone",
        actor=organiser,
        received_at=now - timedelta(minutes=5),
    )
    web.refresh_from_db()
    assert web.waitlist_position == 2
    text = mail_text(OutboxMail.objects.get(registration=web, kind=MailKind.WAITLISTED))
    assert "Sie stehen auf der Warteliste." in text
    assert not re.search(r"Platz \d", text)
    assert place_on_the_page(web) == 2


CLIENTS = 24


@pytest.fixture
def widened_race_window(monkeypatch):
    original = seats.register

    def slow_decision(*args, **kwargs):
        time.sleep(0.003)
        return original(*args, **kwargs)

    monkeypatch.setattr(seats, "register", slow_decision)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_after_a_rush_for_one_seat_every_page_shows_the_stored_place_and_no_mail_a_wrong_one(
    make_event, widened_race_window, without_group_commit
):
    event = make_event(format="onsite", onsite=1)
    start = threading.Barrier(CLIENTS)
    rng = random.Random(5)
    delays = [rng.random() * 0.05 for _ in range(CLIENTS)]

    def client(number):
        start.wait()
        # Requests reach the city, then wait a little for their turn, as under a real rush.
        received_at = timezone.now()
        time.sleep(delays[number])
        data = RegistrationData(
            name=f"Citizen {number}", email=f"c{number}@example.org", seat_type="onsite", accept_terms=True
        )
        try:
            while True:
                try:
                    services.register(event, data, channel="web", received_at=received_at, now=timezone.now())
                    return
                except Busy:
                    time.sleep(0.05)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(CLIENTS) as pool:
        for future in [pool.submit(client, number) for number in range(CLIENTS)]:
            future.result()
    waiting = list(Registration.objects.filter(event=event, status="waitlisted").order_by("waitlist_position"))
    assert [r.waitlist_position for r in waiting] == list(range(1, CLIENTS))
    assert [r.received_at for r in waiting] == sorted(r.received_at for r in waiting)
    # Control: the rush did move people after their first place was decided (a number in their
    # mail would now be wrong).
    first_places = {
        mail.registration_id: mail.facts["position"]
        for mail in OutboxMail.objects.filter(event=event, kind=MailKind.WAITLISTED)
    }
    assert any(first_places[r.pk] != r.waitlist_position for r in waiting)
    for registration in waiting:
        text = mail_text(OutboxMail.objects.get(registration=registration, kind=MailKind.WAITLISTED))
        assert not re.search(r"Platz \d", text)
        assert place_on_the_page(registration) == registration.waitlist_position
