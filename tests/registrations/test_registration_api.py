import pytest

from registrations.models import OutboxMail, Registration

pytestmark = pytest.mark.django_db


RECEIVED = "Danke. Wir haben eine E-Mail mit dem Link zur Anmeldung an die angegebene Adresse geschickt."


def body(**overrides):
    values = {
        "name": "Maria Muster",
        "email": "maria@example.org",
        "seat": "onsite",
        "accept_terms": True,
        "broadcast_consent": True,
        "language": "de",
    }
    values.update(overrides)
    return values


def post(client, event, headers=None, **overrides):
    return client.post(
        f"/api/events/{event.slug}/registrations",
        body(**overrides),
        content_type="application/json",
        headers=headers or {},
    )


def test_citizen_registers_and_gets_the_manage_link_by_mail_only(client, make_event):
    event = make_event(format="onsite", onsite=1)
    response = post(client, event)
    assert response.status_code == 202
    assert response.json() == {"detail": RECEIVED}
    registration = Registration.objects.get()
    assert registration.status == "confirmed"
    mail = OutboxMail.objects.get(registration=registration)
    assert (mail.kind, mail.to) == ("confirmed", "maria@example.org")
    assert post(client, event, email="second@example.org").json() == {"detail": RECEIVED}
    assert Registration.objects.get(email="second@example.org").waitlist_position == 1


@pytest.mark.parametrize(
    ("overrides", "status", "code"),
    [
        ({"accept_terms": False}, 422, "consent_required"),
        ({"seat": "online"}, 422, "seat_type_not_offered"),
        ({"seat": "balcony"}, 422, "invalid_input"),
        ({"email": "not-an-address"}, 422, "invalid_input"),
        ({"name": ""}, 422, "invalid_input"),
        ({"unknown_field": 1}, 422, "invalid_input"),
        ({"channel": "phone", "phone": "0231"}, 403, "organiser_only_fields"),
    ],
)
def test_bad_input_is_refused_with_a_code_and_saves_nothing(client, make_event, overrides, status, code):
    event = make_event(format="onsite", broadcast=True)
    response = post(client, event, **overrides)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert Registration.objects.count() == 0


def test_malformed_json_is_a_4xx(client, make_event):
    event = make_event()
    response = client.post(f"/api/events/{event.slug}/registrations", "{not json", content_type="application/json")
    assert 400 <= response.status_code < 500
    assert "code" in response.json()


def test_registering_someone_again_answers_as_for_a_new_registration_and_mails_the_address(client, make_event):
    event = make_event(format="onsite", onsite=0)
    first = post(client, event)
    again = post(client, event, email="MARIA@example.org")
    assert (again.status_code, again.content) == (first.status_code, first.content)
    registration = Registration.objects.get()
    mail = OutboxMail.objects.get(kind="registered_again")
    assert (mail.registration, mail.to) == (registration, "maria@example.org")
    post(client, event, email="maria@example.org")
    assert OutboxMail.objects.filter(kind="registered_again").count() == 1  # at most one an hour


def test_organisers_are_told_who_is_registered_already(client, make_event, organiser, bearer):
    event = make_event(format="onsite", onsite=0, organiser=organiser)
    post(client, event)
    again = post(client, event, bearer(organiser), email="MARIA@example.org")
    assert again.status_code == 409
    assert again.json()["code"] == "already_registered"
    assert again.json()["detail"] == (
        "Maria Muster ist für diese Veranstaltung bereits mit dieser E-Mail-Adresse angemeldet "
        "(Status: auf der Warteliste)."
    )


