"""axe-core in Chromium over every public, moderator and organiser page, in German and English:
no serious or critical violation (WCAG 2.1 A/AA rules, as BITV 2.0 asks)."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from events.models import EventMember, Role
from ideas import services as ideas
from ideas.access import moderator_link_token, plenum_vote_token
from live import services as live
from processes.results import ItemAccount, ResultData, SectionData, account_for_item, add_section, save_result
from processes.services import PhaseData, ProcessData, add_phase, create_process
from registrations.address_change import change_email
from registrations.links import consent_url, email_change_url, manage_path, manage_token, reconfirm_url
from registrations.staff.editor.views import SECTIONS
from registrations.team import services as team
from reports.feedback.services import DEFAULT_QUESTIONS, token_digest
from reports.models import Answer, Invitation, Question, Response, Survey
from tests.factories import EventFactory
from tests.security.door_world import build_door_world
from tests.security.world import build_world

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => {
  const rules = {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}};
  const result = await axe.run(document, rules);
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


@pytest.fixture
def world(transactional_db):
    w = with_open_voting(build_world())
    with_survey(w)
    with_live(w)
    w.invited = team.invite(w.event, "neu@stadt.example", "moderator", actor=w.organiser, now=w.now)
    w.draft = EventFactory(format="onsite", actor=w.organiser)(status="draft", slug="entwurf")
    w.process = with_process(w)
    w.email_change = change_email(w.registration, "neu.geheim@example.org", actor=w.organiser, now=w.now)
    return w


def with_process(w):
    """A published process with a current phase, the event and the working group."""
    today = w.now.date()
    process = create_process(
        ProcessData(slug="dialog", title_de="Dialogprozess", title_en="Dialogue process", published=True),
        actor=w.organiser,
        now=w.now,
    )
    add_phase(process, PhaseData("Auftakt", today, today, title_en="Kick-off"), actor=w.organiser, now=w.now)
    process.events.add(w.event)
    process.working_groups.add(w.working_group)
    w.working_group.leads.add(w.organiser)  # the members page is for its leads
    result = save_result(
        process, ResultData("Konzept", title_en="Concept", published=True), actor=w.organiser, now=w.now
    )
    section = add_section(result, SectionData("Teil 1", heading_en="Part 1"), actor=w.organiser, now=w.now)
    account_for_item(section, ItemAccount(w.item, "adopted", progress=40), actor=w.organiser, now=w.now)
    return process


def with_live(w) -> None:
    """A question on the wall, one open and one waiting, and a running poll answered once, so
    that the live pages show every part."""
    asker = live.participant_for_device(w.event, "fragende", now=w.now)
    shown, waiting_votes, _pending = (
        live.ask_question(w.event, ideas.LiveDraft(text, name="Erika", show_name=True), participant=asker, now=w.now)
        for text in ("Wann kommt der Radweg?", "Was kostet das?", "Noch nicht freigegeben?")
    )
    for question in (shown, waiting_votes):
        live.approve_question(question, actor=w.organiser, now=w.now)
    live.show_question(shown, actor=w.organiser, now=w.now)
    poll = live.create_poll(w.event, "Wie zufrieden sind Sie?", "scale", [], actor=w.organiser, now=w.now)
    poll = live.open_poll(poll, actor=w.organiser, now=w.now)
    live.answer_poll(poll, [str(poll.options.first().pk)], participant=asker, now=w.now)


def with_open_voting(w):
    """The idea on the plenum wall, the dot voting open and one dot given, so that the wall, the
    ballot and the organisers' board show every part of the voting."""
    ideas.edit_idea(w.idea, ideas.IdeaChanges(for_plenum=True), actor=w.organiser, now=w.now)
    ideas.configure_voting(w.event, 3, actor=w.organiser, now=w.now)
    ideas.set_voting_open(w.event, True, actor=w.organiser, now=w.now)
    ideas.give_dot(ideas.voter_for_registration(w.registration, now=w.now), w.idea.pk, now=w.now)
    return w


