"""Polls: prepared, opened and closed by the team, answered once per person, anonymous, results
for participants after they answered, on the wall, in the protocol and the CSV."""

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from live import services
from live.models import Poll, PollBallot, PollChoice
from tests.factories import running_event
from tests.live.live_factories import device, open_poll
from tests.registrations.staff_helpers import client_of

pytestmark = pytest.mark.django_db


def viewer(event):
    client = client_of(None)
    client.get(reverse("live:page", args=[event.slug]))
    return client


def test_a_viewer_answers_once_and_then_sees_the_results(event, organiser):
    poll = open_poll(event, actor=organiser)
    yes = poll.options.get(label="Ja")
    client = viewer(event)
    assert 'name="option"' in client.get(reverse("live:page", args=[event.slug])).text

    client.post(reverse("live:answer_poll", args=[event.slug, poll.pk]), {"option": yes.pk})
    again = client.post(reverse("live:answer_poll", args=[event.slug, poll.pk]), {"option": yes.pk}, follow=True)

    assert "Sie haben diese Umfrage schon beantwortet." in again.text
    page = client.get(reverse("live:page", args=[event.slug])).text
    assert 'name="option"' not in page
    assert 'value="100"' in page
    poll.refresh_from_db()
    assert poll.ballots == 1
    assert [option.count for option in poll.options.all()] == [1, 0, 0]


def test_choices_are_stored_without_the_participant(event, organiser):
    poll = open_poll(event, actor=organiser, kind="multiple")
    options = list(poll.options.all())

    services.answer_poll(poll, [str(options[0].pk), str(options[2].pk)], participant=device(event), now=timezone.now())

    assert PollBallot.objects.count() == 1
    assert sorted(PollChoice.objects.values_list("option__label", flat=True)) == ["Ja", "Weiß nicht"]
    assert [field.name for field in PollChoice._meta.get_fields()] == ["id", "option"]


@pytest.mark.parametrize(
    ("kind", "chosen", "code"),
    [
        ("single", [], "choice_required"),
        ("single", ["0", "1"], "unknown_option"),
        ("single", "two", "one_choice_only"),
        ("scale", "two", "one_choice_only"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_counted(event, organiser, kind, chosen, code):
    poll = open_poll(event, actor=organiser, kind=kind)
    if chosen == "two":
        chosen = [str(option.pk) for option in poll.options.all()[:2]]

    with pytest.raises(DomainError) as refused:
        services.answer_poll(poll, chosen, participant=device(event), now=timezone.now())

    assert refused.value.code == code
    assert PollBallot.objects.count() == 0 and PollChoice.objects.count() == 0


def test_a_closed_or_prepared_poll_takes_no_answers(event, organiser):
    now = timezone.now()
    prepared = services.create_poll(event, "Später?", "scale", [], actor=organiser, now=now)
    running = open_poll(event, actor=organiser)
    services.close_poll(running, actor=organiser, now=now)

    for poll in (prepared, Poll.objects.get(pk=running.pk)):
        with pytest.raises(DomainError) as refused:
            services.answer_poll(poll, [str(poll.options.first().pk)], participant=device(event), now=now)
        assert refused.value.code == "poll_not_open"


def test_opening_a_poll_closes_the_one_running(event, organiser):
    first = open_poll(event, actor=organiser)
    second = open_poll(event, actor=organiser)

    assert Poll.objects.get(pk=first.pk).state == "closed"
    assert Poll.objects.get(pk=second.pk).state == "open"


def test_a_scale_has_five_steps_and_a_mean(event, organiser):
    poll = open_poll(event, actor=organiser, kind="scale", options=())
    steps = {option.label: option for option in poll.options.all()}
    for number, step in enumerate(["2", "4", "5"]):
        services.answer_poll(poll, [str(steps[step].pk)], participant=device(event, f"g{number}"), now=timezone.now())

    from live.queries import results

    poll.refresh_from_db()
    assert list(steps) == ["1", "2", "3", "4", "5"]
    assert results(poll)["mean"] == 3.7


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"question": "", "kind": "single", "options": "Ja\nNein"}, "Dieses Feld ist zwingend erforderlich."),
        ({"question": "Wohin?", "kind": "single", "options": "Nur eine"}, "Schreiben Sie zwischen 2 und 10 Antworten"),
        ({"question": "Wohin?", "kind": "single", "options": "Ja\nja"}, "Jede Antwort darf nur einmal vorkommen."),
        ({"question": "Wohin?", "kind": "multiple", "options": "x" * 121 + "\nNein"}, "höchstens 120 Zeichen"),
        ({"question": "Wohin?", "kind": "quiz", "options": "Ja\nNein"}, "quiz ist keine gültige Auswahl."),
    ],
)
def test_a_bad_poll_is_refused_in_its_field_with_the_entry_kept(event, organiser, data, message):
    response = client_of(organiser).post(reverse("live:new_poll", args=[event.slug]), data)

    assert response.status_code == 422
    assert message in response.text
    assert Poll.objects.count() == 0


def test_the_team_prepares_opens_and_closes_a_poll_and_the_protocol_and_csv_hold_the_results(event, organiser):
    desk = client_of(organiser)
    desk.post(
        reverse("live:new_poll", args=[event.slug]), {"question": "=Wohin?", "kind": "single", "options": "Park\nPlatz"}
    )
    poll = Poll.objects.get()
    desk.post(reverse("live:open_poll", args=[event.slug, poll.pk]))
    poll.refresh_from_db()
    services.answer_poll(poll, [str(poll.options.get(label="Park").pk)], participant=device(event), now=timezone.now())
    desk.post(reverse("live:close_poll", args=[event.slug, poll.pk]))

    assert Poll.objects.get().state == "closed"
    assert "Park" in desk.get(reverse("live:protocol", args=[event.slug])).text
    csv = desk.get(reverse("live:protocol_csv", args=[event.slug])).content.decode()
    assert "poll;'=Wohin?;Park;1;100;single" in csv  # the format of every export (core/csv.py)


def test_a_poll_of_another_event_is_not_found(event, organiser):
    other = running_event(team=[organiser])
    poll = open_poll(other, actor=organiser)
    client = viewer(event)

    response = client.post(reverse("live:answer_poll", args=[event.slug, poll.pk]), {"option": poll.options.first().pk})

    assert response.status_code == 404
