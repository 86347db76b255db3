"""Questions to the panel: upvoted once per person, sorted by votes or time, shown on the wall
and marked answered by the team (asking through the live channel: test_asking.py; hiding with a
reason: test_hiding.py)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.devices import DEVICE_COOKIE
from core.errors import DomainError
from events.models import EventMember, Role
from live import services
from live.models import Question, QuestionVote
from tests.factories import confirmed_registration, make_user, running_event
from tests.live.live_factories import approved_question, asked, device
from tests.registrations.staff_helpers import client_of

pytestmark = pytest.mark.django_db


def visitor(event):
    """A browser that has opened the questions page once, and so has its device cookie."""
    client = client_of(None)
    assert client.get(reverse("live:questions", args=[event.slug])).status_code == 200
    assert DEVICE_COOKIE in client.cookies
    return client


def test_the_questions_page_asks_through_the_live_channel_and_has_no_form_of_its_own(event):
    page = client_of(None).get(reverse("live:questions", args=[event.slug])).content.decode()

    assert f'href="/mit/{event.live_code}/?kind=question"' in page
    assert 'name="text"' not in page


def test_one_vote_per_device_and_the_count_follows(event, organiser):
    question = approved_question(event, actor=organiser)
    client = visitor(event)
    url = reverse("live:upvote", args=[event.slug, question.pk])

    client.post(url)
    second = client.post(url, follow=True)

    assert "Sie haben für diese Frage schon gestimmt." in second.text
    assert Question.objects.get(pk=question.pk).votes == 1
    assert QuestionVote.objects.count() == 1
    assert "Sie haben für diese Frage gestimmt." in client.get(reverse("live:questions", args=[event.slug])).text


def test_a_registration_votes_once_whichever_device_opens_its_link(event, organiser):
    question = approved_question(event, actor=organiser)
    registration = confirmed_registration(event, "Erika Muster")
    from live.views.public import live_token

    link = reverse("live:personal", args=[live_token(registration)])
    phone, laptop = client_of(None), client_of(None)
    for browser in (phone, laptop):
        assert browser.get(link).status_code == 302
        browser.post(reverse("live:upvote", args=[event.slug, question.pk]))

    assert Question.objects.get(pk=question.pk).votes == 1
    assert QuestionVote.objects.get().participant.registration == registration


def test_a_forged_personal_link_is_refused(event):
    response = client_of(None).get(reverse("live:personal", args=["erfunden"]))

    assert response.status_code == 404


def test_pending_hidden_and_answered_questions_cannot_be_voted_for(event, organiser):
    now = timezone.now()
    pending = asked(event, "Offen?")
    answered = approved_question(event, "Beantwortet?", actor=organiser)
    services.answer_question(answered, "Ja.", actor=organiser, now=now)
    voter = device(event, "waehler")

    with pytest.raises(DomainError) as refused:
        services.upvote(pending, participant=voter, now=now)
    assert refused.value.code == "question_not_found"
    with pytest.raises(DomainError) as refused:
        services.upvote(Question.objects.get(pk=answered.pk), participant=voter, now=now)
    assert refused.value.code == "question_answered"
    assert QuestionVote.objects.count() == 0


def test_questions_are_sorted_by_votes_or_by_time(event, organiser):
    approved_question(event, "Ältere Frage mit Stimmen", actor=organiser, votes=2)
    approved_question(event, "Neuere Frage ohne Stimmen", actor=organiser)
    client = client_of(None)

    by_votes = client.get(reverse("live:questions", args=[event.slug])).text
    by_time = client.get(reverse("live:questions", args=[event.slug]) + "?order=time").text

    assert by_votes.index("Ältere Frage") < by_votes.index("Neuere Frage")
    assert by_time.index("Neuere Frage") < by_time.index("Ältere Frage")


def test_answered_questions_come_after_the_open_ones_in_either_order(event, organiser):
    answered = approved_question(event, "Beantwortete Frage", actor=organiser, votes=3)
    services.answer_question(answered, "Ja.", actor=organiser, now=timezone.now())
    approved_question(event, "Offene Frage", actor=organiser)
    client = client_of(None)

    for order in ("votes", "time"):
        page = client.get(reverse("live:questions", args=[event.slug]) + f"?order={order}").text
        assert page.index("Offene Frage") < page.index("Beantwortete Frage"), order


def test_the_team_shows_a_question_on_the_wall_and_marks_it_answered_with_the_answer(event, organiser):
    question = approved_question(event, actor=organiser)
    desk = client_of(organiser)

    desk.post(reverse("live:show", args=[event.slug, question.pk]))
    assert "Wann kommt der Radweg?" in client_of(None).get(reverse("live:panel", args=[event.slug])).text
    response = desk.post(reverse("live:answer", args=[event.slug, question.pk]), {"answer": "Im Frühjahr."})

    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.answer, question.shown_at) == ("Im Frühjahr.", None)
    assert question.answered_at is not None
    protocol = desk.get(reverse("live:protocol", args=[event.slug])).text
    assert "Im Frühjahr." in protocol


def test_a_too_long_answer_is_refused_in_its_field_and_nothing_changes(event, organiser):
    question = approved_question(event, actor=organiser)

    response = client_of(organiser).post(reverse("live:answer", args=[event.slug, question.pk]), {"answer": "x" * 2001})

    assert response.status_code == 422
    assert "höchstens 2000 Zeichen" in response.text
    assert Question.objects.get(pk=question.pk).answered_at is None


def test_a_moderator_of_the_team_decides_and_a_viewer_of_the_team_may_not(event, organiser):
    question = asked(event, "Darf ich?")
    moderator, viewer = make_user("moderatorin"), make_user("zuschauer")
    EventMember.objects.create(event=event, user=moderator, role=Role.MODERATOR)
    EventMember.objects.create(event=event, user=viewer, role=Role.VIEWER)

    refused = client_of(viewer).post(reverse("live:approve", args=[event.slug, question.pk]))
    assert refused.status_code == 403
    assert Question.objects.get(pk=question.pk).state == "pending"
    client_of(moderator).post(reverse("live:approve", args=[event.slug, question.pk]))
    assert Question.objects.get(pk=question.pk).state == "approved"


def test_another_team_and_anonymous_cannot_decide(event, organiser):
    question = asked(event, "Darf ich?")
    stranger = make_user("orga-anderswo")
    running_event(team=[stranger])
    url = reverse("live:approve", args=[event.slug, question.pk])

    assert client_of(stranger).post(url).status_code == 404
    anonymous = client_of(None).post(url)
    assert anonymous.status_code == 302 and "anmelden" in anonymous["Location"]
    assert Question.objects.get(pk=question.pk).state == "pending"


def test_the_personal_page_links_to_the_live_page_and_the_link_names_the_registration(event):
    from registrations.links import manage_path

    registration = confirmed_registration(event, "Erika Muster")
    client = client_of(None)
    page = client.get(manage_path(registration)).text
    assert "Ihr persönlicher Link zur Live-Seite" in page
    link = re.search(r'href="(/live/[^"]+/)"', page).group(1)

    response = client.get(link)

    assert response["Location"] == reverse("live:page", args=[event.slug])
    assert client.get(response["Location"]).status_code == 200
    assert DEVICE_COOKIE not in client.cookies
