import pytest
from django.core import signing

from registrations.links import MANAGE_SALT, manage_path
from registrations.models import OutboxMail, Registration

pytestmark = pytest.mark.django_db


def form(**overrides):
    values = {
        "name": "Jonas Beispiel",
        "email": "jonas@example.org",
        "seat_type": "onsite",
        "language": "de",
        "accept_terms": "on",
        "broadcast_consent": "on",
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def test_event_page_carries_the_registration_form(client, make_event):
    event = make_event(format="hybrid", broadcast=True)
    page = client.get(event.get_absolute_url())
    assert page.status_code == 200
    html = page.text
    assert f'action="/veranstaltungen/{event.slug}/anmelden/"' in html
    assert 'name="accept_terms"' in html and 'name="broadcast_consent"' in html
    assert 'type="radio"' in html  # hybrid: the citizen chooses on site or online


def test_closed_registration_shows_no_form(client, make_event, now):
    from datetime import timedelta

    event = make_event(opens=now - timedelta(days=3), closes=now - timedelta(days=1))
    html = client.get(event.get_absolute_url()).text
    assert "anmelden/" not in html
    assert "closed" in html or "geschlossen" in html or "beendet" in html


def test_registering_leads_to_a_page_that_sends_the_person_to_their_mail(client, make_event):
    event = make_event(format="onsite", onsite=1, broadcast=True)
    response = client.post(f"/veranstaltungen/{event.slug}/anmelden/", form(), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(f"/veranstaltungen/{event.slug}/anmeldung-erhalten/", 302)]
    assert "bitte sehen Sie in Ihre E-Mails" in response.text
    assert "/anmeldung/" not in response.text  # the personal link comes only by mail
    registration = Registration.objects.get()
    assert registration.status == "confirmed"
    assert OutboxMail.objects.get(registration=registration).kind == "confirmed"
    client.post(f"/veranstaltungen/{event.slug}/anmelden/", form(email="zwei@example.org"))
    assert Registration.objects.get(email="zwei@example.org").waitlist_position == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"accept_terms": None}, "accept_terms"),
        ({"email": "kaputt"}, "email"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_input_shows_the_form_again_with_the_error_at_the_field(client, make_event, overrides, field):
    event = make_event(format="onsite", broadcast=True)
    response = client.post(f"/veranstaltungen/{event.slug}/anmelden/", form(**overrides))
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in response.text
    assert 'value="Jonas Beispiel"' in response.text or field == "name"
    assert Registration.objects.count() == 0


def test_registering_twice_on_the_web_answers_as_the_first_time_and_mails_the_link(client, make_event):
    event = make_event(format="onsite", broadcast=True)
    first = client.post(f"/veranstaltungen/{event.slug}/anmelden/", form())
    again = client.post(f"/veranstaltungen/{event.slug}/anmelden/", form(name=form()["name"].upper()))
    assert (again.status_code, again["Location"]) == (first.status_code, first["Location"])
    assert Registration.objects.count() == 1
    mail = OutboxMail.objects.get(kind="registered_again")
    assert mail.registration == Registration.objects.get()


def test_a_housemate_registers_with_the_shared_address_under_another_name(client, make_event):
    event = make_event(format="onsite", broadcast=True)
    client.post(f"/veranstaltungen/{event.slug}/anmelden/", form())
    housemate = client.post(f"/veranstaltungen/{event.slug}/anmelden/", form(name="Someone else"))
    assert housemate.status_code == 302
    assert Registration.objects.count() == 2


def test_citizen_cancels_with_a_confirmation_and_the_next_moves_up(client, make_event, person, now):
    from registrations import services

    event = make_event(format="onsite", onsite=1)
    first = services.register(event, person(), channel="web", received_at=now, now=now)
    second = services.register(event, person(), channel="web", received_at=now, now=now)
    cancel_url = manage_path(first) + "abmelden/"
    unconfirmed = client.post(cancel_url, {})
    assert unconfirmed.status_code == 422
    assert 'id="id_confirm_error"' in unconfirmed.text
    first.refresh_from_db()
    assert first.status == "confirmed"
    client.post(cancel_url, {"confirm": "on"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("cancelled", "confirmed")


def test_a_changed_or_forged_link_shows_a_clear_page(client, make_event, person, now):
    from registrations import services

    event = make_event()
    mine = services.register(event, person(), channel="web", received_at=now, now=now)
    other = services.register(event, person(), channel="web", received_at=now, now=now)
    forged = signing.dumps([str(other.public_id), 1], salt="some-other-purpose")
    tampered = manage_path(mine).replace(str(mine.pk), "x")[:-3] + "xx/"
    for path in (f"/anmeldung/{forged}/", tampered, "/anmeldung/nonsense/"):
        response = client.get(path)
        assert response.status_code == 404
        assert other.name not in response.text
    assert signing.loads(manage_path(mine).split("/")[2], salt=MANAGE_SALT)[0] == str(mine.public_id)


def test_an_old_link_stops_working_when_the_version_is_raised(client, make_event, person, now):
    from registrations import services

    registration = services.register(make_event(), person(), channel="web", received_at=now, now=now)
    old = manage_path(registration)
    Registration.objects.filter(pk=registration.pk).update(manage_link_version=2)
    assert client.get(old).status_code == 404
    registration.refresh_from_db()
    assert client.get(manage_path(registration)).status_code == 200


def test_english_form_is_in_english(client, make_event):
    event = make_event()
    html = client.get("/en" + event.get_absolute_url()).text
    assert "Register online" in html
