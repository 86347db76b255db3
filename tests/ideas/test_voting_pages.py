"""The voting pages: a device through the QR code (signed cookie), a registration through its
personal link; plain form posts and htmx; the wall's live counts and results; the organisers'
settings. Forged cookies and links are refused, bad input changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from events.models import EventMember, Role
from ideas import services
from ideas.access import plenum_vote_token
from ideas.models import Dot, PlenumVoting, Voter
from ideas.views.voting import device_cookie
from registrations.services import revoke_personal_links
from tests.factories import confirmed_registration, running_event
from tests.ideas.ideas_factories import add_idea

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def open_voting(event, organiser, now):
    services.configure_voting(event, 2, actor=organiser, now=now)
    return services.set_voting_open(event, True, actor=organiser, now=now)


def vote_path(event) -> str:
    return reverse("ideas:vote", args=[event.slug])


def device(event) -> Client:
    """A phone that scanned the wall's QR code: it opened the page and got its cookie."""
    phone = Client()
    assert phone.get(vote_path(event)).status_code == 200
    return phone


def test_a_device_gets_a_cookie_for_this_page_and_gives_a_dot_without_javascript(event, open_voting, plenum_idea):
    phone = Client()
    page = phone.get(vote_path(event))
    cookie = page.cookies[device_cookie(event)]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["max-age"] > 3600
    assert "Sie haben noch 2 von 2 Punkten." in page.text

    response = phone.post(vote_path(event), {"idea": plenum_idea.pk, "action": "give"})

    assert response.status_code == 302 and response["Location"] == vote_path(event)
    after = phone.get(vote_path(event)).text
    assert "Sie haben „Mehr Bänke am Markt“ einen Punkt gegeben." in after
    assert "Sie haben noch 1 von 2 Punkten." in after
    assert Dot.objects.filter(idea=plenum_idea).count() == 1


def test_with_htmx_only_the_ballot_comes_back_with_a_status_line(event, open_voting, plenum_idea):
    phone = device(event)

    response = phone.post(vote_path(event), {"idea": plenum_idea.pk, "action": "give"}, **HTMX)

    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="ballot-status" role="status" hx-swap-oob="true">Sie haben „' in response.text
    assert f'id="take-{plenum_idea.pk}"' in response.text

    taken = phone.post(vote_path(event), {"idea": plenum_idea.pk, "action": "take"}, **HTMX)
    assert "Sie haben einen Punkt zurückgenommen." in taken.text
    assert Dot.objects.count() == 0


def test_the_budget_is_per_device_and_an_error_keeps_the_page(event, open_voting, plenum_idea):
    phone = device(event)
    for _ in range(2):
        phone.post(vote_path(event), {"idea": plenum_idea.pk, "action": "give"})

    response = phone.post(vote_path(event), {"idea": plenum_idea.pk, "action": "give"})

    assert response.status_code == 409
    assert 'data-code="no_dots_left"' in response.text and "<h1" in response.text
    assert device(event).post(vote_path(event), {"idea": plenum_idea.pk, "action": "give"}).status_code == 302
    assert Dot.objects.count() == 3 and Voter.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        ({"idea": "999999", "action": "give"}, 404, "idea_not_found"),
        ({"idea": "", "action": "give"}, 404, "idea_not_found"),
        ({"action": "jump"}, 400, "unknown_action"),
    ],
)
def test_bad_input_is_refused_clearly_and_changes_nothing(event, open_voting, plenum_idea, data, status, code):
    phone = device(event)
    for headers in ({}, HTMX):
        response = phone.post(vote_path(event), data, **headers)
        assert response.status_code == status
        assert f'data-code="{code}"' in response.text
    assert Dot.objects.count() == 0


def test_an_idea_of_another_event_gets_no_dot_here(event, open_voting, other_event, other_organiser, now):
    group, _access = services.create_group(other_event, services.GroupData("Fremd"), actor=other_organiser, now=now)
    foreign = add_idea(group, "Woanders", actor=other_organiser, for_plenum=True)

    response = device(event).post(vote_path(event), {"idea": foreign.pk, "action": "give"})

    assert response.status_code == 422 and 'data-code="idea_of_other_event"' in response.text
    assert Dot.objects.count() == 0


def test_a_closed_voting_shows_no_buttons_and_refuses_posts(event, organiser, open_voting, plenum_idea, now):
    phone = device(event)
    services.set_voting_open(event, False, actor=organiser, now=now)

    assert "Punkt geben" not in phone.get(vote_path(event)).text
    response = phone.post(vote_path(event), {"idea": plenum_idea.pk, "action": "give"})
    assert response.status_code == 409 and 'data-code="voting_closed"' in response.text
    assert Dot.objects.count() == 0


@pytest.mark.parametrize("cookie", [None, "forged-value", "abc:def:ghi"])
def test_a_missing_or_forged_device_cookie_changes_nothing(event, open_voting, plenum_idea, cookie):
    phone = Client()
    if cookie is not None:
        phone.cookies[device_cookie(event)] = cookie

    response = phone.post(vote_path(event), {"idea": plenum_idea.pk, "action": "give"})

    assert response.status_code == 400 and 'data-code="device_unknown"' in response.text
    assert device_cookie(event) in response.cookies  # a fresh, valid cookie for the next try
    assert not Voter.objects.exists() and not Dot.objects.exists()


