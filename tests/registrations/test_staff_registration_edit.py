"""Organisers edit a registration in the back office and send its confirmation again."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from events.models import AuditEntry, Event, EventMember, Role
from registrations.models import EmailChange, MailKind, OutboxMail, Registration
from tests.factories import make_user
from tests.registrations.staff_helpers import client_of, enter

pytest_plugins = ["tests.registrations.staff_fixtures"]
pytestmark = pytest.mark.usefixtures("staff_english")


@pytest.fixture
def erika(staff_event, staff_now):
    Event.objects.filter(pk=staff_event.pk).update(max_companions=2)
    staff_event.refresh_from_db()
    return enter(staff_event, "Erika Muster", at=staff_now - timedelta(hours=1), email="erika@example.org")


def edit_url(registration) -> str:
    return reverse("staff:edit_registration", args=[registration.event.slug, registration.pk])


def resend_url(registration) -> str:
    return reverse("staff:resend_confirmation", args=[registration.event.slug, registration.pk])


def form_of(registration, **overrides) -> dict:
    return {
        "name": registration.name,
        "email": registration.email,
        "language": registration.language,
        "needs": registration.needs,
        "companions": registration.companions,
        **overrides,
    }


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_organiser_changes_name_needs_and_companions_and_the_seat_stays(staff_client, erika, staff_organiser):
    response = staff_client.post(
        edit_url(erika), form_of(erika, name="Erika Mustermann", needs="Rollstuhl", companions=1, need_wheelchair="on")
    )

    assert response.status_code == 302
    erika.refresh_from_db()
    assert (erika.name, erika.needs, erika.companions) == ("Erika Mustermann", "Rollstuhl", 1)
    assert erika.status == "confirmed"
    assert erika.accessibility.wheelchair
    assert {entry.action for entry in AuditEntry.objects.filter(target_id=erika.pk, actor=staff_organiser)} >= {
        "registration.changed",
        "registration.details_changed",
    }
    assert OutboxMail.objects.filter(registration=erika, kind=MailKind.CHANGED).exists()
    page = staff_client.get(reverse("staff:registration", args=[erika.event.slug, erika.pk])).content.decode()
    assert "Name, language, needs or companions changed" in page  # the history


def test_a_new_address_waits_for_its_confirmation(staff_client, erika):
    response = staff_client.post(edit_url(erika), form_of(erika, email="erika.neu@example.org"))

    assert response.status_code == 302
    erika.refresh_from_db()
    assert erika.email == "erika@example.org"
    assert EmailChange.objects.get().new_email == "erika.neu@example.org"
    assert OutboxMail.objects.filter(kind=MailKind.EMAIL_CHANGE, to="erika.neu@example.org").exists()
    assert any("takes effect once confirmed" in text for text in message_texts(response))
    page = staff_client.get(reverse("staff:registration", args=[erika.event.slug, erika.pk])).content.decode()
    assert "New address waiting for confirmation: erika.neu@example.org" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "erika@"}, "email", "Enter a valid email address."),
        ({"email": ""}, "email", "An e-mail address cannot be removed here."),
        ({"name": ""}, "name", "This field is required."),
        ({"companions": 5}, "companions", "between 0 and 2 companions"),
    ],
)
def test_bad_input_is_shown_at_the_field_with_the_entry_kept_and_nothing_saved(
    staff_client, erika, overrides, field, message
):
    response = staff_client.post(edit_url(erika), form_of(erika, needs="Neu", **overrides))

    assert response.status_code == 422
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert form["needs"].value() == "Neu"
    assert Registration.objects.get(pk=erika.pk).needs == ""
    assert not EmailChange.objects.exists()
    assert (
        not AuditEntry.objects.filter(action__startswith="registration.", target_id=erika.pk)
        .exclude(action="registration.created")
        .exists()
    )


def test_more_companions_than_free_seats_need_the_consent_to_wait(staff_client, erika, staff_event, staff_now):
    enter(staff_event, "Otto", at=staff_now - timedelta(minutes=30))  # the last free seat (1 is reserved)
    response = staff_client.post(edit_url(erika), form_of(erika, companions=2))

    assert response.status_code == 409
    assert response.context["form"].errors["join_waiting_list"]
    assert Registration.objects.get(pk=erika.pk).companions == 0
    assert Registration.objects.get(pk=erika.pk).status == "confirmed"


def test_resending_the_confirmation_queues_the_mail_of_the_place_with_the_personal_link(
    staff_client, erika, staff_organiser
):
    response = staff_client.post(resend_url(erika))

    assert response.status_code == 302
    mail = OutboxMail.objects.filter(registration=erika, kind=MailKind.CONFIRMED).latest("pk")
    assert mail.facts["again"] is True
    assert AuditEntry.objects.filter(action="registration.confirmation_resent", actor=staff_organiser).exists()


def test_a_registration_without_address_gets_no_mail_but_a_message(staff_client, staff_event, staff_now):
    caller = enter(staff_event, "Anrufer", at=staff_now, email="", phone="0231 1", channel="phone")
    response = staff_client.post(resend_url(caller), follow=True)

    assert "has no e-mail address" in " ".join(message_texts(response))
    assert not OutboxMail.objects.filter(registration=caller).exists()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CHECK_IN, Role.MODERATOR])
def test_team_members_without_manage_may_not_edit(erika, role):
    member = make_user(f"member-{role}")
    EventMember.objects.create(event=erika.event, user=member, role=role)
    client = client_of(member)

    assert client.get(edit_url(erika)).status_code == 403
    assert client.post(edit_url(erika), form_of(erika, name="X")).status_code == 403
    assert client.post(resend_url(erika)).status_code == 403
    assert Registration.objects.get(pk=erika.pk).name == "Erika Muster"


def test_an_organiser_of_another_event_gets_404_and_anonymous_the_login(erika, staff_outsider):
    outsider = client_of(staff_outsider)
    assert outsider.get(edit_url(erika)).status_code == 404
    assert outsider.post(resend_url(erika)).status_code == 404
    anonymous = client_of(None)
    assert anonymous.get(edit_url(erika)).status_code == 302
    assert anonymous.post(resend_url(erika)).status_code == 302
    assert not OutboxMail.objects.filter(registration=erika).exclude(kind=MailKind.CONFIRMED).exists()
