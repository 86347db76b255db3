"""Everyone takes part live: a viewer at home follows the live page's link to the event's live
channel (`/mit/<code>/?via=stream`), chooses a question to the panel instead of an idea and asks it
(told at the field when the text is empty), leaving an address for updates; a second asker leaves
one too. The moderator sees where the questions came from, hides the second with a reason (refused
at the field without one; the asker gets the reason by mail, in their language), approves the
first (its asker hears by mail that it is on the list), puts it on the wall and opens a poll; the
viewer sees the question on the live page, answers the poll and sees the results, and follows the
mail's link to the questions to vote; the plenum wall's presentation mode shows the question, the
poll's count and the ideas as they change; the moderator marks the question answered with the
panel's answer, which the protocol keeps and the viewer gets by mail. In German and in English."""

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
# The live channel refuses a form sent sooner than LIVE_MIN_FILL_SECONDS (3) after it was shown.
PAST_THE_FILL_TIME_MS = 3_500
ASKER = "frager@example.org"
VIEWER = "zuschauerin@example.org"

TEXT = {
    "de": {
        "question": "Wann wird der Radweg an der Hauptstraße gebaut?",
        "name": "Erika",
        "second": "Ist die Sitzung öffentlich?",
        "reason": "Das wurde zu Beginn beantwortet: Ja, sie ist öffentlich.",
        "answer": "Der Bau beginnt im Frühjahr.",
        "poll": "Soll der Marktplatz autofrei werden?",
        "options": "Unbedingt\nLieber nicht",
        "idea": "Mehr Bänke am Markt",
        "channel_link": "Eine Idee oder Frage senden",
        "question_kind": "Frage an das Podium",
        "ask_label": "Ihr Text",
        "name_label": "Ihr Name",
        "show_name": "Meinen Namen öffentlich zeigen",
        "email_label": "E-Mail-Adresse",
        "consent": "Ja, teilen Sie mir per E-Mail mit, was aus meinem Beitrag wird.",
        "send": "Senden",
        "required": "Bitte schreiben Sie Ihre Frage.",
        "thanks": "Ihre Frage erscheint auf der Liste, sobald die Moderation sie freigegeben hat.",
        "origin": "Gesendet von: Livestream",
        "vote": "Für diese Frage stimmen",
        "approve": "Freigeben",
        "hide_open": "Mit Begründung verbergen",
        "reason_label": "Grund für das Verbergen",
        "reason_missing": "Bitte sagen Sie, warum die Frage verborgen wird.",
        "hide": "Verbergen",
        "mail_subject": "Ihre Frage an das Podium",
        "approved_subject": "steht auf der Liste",
        "answered_subject": "ist beantwortet",
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
        "second": "Is the meeting public?",
        "reason": "That was answered at the start: yes, it is public.",
        "answer": "Construction begins in spring.",
        "poll": "Should the market square be car-free?",
        "options": "Absolutely\nRather not",
        "idea": "More benches at the market",
        "channel_link": "Send an idea or a question",
        "question_kind": "Question to the panel",
        "ask_label": "Your text",
        "name_label": "Your name",
        "show_name": "Show my name publicly",
        "email_label": "E-mail address",
        "consent": "Yes, tell me by e-mail what becomes of my contribution.",
        "send": "Send",
        "required": "Please write your question.",
        "thanks": "Your question will appear on the list once the moderators have approved it.",
        "origin": "Sent from: Livestream",
        "vote": "Vote for this question",
        "approve": "Approve",
        "hide_open": "Hide with a reason",
        "reason_label": "Reason for hiding",
        "reason_missing": "Please say why the question is hidden.",
        "hide": "Hide",
        "mail_subject": "Your question to the panel",
        "approved_subject": "is on the list",
        "answered_subject": "has been answered",
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
def test_a_viewer_asks_and_votes_a_moderator_runs_the_questions_and_the_poll_and_the_wall_follows(
    browse, mailbox, language
):
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

    # A viewer at home follows the live page to the event's live channel and asks the panel; an
    # empty text is answered at the field, the name kept.
    viewer = browse(language, who="viewer")
    viewer.open(live)
    viewer.step("the live page beside the stream")
    with viewer.page.expect_navigation():
        viewer.page.get_by_role("link", name=words["channel_link"]).click()
    assert "/mit/" in viewer.page.url and "via=stream" in viewer.page.url
    viewer.page.get_by_label(words["question_kind"]).check()
    viewer.page.get_by_label(words["name_label"]).fill(words["name"])
    viewer.page.get_by_label(words["show_name"]).check()
    viewer.step("the live channel, a question chosen")
    viewer.submit(words["send"], status=422)
    expect(viewer.page.locator("#id_text_error")).to_contain_text(words["required"])
    expect(viewer.page.get_by_label(words["name_label"])).to_have_value(words["name"])
    expect(viewer.page.get_by_label(words["question_kind"])).to_be_checked()
    viewer.step("an empty question is refused")
    viewer.page.get_by_label(words["ask_label"]).fill(words["question"])
    viewer.page.get_by_label(words["email_label"]).fill(VIEWER)
    viewer.page.get_by_label(words["consent"]).check()
    viewer.page.wait_for_timeout(PAST_THE_FILL_TIME_MS)
    viewer.submit(words["send"])
    expect(viewer.page.locator("main")).to_contain_text(words["thanks"])
    viewer.step("the question waits for approval")

    # Someone else asks and leaves an address for the answer.
    asker = browse(language, who="asker")
    asker.open(f"/mit/{event.live_code}/?via=stream&kind=question")
    expect(asker.page.get_by_label(words["question_kind"])).to_be_checked()
    asker.page.get_by_label(words["ask_label"]).fill(words["second"])
    asker.page.get_by_label(words["email_label"]).fill(ASKER)
    asker.page.get_by_label(words["consent"]).check()
    asker.page.wait_for_timeout(PAST_THE_FILL_TIME_MS)
    asker.submit(words["send"])
    asker.step("the second question sent")

    # The moderator sees where both came from, hides the second with a reason (refused without
    # one), approves the first, puts it on the wall and opens the poll.
    moderator.open(desk)
    expect(moderator.page.locator("main")).to_contain_text(words["question"])
    expect(moderator.page.locator("li.kern-card", has_text=words["question"])).to_contain_text(words["origin"])
    moderator.step("two questions wait, with their origin")
    second = moderator.page.locator("li.kern-card", has_text=words["second"])
    second.get_by_text(words["hide_open"]).click()
    moderator.submit(second.get_by_role("button", name=re.compile("^" + words["hide"] + r"\b(?! with)")), status=422)
    second = moderator.page.locator("li.kern-card", has_text=words["second"])
    expect(second.locator("#id_reason_error")).to_contain_text(words["reason_missing"])
    moderator.step("a hide without a reason is refused")
    second.get_by_label(words["reason_label"]).fill(words["reason"])
    moderator.submit(second.get_by_role("button", name=re.compile("^" + words["hide"] + r"\b(?! with)")))
    expect(moderator.page.locator("main")).not_to_contain_text(words["second"])
    mail = mailbox.wait_for(ASKER, subject=words["mail_subject"])
    assert words["reason"] in mail.text() and mail.language == language
    moderator.submit(button(moderator, words["approve"]))
    approved = mailbox.wait_for(VIEWER, subject=words["approved_subject"], link="/live/fragen/")
    assert words["question"] in approved.text() and approved.language == language
    moderator.submit(button(moderator, words["show"]))
    moderator.submit(button(moderator, words["open"]))
    moderator.step("question on the wall, poll open")

    viewer.open(live)
    expect(viewer.page.locator("[data-live-question-text]")).to_have_text(words["question"])
    expect(viewer.page.locator("[data-live-question-name]")).to_have_text(words["name"])
    viewer.step("the viewer sees the question on the live page")

    expect(wall.page.locator("[data-live-question-text]")).to_have_text(words["question"], timeout=WALL_FOLLOWS_MS)
    expect(wall.page.locator("[data-live-poll-question]")).to_have_text(words["poll"], timeout=WALL_FOLLOWS_MS)
    wall.step("the wall shows the question and the poll")

    # The viewer answers the poll and sees the results, then votes for the question.
    first_option = words["options"].splitlines()[0]
    viewer.page.get_by_label(first_option).check()
    viewer.submit(words["send_answer"])
    expect(viewer.page.locator("#poll")).to_contain_text(words["results"])
    expect(viewer.page.locator("#poll [data-live-ballots]")).to_have_text("1")
    viewer.step("the poll answered, its results")
    viewer.open(approved.link("/live/fragen/"))
    expect(viewer.page.locator("main")).to_contain_text(words["question"])
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
    answered = mailbox.wait_for(VIEWER, subject=words["answered_subject"])
    assert words["answer"] in answered.text() and answered.language == language
    assert [mail.subject for mail in mailbox.sent_to(VIEWER)] == [approved.subject, answered.subject]
    moderator.page.get_by_role("link", name=words["protocol"], exact=True).click()
    moderator.page.wait_for_load_state()
    expect(moderator.page.locator("main")).to_contain_text(words["answer"])
    moderator.step("the protocol")

    expect(wall.page.locator("[data-live-question]")).to_be_hidden(timeout=WALL_FOLLOWS_MS)
    expect(wall.page.locator("[data-live-poll]")).to_be_hidden(timeout=WALL_FOLLOWS_MS)
    wall.step("the wall after the answer")
