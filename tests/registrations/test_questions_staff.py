"""Organisers manage the questions of their event, take answers on the phone, and see what to
prepare: the summary of needs and answers, and every answer in the CSV."""

import codecs
import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import AuditEntry, Question
from events.questions import QuestionData, add_question
from registrations import services
from registrations.answers import NeedsData
from registrations.models import Answer, Registration, Status
from registrations.submissions import RegistrationData
from tests.registrations.question_helpers import ask_meal_and_parking
from tests.registrations.staff_helpers import client_of, queries_of

pytest_plugins = ["tests.registrations.staff_fixtures"]
pytestmark = pytest.mark.usefixtures("staff_english")


@pytest.fixture
def asked(staff_event, staff_now):
    return ask_meal_and_parking(staff_event, now=staff_now)


@pytest.fixture
def meal(asked):
    return asked[0]


@pytest.fixture
def parking(asked):
    return asked[1]


def person(event, number, at, *, channel="web", answers=None, needs=None, seat="onsite"):
    data = RegistrationData(
        name=f"Person {number}",
        email=f"p{number}@example.org",
        seat_type=seat,
        accept_terms=True,
        broadcast_consent=True,
        answers=answers or {},
        accessibility=needs,
    )
    return services.register(event, data, channel=channel, received_at=at, now=at)


def question_form(**overrides):
    values = {
        "label_de": "Anreise?",
        "label_en": "Travel?",
        "kind": "choice",
        "choices_de": "Bus\nRad\n",
        "choices_en": "Bus\nBike",
        "required": "on",
    }
    values.update(overrides)
    return values


def test_organisers_add_change_order_and_remove_questions_on_the_page(staff_client, staff_event):
    url = reverse("staff:questions", args=[staff_event.slug])
    assert staff_client.get(url).status_code == 200
    assert staff_client.post(url, question_form()).status_code == 302
    assert staff_client.post(url, question_form(label_de="Thema?", kind="text", choices_de="")).status_code == 302
    travel, topic = Question.objects.order_by("position")
    assert travel.choice_values == ["Bus", "Rad"] and travel.required
    page = staff_client.get(url).text
    assert "Anreise?" in page and "Thema?" in page and "<caption" in page
    edit = reverse("staff:question", args=[staff_event.slug, travel.pk])
    assert staff_client.post(edit, question_form(label_de="Wie kommen Sie?", required="")).status_code == 302
    travel.refresh_from_db()
    assert (travel.label_de, travel.required) == ("Wie kommen Sie?", False)
    staff_client.post(reverse("staff:question_move", args=[staff_event.slug, travel.pk]), {"direction": "down"})
    assert list(Question.objects.values_list("label_de", flat=True)) == ["Thema?", "Wie kommen Sie?"]
    staff_client.post(reverse("staff:question_delete", args=[staff_event.slug, topic.pk]))
    assert list(Question.objects.values_list("label_de", flat=True)) == ["Wie kommen Sie?"]
    assert AuditEntry.objects.filter(event=staff_event, action__startswith="question.").count() == 5


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"choices_de": "Bus"}, "at least two choices"),
        ({"choices_en": "Bus"}, "as many English choices"),
        ({"label_de": ""}, "This field is required"),
    ],
)
def test_a_bad_question_is_shown_again_with_the_error_and_nothing_is_saved(
    staff_client, staff_event, overrides, message
):
    response = staff_client.post(reverse("staff:questions", args=[staff_event.slug]), question_form(**overrides))
    assert response.status_code == 422
    assert message in response.text and "kern-alert--danger" in response.text
    assert not Question.objects.exists()


def test_other_teams_get_404_and_anonymous_visitors_the_login(staff_event, staff_outsider, meal):
    urls = [
        reverse("staff:questions", args=[staff_event.slug]),
        reverse("staff:question", args=[staff_event.slug, meal.pk]),
        reverse("staff:question_move", args=[staff_event.slug, meal.pk]),
        reverse("staff:question_delete", args=[staff_event.slug, meal.pk]),
    ]
    outsider, anonymous = client_of(staff_outsider), client_of(None)
    for url in urls:
        assert outsider.post(url, question_form()).status_code == 404
        refused = anonymous.post(url, question_form())
        assert refused.status_code == 302 and refused["Location"].startswith(reverse("staff:login"))
    meal.refresh_from_db()
    assert meal.label_de == "Essen?" and Question.objects.count() == 2


def test_a_question_of_another_event_is_not_found_under_this_event(
    staff_client, staff_event, staff_other_event, staff_now
):
    foreign = add_question(staff_other_event, QuestionData("text", "Fremd?"), actor=None, now=staff_now)
    assert staff_client.get(reverse("staff:question", args=[staff_event.slug, foreign.pk])).status_code == 404