SURVEY_TOKEN = "sweep-survey-token-" + "s" * 24


def with_survey(w) -> None:
    """A survey sent to the world's registrant, answered once: the survey page shows results."""
    survey = Survey.objects.create(event=w.event, created_at=w.now)
    for position, (kind, german, english, choices_de, choices_en) in enumerate(DEFAULT_QUESTIONS, start=1):
        Question.objects.create(
            survey=survey,
            position=position,
            kind=kind,
            text_de=german,
            text_en=english,
            choices_de=choices_de,
            choices_en=choices_en,
        )
    Invitation.objects.create(
        survey=survey, registration=w.registration, token_digest=token_digest(SURVEY_TOKEN), sent_at=w.now
    )
    response = Response.objects.create(survey=survey, submitted_on=w.now.date())
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=question,
            rating=4 if question.kind == "rating" else None,
            choice="online" if question.kind == "choice" else "",
            text="Gut." if question.kind == "text" else "",
        )
        for question in survey.questions.all()
    )


def public_pages(w) -> list[str]:
    slug = w.event.slug
    return [
        reverse("events:upcoming"),
        reverse("events:past"),
        reverse("events:detail", args=[slug]),
        manage_path(w.registration),
        consent_url(w.registration).split("://", 1)[1].split("/", 1)[1].join(["/", ""]),
        reverse("registrations:change", args=[manage_token(w.registration)]),
        reverse("registrations:switch", args=[manage_token(w.registration)]),
        reverse("ideas:event_ideas", args=[slug]),
        reverse("ideas:idea", args=[slug, w.idea.pk]),
        reverse("ideas:plenum", args=[slug]),
        reverse("ideas:plenum_presentation", args=[slug]),
        reverse("ideas:working_groups"),
        reverse("ideas:working_group", args=[w.working_group.slug]),
        reverse("ideas:table", args=[w.group.poster_key]),
        reverse("ideas:live", args=[w.event.live_code]),
        reverse("ideas:moderated:page", kwargs={"token": moderator_link_token(w.moderator)}),
        reverse("ideas:moderator_queue:queue", kwargs={"token": moderator_link_token(w.moderator)}),
        reverse("ideas:vote", args=[slug]),
        reverse("ideas:personal_vote", args=[plenum_vote_token(w.registration)]),
        reverse("live:page", args=[slug]),
        reverse("live:questions", args=[slug]),
        reverse("live:panel", args=[slug]),
        reverse("events:easy_language"),
        reverse("events:sign_language"),
        reverse("events:detail", args=[slug]) + "?einfach=1",
        reverse("staff:accept_invitation", args=[w.invited.token]),
        reverse("staff:login"),
        reverse("reports:answer", args=[SURVEY_TOKEN]),
        reverse("registrations:details", args=[manage_token(w.registration)]),
        reverse("processes:list"),
        reverse("processes:detail", args=[w.process.slug]),
        reverse("processes:embed", args=[w.process.slug]),
        reverse("processes:follow", args=[w.process.slug]),
        reverse("processes:join", args=[w.working_group.slug]),
        reverse("processes:result", args=[w.process.slug]),
        path_of(email_change_url(w.email_change)),
        reverse("registrations:lost_links"),
        reverse("registrations:email_change", args=[manage_token(w.registration)]),
        reverse("registrations:lost_links_sent"),
    ]


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def organiser_pages(w) -> list[str]:
    slug = w.event.slug
    return [
        reverse("staff:dashboard"),
        reverse("staff:event", args=[slug]),
        reverse("staff:registrations", args=[slug]),
        reverse("staff:registration", args=[slug, w.registration.pk]),
        reverse("staff:phone", args=[slug]),
        reverse("staff:edit_registration", args=[slug, w.registration.pk]),
        reverse("staff:consent_terms", args=[slug]),
        reverse("intake:inbox"),
        reverse("intake:mail", args=[w.intake_mail.pk]),
        reverse("outbox:list", args=[slug]),
        reverse("outbox:write", args=[slug]),
        reverse("ideas:event_queue:queue", args=[slug]),
        reverse("outbox:message", args=[slug, w.bulk.pk]),
        reverse("outbox:call_list", args=[slug]),
        reverse("outbox:access_data", args=[slug]),
        reverse("outbox:move_event", args=[slug]),
        reverse("checkin:page", args=[slug]),
        reverse("checkin:guests", args=[slug]),
        reverse("ideas:organise", args=[slug]),
        reverse("live:desk", args=[slug]),
        reverse("live:protocol", args=[slug]),
        reverse("ideas:members", args=[slug]),
        reverse("ideas:poster", args=[slug, w.group.pk]),
        reverse("ideas:organised:page", args=[w.group.pk]),
        reverse("ideas:organised:edit", args=[w.group.pk, w.idea.pk]),
        reverse("ideas:backlog", args=[w.working_group.slug]),
        reverse("ideas:backlog_board", args=[w.working_group.slug]),
        reverse("staff:team", args=[slug]),
        reverse("ideas:backlog", args=[w.working_group.slug]),
        reverse("reports:event", args=[slug]),
        reverse("reports:survey", args=[slug]),
        reverse("reports:period"),
        reverse("staff:questions", args=[slug]),
        reverse("staff:question", args=[slug, w.question.pk]),
        reverse("staff:new_event"),
        reverse("staff:edit", args=[slug]),
        *[reverse("staff:edit_section", args=[slug, part.slug]) for part in SECTIONS if part.form is not None],
        reverse("staff:copy", args=[slug]),
        reverse("staff:series", args=[slug]),
        reverse("events:detail", args=[w.draft.slug]),  # the preview of a draft, for its team
        reverse("processes:staff_list"),
        reverse("processes:new"),
        reverse("processes:edit", args=[w.process.slug]),
        reverse("processes:result_editor", args=[w.process.slug]),
        reverse("processes:members", args=[w.working_group.slug]),
    ]


