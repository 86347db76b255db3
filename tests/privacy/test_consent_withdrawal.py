"""Withdrawing the broadcast consent by the link in the mail counts at once, also at the door."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from registrations.links import consent_url
from tests.privacy.privacy_helpers import register

pytestmark = pytest.mark.django_db


def test_a_withdrawal_by_the_mail_link_shows_at_once_on_the_check_in_page_and_in_the_name_search(
    make_event, person, organiser, now
):
    event = make_event(format="onsite", broadcast=True, organiser=organiser)
    guest = register(event, person(name="Franziska Filmscheu"), now=now)
    staff = Client()
    staff.force_login(organiser)
    scan = {"ticket": guest.ticket_secret}
    with time_machine.travel(event.starts_at, tick=False):
        before = staff.post(reverse("checkin:page", args=[event.slug]), scan, headers={"HX-Request": "true"})
        assert "May be filmed" in before.text or "Darf gefilmt" in before.text

        path = consent_url(guest).split("8000", 1)[1]
        Client().post(path)

        found = staff.get(reverse("checkin:search", args=[event.slug]), {"q": "Filmscheu"})
        assert "checkin-broadcast--no" in found.text and "checkin-broadcast--yes" not in found.text
        again = staff.post(reverse("checkin:page", args=[event.slug]), scan, headers={"HX-Request": "true"})
        assert "checkin-broadcast--no" in again.text