def test_a_registration_votes_through_its_personal_link(event, open_voting, plenum_idea):
    registration = confirmed_registration(event, "Ada")
    path = reverse("ideas:personal_vote", args=[plenum_vote_token(registration)])

    assert "Sie haben noch 2 von 2 Punkten." in Client().get(path).text
    assert Client().post(path, {"idea": plenum_idea.pk, "action": "give"}).status_code == 302
    assert Client().post(path, {"idea": plenum_idea.pk, "action": "give"}).status_code == 302
    refused = Client().post(path, {"idea": plenum_idea.pk, "action": "give"})

    assert refused.status_code == 409
    assert Voter.objects.get().registration == registration
    assert Dot.objects.count() == 2


def test_forged_revoked_or_cancelled_links_give_no_dot(event, open_voting, plenum_idea, now):
    revoked, cancelled = confirmed_registration(event, "Ada"), confirmed_registration(event, "Bea", status="cancelled")
    revoked_token = plenum_vote_token(revoked)
    revoke_personal_links(revoked, actor=None, now=now)

    forged = reverse("ideas:personal_vote", args=[plenum_vote_token(confirmed_registration(event, "Cem"))[:-3] + "xyz"])
    for path, status in (
        (forged, 404),
        (reverse("ideas:personal_vote", args=[revoked_token]), 404),
        (reverse("ideas:personal_vote", args=[plenum_vote_token(cancelled)]), 403),
    ):
        response = Client().post(path, {"idea": plenum_idea.pk, "action": "give"})
        assert response.status_code == status, path
    assert not Dot.objects.exists()


def test_the_manage_link_does_not_open_the_voting_page(event, open_voting):
    from registrations.links import manage_token

    registration = confirmed_registration(event, "Ada")
    response = Client().get(reverse("ideas:personal_vote", args=[manage_token(registration)]))
    assert response.status_code == 404


def test_voting_is_rate_limited_per_voter(event, open_voting, plenum_idea, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "plenum_vote": (2, 60)}
    phone = device(event)
    phone.post(vote_path(event), {"idea": plenum_idea.pk, "action": "give"})
    phone.post(vote_path(event), {"idea": plenum_idea.pk, "action": "take"})

    response = phone.post(vote_path(event), {"idea": plenum_idea.pk, "action": "give"})

    assert response.status_code == 429 and 'data-code="rate_limited"' in response.text
    assert Dot.objects.count() == 0
    assert device(event).post(vote_path(event), {"idea": plenum_idea.pk, "action": "give"}).status_code == 302


def test_the_wall_shows_counts_in_words_a_ranked_results_list_and_the_qr_code(
    client, event, open_voting, plenum_idea, group, moderator
):
    second = add_idea(group, "Radweg", actor=moderator, for_plenum=True)
    phone = device(event)
    phone.post(vote_path(event), {"idea": second.pk, "action": "give"})
    phone.post(vote_path(event), {"idea": second.pk, "action": "give"})
    device(event).post(vote_path(event), {"idea": plenum_idea.pk, "action": "give"})

    page = client.get(reverse("ideas:plenum_ideas", args=[event.slug])).text

    assert '<p class="kern-body plenum-dots" data-dots="2"><strong>2</strong> Punkte</p>' in page
    assert "Radweg: 2 Punkte</li>" in page and "Mehr Bänke am Markt: 1 Punkt</li>" in page
    assert page.index("Radweg: 2 Punkte") < page.index("Mehr Bänke am Markt: 1 Punkt")
    assert reverse("ideas:vote_qr", args=[event.slug]) in page
    assert "aria-live" not in page
    qr = client.get(reverse("ideas:vote_qr", args=[event.slug]))
    assert qr["Content-Type"] == "image/svg+xml" and qr.content.startswith(b"<svg")


def test_the_wall_shows_no_counts_at_an_event_without_voting(client, event, plenum_idea):
    page = client.get(reverse("ideas:plenum_ideas", args=[event.slug])).text
    assert "plenum-dots" not in page and "plenum-results" not in page


def test_the_wall_counts_are_read_in_a_fixed_number_of_queries(
    client, event, open_voting, group, moderator, django_assert_max_num_queries, now
):
    path = reverse("ideas:plenum_ideas", args=[event.slug])
    ideas = [add_idea(group, f"Idee {n}", actor=moderator, for_plenum=True) for n in range(3)]
    with django_assert_max_num_queries(6) as few:
        client.get(path)
    for n in range(40):
        voter = services.voter_for_device(event, f"geraet-{n}", now=now)
        services.give_dot(voter, ideas[n % 3].pk, now=now)
    ideas += [add_idea(group, f"Mehr {n}", actor=moderator, for_plenum=True) for n in range(20)]
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(path)
    assert response.status_code == 200