def test_unknown_or_draft_event_is_404(client, make_event):
    assert post(client, make_event(status="draft")).status_code == 404
    response = client.post("/api/events/nope/registrations", body(), content_type="application/json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_organiser_enters_a_phone_registration_with_the_call_time(client, make_event, organiser, bearer):
    event = make_event(organiser=organiser)
    response = post(
        client,
        event,
        bearer(organiser),
        email="",
        channel="phone",
        phone="02305 106",
        received_at="2020-01-01T10:00:00+01:00",
    )
    assert response.status_code == 409  # before the registration window opened
    call_time = event.registration_opens_at.isoformat()
    response = post(
        client, event, bearer(organiser), email="", channel="phone", phone="02305 106", received_at=call_time
    )
    assert response.status_code == 201, response.json()
    registration = Registration.objects.get()
    assert (registration.channel, registration.entered_by, registration.received_at) == (
        "phone",
        organiser,
        event.registration_opens_at,
    )


def test_organiser_of_another_event_cannot_enter_phone_registrations(
    client, make_event, organiser, other_organiser, bearer
):
    event = make_event(organiser=organiser)
    response = post(client, event, bearer(other_organiser), email="", channel="phone", phone="0231")
    assert response.status_code == 403
    assert Registration.objects.count() == 0


def test_a_wrong_token_is_refused_even_where_anonymous_is_allowed(client, make_event):
    response = post(client, make_event(), {"Authorization": "Bearer wrong"})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


class TestOrganiserOperations:
    def setup_event(self, client, make_event, organiser):
        event = make_event(format="onsite", onsite=1, organiser=organiser)
        post(client, event)
        post(client, event, email="b@example.org")
        return event, {"id": Registration.objects.get(email="maria@example.org").pk}

    def test_list_is_paginated_and_shows_queue_data(self, client, make_event, organiser, bearer):
        event, _ = self.setup_event(client, make_event, organiser)
        response = client.get(f"/api/events/{event.slug}/registrations?limit=1", headers=bearer(organiser))
        assert response.status_code == 200
        data = response.json()
        assert data["count"] == 2 and len(data["items"]) == 1
        assert set(data["items"][0]) >= {"status", "seat", "channel", "received_at", "waitlist_position"}
        waiting = client.get(f"/api/events/{event.slug}/registrations?status=waitlisted", headers=bearer(organiser))
        assert [item["waitlist_position"] for item in waiting.json()["items"]] == [1]

    def test_cancel_promotes_the_waiting_list(self, client, make_event, organiser, bearer):
        _, first = self.setup_event(client, make_event, organiser)
        response = client.post(f"/api/registrations/{first['id']}/cancel", headers=bearer(organiser))
        assert response.status_code == 200 and response.json()["status"] == "cancelled"
        assert Registration.objects.get(email="b@example.org").status == "confirmed"
        again = client.post(f"/api/registrations/{first['id']}/cancel", headers=bearer(organiser))
        assert (again.status_code, again.json()["code"]) == (409, "already_cancelled")

    def test_allocate_before_the_deadline_is_refused(self, client, make_event, organiser, bearer):
        event = make_event(allocation="at_deadline", organiser=organiser)
        response = client.post(f"/api/events/{event.slug}/allocate", headers=bearer(organiser))
        assert (response.status_code, response.json()["code"]) == (409, "deadline_not_reached")

    @pytest.mark.parametrize("actor", ["other", "anonymous"])
    def test_others_can_neither_list_nor_change(self, client, make_event, organiser, other_organiser, bearer, actor):
        event, first = self.setup_event(client, make_event, organiser)
        headers = bearer(other_organiser) if actor == "other" else {}
        expected = 404 if actor == "other" else 401
        assert client.get(f"/api/events/{event.slug}/registrations", headers=headers).status_code == expected
        assert client.post(f"/api/registrations/{first['id']}/cancel", headers=headers).status_code == expected
        assert client.post(f"/api/events/{event.slug}/allocate", headers=headers).status_code == expected
        assert Registration.objects.get(pk=first["id"]).status == "confirmed"


def test_the_api_answers_in_the_language_the_caller_asks_for(client, make_event):
    event = make_event(format="onsite", broadcast=True)
    url = f"/api/events/{event.slug}/registrations"
    german = client.post(url, body(accept_terms=False), content_type="application/json")
    english = client.post(
        url, body(accept_terms=False), content_type="application/json", headers={"Accept-Language": "en"}
    )
    assert german.json()["code"] == english.json()["code"] == "consent_required"
    assert german.json()["detail"] == "Bitte stimmen Sie den Teilnahmebedingungen zu."
    assert english.json()["detail"] == "Please agree to the terms of participation."
    assert english["Content-Language"] == "en"


def test_nul_characters_are_refused_before_they_reach_the_database(client, make_event):
    event = make_event()
    response = client.post(
        f"/api/events/{event.slug}/registrations", body(name="Eva\u0000"), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    assert not Registration.objects.exists()


def test_an_event_taken_back_to_draft_after_registrations_answers_404_and_saves_nothing(client, make_event):
    """The API remembers the id of an event per slug; the event itself is read again for every
    batch, so an event that is no longer public takes no more registrations."""
    event = make_event(format="onsite", onsite=5)
    assert post(client, event).status_code == 202
    event.status = "draft"
    event.save(update_fields=["status"])
    response = post(client, event, email="later@example.org")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert list(Registration.objects.filter(event=event).values_list("email", flat=True)) == ["maria@example.org"]
    event.status = "published"
    event.save(update_fields=["status"])
    assert post(client, event, email="later@example.org").status_code == 202


def test_the_remembered_event_ids_stay_bounded_and_registering_still_works(client, make_event, monkeypatch):
    from registrations import api

    monkeypatch.setattr(api, "PUBLIC_EVENT_IDS_KEPT", 2)
    monkeypatch.setattr(api, "_public_event_ids", {})
    events = [make_event(format="onsite", onsite=5) for _ in range(5)]
    for event in events:
        assert post(client, event).status_code == 202
        assert len(api._public_event_ids) <= 2
    assert Registration.objects.filter(event__in=events).count() == 5


def test_an_address_with_spaces_around_or_an_umlaut_domain_is_taken(client, make_event):
    event = make_event(format="onsite", onsite=5)
    assert post(client, event, email="  maria@example.org ").status_code == 202
    assert post(client, event, email="joerg@bücher.de").status_code == 202
    assert sorted(Registration.objects.values_list("email", flat=True)) == ["joerg@bücher.de", "maria@example.org"]