def phone_form(staff_now, **overrides):
    values = {
        "received_at": (staff_now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
        "seat_type": "onsite",
        "name": "Anna Anruf",
        "phone": "02305 1",
        "language": "de",
        "accept_terms": "on",
        "broadcast_consent": "on",
    }
    values.update(overrides)
    return values


def test_staff_enter_answers_and_needs_of_a_phone_registration(staff_client, staff_event, staff_now, meal, parking):
    url = reverse("staff:phone", args=[staff_event.slug])
    page = staff_client.get(url).text
    assert "Questions from the organisers" in page and 'name="need_hearing_loop"' in page
    response = staff_client.post(
        url, phone_form(staff_now, **{f"question_{meal.pk}": "Vegan", "need_hearing_loop": "on", "need_children": "1"})
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert list(registration.answers.values_list("value", flat=True)) == ["Vegan"]
    assert registration.accessibility.hearing_loop and registration.accessibility.children == 1


def test_a_phone_registration_without_a_required_answer_is_refused_and_nothing_saved(
    staff_client, staff_event, staff_now, meal
):
    response = staff_client.post(reverse("staff:phone", args=[staff_event.slug]), phone_form(staff_now))
    assert response.status_code == 422
    assert f'id="id_question_{meal.pk}_error"' in response.text
    assert not Registration.objects.exists()


def test_the_summary_counts_needs_and_answers_of_active_registrations(
    staff_client, staff_event, staff_now, meal, parking
):
    at = staff_now - timedelta(hours=1)
    person(
        staff_event,
        1,
        at,
        answers={meal.pk: "Vegan", parking.pk: True},
        needs=NeedsData(wheelchair=True, sign_language=True, children=2, children_ages="3, 5"),
    )
    person(
        staff_event,
        2,
        at,
        seat="online",
        answers={meal.pk: "Vegan"},
        needs=NeedsData(sign_language=True, dietary="laktosefrei"),
    )
    person(staff_event, 3, at, answers={meal.pk: "Vegetarisch"}, needs=NeedsData(hearing_loop=True, children=1))
    gone = person(staff_event, 4, at, answers={meal.pk: "Vegetarisch"}, needs=NeedsData(wheelchair=True, children=4))
    services.cancel(gone, actor=None, now=staff_now)
    html = staff_client.get(reverse("staff:event", args=[staff_event.slug])).text
    for line in (
        "1 wheelchair place<",
        "2 people need sign-language interpretation (DGS)",
        "1 person needs a hearing loop",
        "3 children for the childcare",
        "ages: 3, 5",
        "1 person with dietary requirements",
        "Vegan: 2",
        "Vegetarian: 1",
        "Yes: 1",
        "No: 0",
    ):
        assert line in html, line


def add_people(event, start, count, first, meal, parking):
    for number in range(first, first + count):
        children = number % 3
        needs = NeedsData(wheelchair=number % 2 == 0, children=children, children_ages="4" if children else "")
        seat = "online" if number % 2 else "onsite"
        answers = {meal.pk: "Vegan", parking.pk: number % 3 == 0}
        person(event, number, start + timedelta(seconds=number), seat=seat, answers=answers, needs=needs)


def test_the_event_page_and_the_csv_cost_the_same_queries_with_few_or_many_registrations(
    staff_client, staff_event, meal, parking
):
    event_url = reverse("staff:event", args=[staff_event.slug])
    csv_url = reverse("staff:export", args=[staff_event.slug])
    start = staff_event.registration_opens_at
    add_people(staff_event, start, 8, 0, meal, parking)  # both seat types full, as later
    few = queries_of(staff_client, event_url), csv_queries(staff_client, csv_url)
    add_people(staff_event, start, 40, 8, meal, parking)
    many = queries_of(staff_client, event_url), csv_queries(staff_client, csv_url)
    assert few == many


def csv_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        b"".join(client.get(url).streaming_content)
    return len(captured)


def read_csv(response) -> list[dict[str, str]]:
    content = b"".join(response.streaming_content)
    assert content.startswith(codecs.BOM_UTF8)
    header, *rows = csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_csv_has_a_column_per_need_and_per_question(staff_client, staff_event, staff_now, meal, parking):
    at = staff_now - timedelta(hours=1)
    person(
        staff_event,
        1,
        at,
        answers={meal.pk: "Vegan", parking.pk: False},
        needs=NeedsData(wheelchair=True, children=2, children_ages="3, 5", dietary="=HYPERLINK()"),
    )
    person(staff_event, 2, at + timedelta(minutes=1), channel="email")
    first, second = read_csv(staff_client.get(reverse("staff:export", args=[staff_event.slug])))
    assert (first["Essen?"], first["Parkplatz?"]) == ("Vegan", "no")
    assert (first["Wheelchair place"], first["Sign-language interpretation (DGS)"]) == ("yes", "")
    assert (first["Children for the childcare"], first["Ages of the children"]) == ("2", "3, 5")
    assert first["Dietary requirements"] == "'=HYPERLINK()"  # neutralised like every cell
    assert (second["Essen?"], second["Wheelchair place"], second["Children for the childcare"]) == ("", "", "")


def test_cancelled_registrations_keep_their_answers_until_erasure_but_are_not_counted(staff_event, staff_now, meal):
    registration = person(staff_event, 1, staff_now - timedelta(hours=1), answers={meal.pk: "Vegan"})
    services.cancel(registration, actor=None, now=staff_now)
    assert Registration.objects.get().status == Status.CANCELLED
    assert Answer.objects.count() == 1