def test_the_voting_page_of_a_draft_event_is_not_found(organiser, now):
    draft = running_event(status="draft", team=[organiser])
    assert Client().get(vote_path(draft)).status_code == 404


# The organisers' settings: organiser of this event, of another one, anonymous.


def test_organisers_set_the_dots_and_open_and_close_the_voting(organiser_client, event):
    board = reverse("ideas:organise", args=[event.slug])
    assert 'data-voting-state="off"' in organiser_client.get(board).text

    saved = organiser_client.post(reverse("ideas:voting_settings", args=[event.slug]), {"dots_per_voter": 5})
    opened = organiser_client.post(reverse("ideas:voting_state", args=[event.slug]), {"open": "1"})

    assert saved.status_code == opened.status_code == 302
    assert (PlenumVoting.objects.get(event=event).dots_per_voter, PlenumVoting.objects.get(event=event).is_open) == (
        5,
        True,
    )
    assert 'data-voting-state="open"' in organiser_client.get(board).text
    organiser_client.post(reverse("ideas:voting_state", args=[event.slug]), {"open": "0"})
    assert not PlenumVoting.objects.get(event=event).is_open


@pytest.mark.parametrize("dots", ["-1", "21", "viele", ""])
def test_a_bad_number_of_dots_shows_the_form_again(organiser_client, event, open_voting, dots):
    response = organiser_client.post(reverse("ideas:voting_settings", args=[event.slug]), {"dots_per_voter": dots})
    assert response.status_code == 422
    assert 'href="#id_dots_per_voter"' in response.text
    assert PlenumVoting.objects.get(event=event).dots_per_voter == 2


def test_opening_without_dots_explains_why(organiser_client, event):
    response = organiser_client.post(reverse("ideas:voting_state", args=[event.slug]), {"open": "1"})
    assert response.status_code == 422 and 'data-code="voting_without_dots"' in response.text
    assert not PlenumVoting.objects.filter(is_open=True).exists()


def test_organisers_of_other_events_and_anonymous_people_cannot_change_the_voting(event, other_organiser, open_voting):
    other = Client()
    other.force_login(other_organiser)
    for path, data in (
        (reverse("ideas:voting_settings", args=[event.slug]), {"dots_per_voter": 9}),
        (reverse("ideas:voting_state", args=[event.slug]), {"open": "0"}),
    ):
        assert other.post(path, data).status_code == 404
        anonymous = Client().post(path, data)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("staff:login"))
    voting = PlenumVoting.objects.get(event=event)
    assert (voting.dots_per_voter, voting.is_open) == (2, True)


def test_registration_voter_link_and_device_are_two_voters(event, open_voting, plenum_idea):
    registration = confirmed_registration(event, "Ada")
    path = reverse("ideas:personal_vote", args=[plenum_vote_token(registration)])
    Client().post(path, {"idea": plenum_idea.pk, "action": "give"})
    device(event).post(vote_path(event), {"idea": plenum_idea.pk, "action": "give"})
    assert Voter.objects.count() == 2


def test_the_personal_page_links_the_voting_page_once_the_organisers_set_dots(event, organiser, now):
    from registrations.links import manage_path

    registration = confirmed_registration(event, "Ada")
    before = Client().get(manage_path(registration)).text
    services.configure_voting(event, 3, actor=organiser, now=now)
    after = Client().get(manage_path(registration)).text

    link = reverse("ideas:personal_vote", args=[plenum_vote_token(registration)])
    assert link not in before
    assert link in after and "können Sie 3 Punkte" in after


def test_the_voting_page_in_english(event, open_voting, plenum_idea):
    page = Client().get("/en" + vote_path(event)).text
    assert "You have 2 of 2 dots left." in page and "Give a dot" in page


def test_switching_the_language_keeps_the_device_one_voter(event, open_voting, plenum_idea):
    phone = device(event)
    phone.post(vote_path(event), {"idea": plenum_idea.pk, "action": "give"})

    english = phone.get("/en" + vote_path(event))

    assert device_cookie(event) not in english.cookies
    assert "You have 1 of 2 dots left." in english.text
    assert Voter.objects.count() == 1


def test_a_moderator_opens_and_closes_the_voting_but_does_not_set_the_dots(event, open_voting):
    moderator = get_user_model().objects.create_user("moderatorin", is_staff=True)
    EventMember.objects.create(event=event, user=moderator, role=Role.MODERATOR)
    client = Client()
    client.force_login(moderator)
    board = client.get(reverse("ideas:organise", args=[event.slug])).text
    assert f'action="{reverse("ideas:voting_state", args=[event.slug])}"' in board
    assert f'action="{reverse("ideas:voting_settings", args=[event.slug])}"' not in board

    assert client.post(reverse("ideas:voting_settings", args=[event.slug]), {"dots_per_voter": 9}).status_code == 403
    assert client.post(reverse("ideas:voting_state", args=[event.slug]), {"open": "0"}).status_code == 302
    voting = PlenumVoting.objects.get(event=event)
    assert (voting.dots_per_voter, voting.is_open) == (2, False)