def test_no_serious_or_critical_violation_on_any_page_in_either_language(browser, live_server, world):
    viewer = get_user_model().objects.create_user("zahlen", is_staff=True)
    EventMember.objects.create(event=world.event, user=viewer, role=Role.VIEWER)
    context = browser.new_context(bypass_csp=True, permissions=["camera"])
    page = context.new_page()
    found = {}
    door = build_door_world(world.organiser)
    timed_public = [path_of(reconfirm_url(door.asked)), path_of(reconfirm_url(door.offered))]
    timed_organiser = [
        reverse("staff:event", args=[door.reconfirming.slug]),
        reverse("checkin:page", args=[door.door.slug]),
        reverse("checkin:guests", args=[door.door.slug]),
    ]
    # The last pass is the page that tells a team member their role does not allow a page (403).
    forbidden = [reverse("staff:registrations", args=[world.event.slug])]
    passes = (
        (None, public_pages(world) + timed_public, 200),
        (world.organiser, organiser_pages(world) + timed_organiser, 200),
        (viewer, forbidden, 403),
    )
    for user, paths, status in passes:
        context.clear_cookies()
        if user is not None:
            session = Client()
            session.force_login(user)
            cookie = session.cookies["sessionid"].value
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
        for path in paths:
            for prefix in ("", "/en"):
                response = page.goto(f"{live_server.url}{prefix}{path}")
                assert response.status == status, f"{prefix}{path}: {response.status}"
                page.add_script_tag(path=str(AXE))
                violations = page.evaluate(RUN_AXE)
                if violations:
                    found[f"{prefix}{path}"] = violations
    context.close()
    assert not found, found


def test_control_the_sweep_finds_a_violation_when_there_is_one(browser, live_server, world):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('events:upcoming')}")
    page.evaluate("() => { document.documentElement.removeAttribute('lang'); }")
    page.add_script_tag(path=str(AXE))
    assert "html-has-lang" in [violation["id"] for violation in page.evaluate(RUN_AXE)]
    context.close()
