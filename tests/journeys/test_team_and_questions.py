"""An organiser sets an event up with others: invites a colleague to the team (a bad address
refused at its field first), withdraws a second invitation, the colleague accepts through the
mail's link with a new account (a too short password refused first), gets another role, a former
member is removed, and the organiser logs out. Then the registration questions: one added (a
single choice with one choice refused first), edited, moved up and removed. In German and in
English."""

import pytest
from playwright.sync_api import expect

from events.models import EventMember, Question, Role
from registrations.models import TeamInvitation
from tests.factories import EventFactory, agreement
from tests.journeys.staff import log_in, messages, staff_user

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {
        "bad_address": "Bitte gültige E-Mail-Adresse eingeben.",
        "withdrawn": "wurde zurückgezogen",
        "welcome": "Willkommen im Team",
        "removed": "Die Person wurde aus dem Team entfernt.",
        "two_choices": "mindestens zwei",
    },
    "en": {
        "bad_address": "Enter a valid email address.",
        "withdrawn": "was withdrawn",
        "welcome": "Welcome to the team",
        "removed": "The person was removed from the team.",
        "two_choices": "at least two",
    },
}


def submit_form(journey, action: str, *, status: int = 200, within: str = "main") -> None:
    journey.submit(journey.page.locator(f"{within} form[action$='{action}'] button[type=submit]").first, status=status)


@pytest.mark.parametrize("language", ["de", "en"])
def test_an_organiser_builds_the_team_of_an_event(browse, mailbox, language):
    text = TEXTS[language]
    organiser = staff_user("teamleitung")
    former = staff_user("ehemalig")
    event = EventFactory(format="online", terms=agreement())(
        title_en="Citizen dialogue", slug="dialog", team=[organiser, former]
    )
    team_path = f"/organisation/veranstaltungen/{event.slug}/team/"

    anna = browse(language)
    log_in(anna, organiser, next_path=team_path)
    anna.step("team page")
    invite = anna.page.locator(f"main form[action$='{team_path}']")
    invite.locator("input[name=email]").fill("kollegin@stadt")
    invite.locator("select[name=role]").select_option(Role.CHECK_IN.value)
    submit_form(anna, team_path, status=422)
    expect(anna.page.locator("#id_email_error")).to_contain_text(text["bad_address"])
    expect(anna.page.locator("input[name=email]")).to_have_value("kollegin@stadt")
    anna.step("a bad address is refused at the field")
    anna.page.locator("input[name=email]").fill("kollegin@stadt.example")
    submit_form(anna, team_path)
    assert "kollegin@stadt.example" in messages(anna)
    anna.page.locator("input[name=email]").fill("irrtum@stadt.example")
    submit_form(anna, team_path)
    mistaken = TeamInvitation.objects.get(email="irrtum@stadt.example")
    submit_form(anna, f"/einladungen/{mistaken.pk}/zurueckziehen/")
    assert text["withdrawn"] in messages(anna)
    anna.step("one invitation on its way, one withdrawn")

    colleague = browse(language, who="colleague")
    colleague.open(mailbox.wait_for("kollegin@stadt.example").link("/einladung/"))
    colleague.step("the invitation")
    colleague.page.locator("input[name=username]").fill("kollegin")
    colleague.page.locator("input[name=password]").fill("kurz")
    colleague.submit(colleague.page.locator("main form button[type=submit]"), status=422)
    expect(colleague.page.locator("input[name=username]")).to_have_value("kollegin")
    expect(colleague.page.locator("main .kern-error")).not_to_have_count(0)
    colleague.step("a too short password is refused")
    colleague.page.locator("input[name=password]").fill("Ein-langes-Passwort-2026")
    colleague.submit(colleague.page.locator("main form button[type=submit]"))
    assert text["welcome"] in messages(colleague)
    colleague.step("welcome on the dashboard")
    member = EventMember.objects.get(event=event, user__username="kollegin")

    anna.open(team_path)
    role_form = anna.page.locator(f"main form[action$='/team/{member.user_id}/rolle/']")
    role_form.locator("select[name=role]").select_option(Role.MODERATOR.value)
    submit_form(anna, f"/team/{member.user_id}/rolle/")
    member.refresh_from_db()
    assert member.role == Role.MODERATOR
    anna.step("the colleague is a moderator now")

    submit_form(anna, f"/team/{former.pk}/entfernen/")
    assert text["removed"] in messages(anna)
    assert not EventMember.objects.filter(event=event, user=former).exists()
    anna.step("a former member removed")

    submit_form(anna, "/organisation/abmelden/", within="")
    anna.step("logged out")
    anna.open(f"/organisation/anmelden/?next={anna.path(team_path)}")


@pytest.mark.parametrize("language", ["de", "en"])
def test_an_organiser_edits_the_registration_questions(browse, language):
    text = TEXTS[language]
    organiser = staff_user("fragen")
    event = EventFactory(format="online", terms=agreement())(
        title_en="Citizen dialogue", slug="dialog", team=[organiser]
    )
    questions_path = f"/organisation/veranstaltungen/{event.slug}/fragen/"

    anna = browse(language)
    log_in(anna, organiser, next_path=questions_path)
    anna.step("no questions yet")
    add = anna.page.locator(f"main form[action$='{questions_path}']")
    add.locator("input[name=label_de]").fill("Wie sind Sie auf uns aufmerksam geworden?")
    add.locator("input[name=kind][value=text]").check()
    submit_form(anna, questions_path)
    add.locator("input[name=label_de]").fill("Welcher Stadtteil?")
    add.locator("input[name=label_en]").fill("Which district?")
    add.locator("input[name=kind][value=choice]").check()
    add.locator("textarea[name=choices_de]").fill("Habinghorst")
    submit_form(anna, questions_path, status=422)
    expect(anna.page.locator("main")).to_contain_text(text["two_choices"])
    expect(anna.page.locator("input[name=label_de]")).to_have_value("Welcher Stadtteil?")
    anna.step("a choice with one choice is refused, the entry kept")
    anna.page.locator("textarea[name=choices_de]").fill("Habinghorst\nIckern\nAltstadt")
    submit_form(anna, questions_path)
    anna.step("two questions")
    first, second = Question.objects.filter(event=event).order_by("position")

    anna.page.locator(f"main a[href$='/fragen/{first.pk}/']").first.click()
    anna.page.wait_for_load_state()
    anna.page.locator("input[name=label_de]").fill("Woher kennen Sie uns?")
    anna.page.locator("input[name=required]").check()
    submit_form(anna, f"/fragen/{first.pk}/")
    anna.step("a question edited")
    first.refresh_from_db()
    assert (first.label_de, first.required) == ("Woher kennen Sie uns?", True)

    submit_form(anna, f"/fragen/{second.pk}/verschieben/")
    assert list(Question.objects.filter(event=event).order_by("position")) == [second, first]
    anna.step("the district question moved up")
    submit_form(anna, f"/fragen/{first.pk}/entfernen/")
    assert list(Question.objects.filter(event=event)) == [second]
    anna.step("a question removed")
