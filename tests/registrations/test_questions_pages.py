"""The web form asks the event's questions and the structured needs in fieldsets; the registrant
sees and changes them through the personal link."""

from datetime import timedelta

import pytest

from events.models import AuditEntry
from registrations import services
from registrations.answers import NeedsData
from registrations.links import manage_path
from registrations.models import AccessibilityNeeds, Answer, Registration
from tests.registrations.question_helpers import ask_meal_and_parking

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(make_event, now):
    event = make_event(format="onsite")
    return event, *ask_meal_and_parking(event, now=now)


def form(**overrides):
    values = {
        "name": "Jonas Beispiel",
        "email": "jonas@example.org",
        "seat_type": "onsite",
        "language": "de",
        "accept_terms": "on",
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def test_the_form_asks_questions_and_needs_in_fieldsets_with_legends(client, asked):
    event, meal, parking = asked
    html = client.get(event.get_absolute_url()).text
    assert '<legend class="kern-label">Fragen der Veranstalter</legend>' in html
    assert '<legend class="kern-label">Barrierefreiheit und weitere Bedürfnisse</legend>' in html
    assert f'name="question_{meal.pk}" value="Vegetarisch"' in html
    assert f'name="question_{parking.pk}" value="yes"' in html
    for need in ("need_wheelchair", "need_sign_language", "need_hearing_loop", "need_children", "need_dietary"):
        assert f'name="{need}"' in html
    # The consents stay last.
    assert html.index("need_dietary") < html.index('name="accept_terms"')


def test_an_online_event_asks_only_for_sign_language(client, make_event):
    html = client.get(make_event(format="online").get_absolute_url()).text
    assert 'name="need_sign_language"' in html and 'name="need_wheelchair"' not in html


def test_registering_on_the_web_stores_answers_and_needs(client, asked):
    event, meal, parking = asked
    response = client.post(
        f"/veranstaltungen/{event.slug}/anmelden/",
        form(
            **{
                f"question_{meal.pk}": "Vegan",
                f"question_{parking.pk}": "no",
                "need_wheelchair": "on",
                "need_children": "2",
                "need_children_ages": "3 und 7",
            }
        ),
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert dict(registration.answers.values_list("question_id", "value")) == {meal.pk: "Vegan", parking.pk: "no"}
    needs = AccessibilityNeeds.objects.get(registration=registration)
    assert (needs.wheelchair, needs.children, needs.children_ages) == (True, 2, "3 und 7")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({}, "question"),
        ({"question": "Fisch"}, "question"),
        ({"question": "Vegan", "need_children": "-2"}, "need_children"),
    ],
)
def test_missing_or_bad_answers_show_the_form_again_with_the_error_at_its_field(client, asked, overrides, field):
    event, meal, _parking = asked
    data = {f"question_{meal.pk}" if key == "question" else key: value for key, value in overrides.items()}
    response = client.post(f"/veranstaltungen/{event.slug}/anmelden/", form(**data))
    assert response.status_code == 422
    name = f"question_{meal.pk}" if field == "question" else field
    assert f'id="id_{name}_error"' in response.text
    assert not Registration.objects.exists() and not Answer.objects.exists()


def registered(event, person, now, **data):
    return services.register(event, person(**data), channel="email", received_at=now, now=now)


def test_the_manage_page_shows_answers_and_needs_and_asks_for_open_required_answers(client, asked, person, now):
    event, _meal, _parking = asked
    registration = registered(event, person, now, accessibility=NeedsData(sign_language=True, dietary="vegan"))
    html = client.get(manage_path(registration)).text
    assert "Essen?" in html and "DGS" in html and "vegan" in html
    assert '/angaben/">' in html
    assert "noch nicht beantwortet" in html


def test_the_registrant_changes_answers_and_needs_through_the_personal_link(client, asked, person, now):
    event, meal, _parking = asked
    registration = registered(event, person, now, accessibility=NeedsData(wheelchair=True))
    url = f"{manage_path(registration)}angaben/"
    page = client.get(url)
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    assert 'name="need_wheelchair"' in page.text and "checked" in page.text
    response = client.post(url, {f"question_{meal.pk}": "Vegetarisch", "need_hearing_loop": "on"})
    assert response.status_code == 302
    assert dict(registration.answers.values_list("question_id", "value")) == {meal.pk: "Vegetarisch"}
    needs = AccessibilityNeeds.objects.get(registration=registration)
    assert (needs.wheelchair, needs.hearing_loop) == (False, True)
    assert AuditEntry.objects.filter(action="registration.details_changed", target_id=registration.pk).exists()
    assert "Essen?" in client.get(manage_path(registration)).text


def test_a_bad_change_is_shown_again_and_changes_nothing(client, asked, person, now):
    event, meal, _parking = asked
    registration = registered(event, person, now, answers={meal.pk: "Vegan"}, accessibility=NeedsData(wheelchair=True))
    response = client.post(f"{manage_path(registration)}angaben/", {f"question_{meal.pk}": "Fisch"})
    assert response.status_code == 422
    assert f'href="#id_question_{meal.pk}_0"' in response.text
    assert list(registration.answers.values_list("value", flat=True)) == ["Vegan"]
    assert AccessibilityNeeds.objects.get(registration=registration).wheelchair


def test_a_cancelled_registration_cannot_change_its_answers(client, asked, person, now):
    event, meal, _parking = asked
    registration = registered(event, person, now, answers={meal.pk: "Vegan"})
    services.cancel(registration, actor=None, now=now)
    response = client.post(f"{manage_path(registration)}angaben/", {f"question_{meal.pk}": "Vegetarisch"})
    assert response.status_code == 302
    assert list(registration.answers.values_list("value", flat=True)) == ["Vegan"]


def test_a_bad_link_opens_no_details_page(client):
    assert client.get("/anmeldung/kaputt/angaben/").status_code == 404


def test_answers_are_never_on_the_public_event_page(client, asked, person, now):
    event, meal, _parking = asked
    registered(
        event,
        person,
        now + timedelta(seconds=1),
        answers={meal.pk: "Vegan"},
        accessibility=NeedsData(dietary="Erdnussallergie"),
    )
    assert "Erdnussallergie" not in client.get(event.get_absolute_url()).text
