"""Everyone takes part live: a viewer at home asks the panel a question (and is told when the
form is empty), the moderator hides an advert, approves the question, puts it on the wall and
opens a poll; the viewer answers the poll and sees the results; the plenum wall's presentation mode shows the question,
the poll's count and the ideas as they change; the moderator marks the question answered with
the panel's answer, which the protocol keeps. In German and in English."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ideas import services as ideas
from tests.factories import running_event
from tests.ideas.ideas_factories import add_idea
from tests.journeys import staff

pytestmark = pytest.mark.journey

# The wall polls its state every two seconds; the screen must follow within this time.
WALL_FOLLOWS_MS = 10_000

TEXT = {
    "de": {
        "question": "Wann wird der Radweg an der Hauptstraße gebaut?",
        "name": "Erika",
        "spam": "Billige Uhren unter uhren.example",
        "answer": "Der Bau beginnt im Frühjahr.",
        "poll": "Soll der Marktplatz autofrei werden?",
        "options": "Unbedingt\nLieber nicht",
        "idea": "Mehr Bänke am Markt",
        "ask_label": "Ihre Frage an das Podium",
        "name_label": "Ihr Name",
        "send": "Frage senden",
        "required": "Dieses Feld ist zwingend erforderlich.",
        "ask_link": "Dem Podium eine Frage stellen",
        "vote": "Für diese Frage stimmen",
        "approve": "Freigeben",
        "hide": "Verbergen",
        "show": "An der Wand zeigen",
        "answered": "Als beantwortet markieren",
        "answer_label": "Antwort des Podiums (für das Protokoll)",
        "poll_label": "Frage der Umfrage",
        "options_label": "Antworten, eine pro Zeile",
        "prepare": "Umfrage vorbereiten",
        "open": "Umfrage öffnen",
        "close": "Umfrage schließen",
        "send_answer": "Antwort senden",
        "results": "Sie haben geantwortet.",
        "protocol": "Protokoll",
    },
    "en": {
        "question": "When will the cycle path on the high street be built?",
        "name": "Erika",
        "spam": "Cheap watches at watches.example",
        "answer": "Construction begins in spring.",
        "poll": "Should the market square be car-free?",
        "options": "Absolutely\nRather not",
        "idea": "More benches at the market",
        "ask_label": "Your question to the panel",
        "name_label": "Your name",
        "send": "Send question",
        "required": "This field is required.",
        "ask_link": "Ask the panel a question",
        "vote": "Vote for this question",
        "approve": "Approve",
        "hide": "Hide",
        "show": "Show on the wall",
        "answered": "Mark as answered",
        "answer_label": "The panel’s answer (for the protocol)",
        "poll_label": "Question of the poll",
        "options_label": "Answers, one per line",
        "prepare": "Prepare the poll",
        "open": "Open the poll",
        "close": "Close the poll",
        "send_answer": "Send answer",
        "results": "You have answered.",
        "protocol": "Protocol",
    },
}


def button(journey, name: str):
    """A button by the start of its name (the desk's buttons name their question after a colon)."""
    return journey.page.get_by_role("button", name=re.compile("^" + re.escape(name))).first


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_viewer_asks_and_votes_a_moderator_runs_the_questions_and_the_poll_and_the_wall_follows(browse, language):
    words = TEXT[language]
    now = timezone.now()
    moderator_user = staff.staff_user("moderatorin")
    event = running_event(team=[moderator_user])
    group, access = ideas.create_group(event, ideas.GroupData("Tisch 1"), actor=moderator_user, now=now)
    add_idea(group, words["idea"], actor=access.moderator, for_plenum=True)
    live = f"/veranstaltungen/{event.slug}/live/"
    desk = live + "organisation/"

    # The moderator prepares a poll before the event's Q&A starts.
    moderator = browse(language, who="moderator")
    staff.log_in(moderator, moderator_user, next_path=desk)
    moderator.step("the live desk")
    moderator.page.get_by_label(words["poll_label"]).fill(words["poll"])
    moderator.page.get_by_label(words["options_label"]).fill(words["options"])
    moderator.submit(words["prepare"])
    moderator.step("poll prepared")

    # The wall goes on the projector.
    wall = browse(language, who="wall")
    wall.page.set_viewport_size({"width": 1920, "height": 1080})
    wall.open(f"/veranstaltungen/{event.slug}/plenum/praesentation/")
    expect(wall.page.locator(".plenum-idea")).to_contain_text(words["idea"])
    expect(wall.page.locator("[data-live-question]")).to_be_hidden()
    wall.step("the wall before the questions")

    # A viewer at home asks a question; an empty form is answered in the field.
    viewer = browse(language, who="viewer")
    viewer.open(live)
    viewer.step("the live page beside the stream")
    viewer.page.get_by_role("link", name=words["ask_link"]).click()
    viewer.page.wait_for_load_state()
    viewer.page.get_by_label(words["name_label"]).fill(words["name"])
    with viewer.expecting(422):
        viewer.submit(words["send"], status=422)
    expect(viewer.page.locator("#id_text_error")).to_contain_text(words["required"])
    expect(viewer.page.get_by_label(words["name_label"])).to_have_value(words["name"])
    viewer.step("an empty question is refused")
    viewer.page.get_by_label(words["ask_label"]).fill(words["question"])
    viewer.submit(words["send"])
    expect(viewer.page.locator("main")).not_to_contain_text(words["question"])
    viewer.step("the question waits for approval")
    viewer.page.get_by_label(words["ask_label"]).fill(words["spam"])
    viewer.submit(words["send"])

    # The moderator hides the advert, approves the question, puts it on the wall and opens the poll.
    moderator.open(desk)
    expect(moderator.page.locator("main")).to_contain_text(words["question"])
    advert = moderator.page.locator("li.kern-card", has_text=words["spam"])
    moderator.submit(advert.get_by_role("button", name=re.compile("^" + words["hide"])))
    expect(moderator.page.locator("main")).not_to_contain_text(words["spam"])
    moderator.submit(button(moderator, words["approve"]))
    moderator.submit(button(moderator, words["show"]))
    moderator.submit(button(moderator, words["open"]))
    moderator.step("question on the wall, poll open")

    expect(wall.page.locator("[data-live-question-text]")).to_have_text(words["question"], timeout=WALL_FOLLOWS_MS)
    expect(wall.page.locator("[data-live-poll-question]")).to_have_text(words["poll"], timeout=WALL_FOLLOWS_MS)
    wall.step("the wall shows the question and the poll")

    # The viewer answers the poll and sees the results, then votes for the question.
    viewer.open(live)
    first_option = words["options"].splitlines()[0]
    viewer.page.get_by_label(first_option).check()
    viewer.submit(words["send_answer"])
    expect(viewer.page.locator("#poll")).to_contain_text(words["results"])
    expect(viewer.page.locator("#poll [data-live-ballots]")).to_have_text("1")
    viewer.step("the poll answered, its results")
    viewer.open(live + "fragen/")
    viewer.submit(button(viewer, words["vote"]))
    viewer.step("voted for the question")

    expect(wall.page.locator("[data-live-ballots]")).to_have_text("1", timeout=WALL_FOLLOWS_MS)
    expect(wall.page.locator("[data-live-question-votes]")).to_have_text("1", timeout=WALL_FOLLOWS_MS)
    wall.step("the wall counts the answer and the vote")

    # The panel has answered: the moderator marks it, with the answer for the protocol, and closes the poll.
    moderator.open(desk)
    moderator.page.get_by_label(words["answer_label"]).fill(words["answer"])
    moderator.submit(button(moderator, words["answered"]))
    moderator.submit(button(moderator, words["close"]))
    moderator.step("question answered, poll closed")
    moderator.page.get_by_role("link", name=words["protocol"], exact=True).click()
    moderator.page.wait_for_load_state()
    expect(moderator.page.locator("main")).to_contain_text(words["answer"])
    moderator.step("the protocol")

    expect(wall.page.locator("[data-live-question]")).to_be_hidden(timeout=WALL_FOLLOWS_MS)
    expect(wall.page.locator("[data-live-poll]")).to_be_hidden(timeout=WALL_FOLLOWS_MS)
    wall.step("the wall after the answer")
