"""An organiser prepares and runs the ideas side of an event: creates a breakout group (a group
without a name refused at the field first), gives it moderators, renews one link and revokes
another, renews the table's poster, spreads the participants over the groups and moves one,
sets up the dot voting (a negative number refused first) and opens it, merges two ideas, creates
a working group (without a title refused first), hands a plenum idea over to it, and the idea
becomes a backlog item that is updated, moved and gets a second lead. Citizens choose their
group and stop the e-mails about their idea. In German and in English."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ideas import services
from ideas.access import preference_link_token, stop_updates_token
from ideas.models import BacklogItem, BreakoutGroup, GroupMembership, Idea, Moderator, WorkingGroup
from tests.factories import confirmed_registration, running_event
from tests.ideas.ideas_factories import add_idea
from tests.journeys.citizen import errors
from tests.journeys.staff import log_in, messages, staff_user

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {"required": "Dieses Feld ist zwingend erforderlich.", "thanks": "Vielen Dank", "done": "Erledigt"},
    "en": {"required": "This field is required.", "thanks": "Thank you", "done": "Done"},
}


def press(journey, action: str, *, status: int = 200, within: str = "main") -> None:
    """Press the submit button of the form that posts to an address ending in `action`."""
    journey.submit(journey.page.locator(f"{within} form[action$='{action}'] button[type=submit]").first, status=status)


@pytest.mark.parametrize("language", ["de", "en"])
def test_an_organiser_sets_up_groups_voting_and_hands_ideas_to_a_working_group(browse, language):
    text = TEXTS[language]
    now = timezone.now()
    organiser = staff_user("ideenorga")
    colleague = staff_user("kollege")
    event = running_event(team=[organiser, colleague])
    south, access = services.create_group(
        event, services.GroupData("Raum Süd", "Grünflächen"), moderator_name="Sara", actor=organiser, now=now
    )
    benches = add_idea(south, "Sitzbänke im Park", actor=access.moderator, for_plenum=True)
    more_benches = add_idea(south, "Mehr Bänke im Park", actor=access.moderator)
    fountain = add_idea(south, "Trinkbrunnen am Markt", actor=access.moderator, for_plenum=True)
    people = [confirmed_registration(event, f"Person {number}") for number in (1, 2, 3)]
    board = f"/veranstaltungen/{event.slug}/ideen/organisation/"

    anna = browse(language)
    log_in(anna, organiser, next_path=board)
    anna.step("the ideas board")

    group_form = anna.page.locator("main form[action$='/ideen/organisation/gruppen/']")
    group_form.locator("input[name=topic]").fill("Verkehr")
    press(anna, "/ideen/organisation/gruppen/", status=422)
    assert text["required"] in errors(anna)
    expect(group_form.locator("input[name=topic]")).to_have_value("Verkehr")
    anna.step("a group without a name is refused, the topic kept")
    group_form.locator("input[name=name]").fill("Tisch Nord")
    group_form.locator("select[name=kind]").select_option("table")
    group_form.locator("input[name=moderator_name]").fill("Moni")
    press(anna, "/ideen/organisation/gruppen/")
    north = BreakoutGroup.objects.get(event=event, name="Tisch Nord")

    anna.page.locator(f"#group-{north.pk} input[name=name]").fill("Max")
    press(anna, f"/gruppen/{north.pk}/moderatoren/")
    moni, max_ = (Moderator.objects.get(group=north, name=name) for name in ("Moni", "Max"))
    press(anna, f"/moderatoren/{moni.pk}/erneuern/")
    press(anna, f"/moderatoren/{max_.pk}/widerrufen/")
    assert Moderator.objects.get(pk=max_.pk).revoked_at is not None
    anna.step("moderators: one link renewed, one revoked")

    anna.page.locator(f"#group-{north.pk} a[href$='/gruppen/{north.pk}/aushang/']").click()
    anna.page.wait_for_load_state()
    anna.step("the table's poster")
    old_key = north.poster_key
    press(anna, f"/gruppen/{north.pk}/aushang/erneuern/")
    north.refresh_from_db()
    assert north.poster_key != old_key

    anna.open(board)
    anna.submit(anna.page.locator("main form[action$='/verteilen/'] button[type=submit]").first)
    assert GroupMembership.objects.filter(registration__in=people).count() == 3
    anna.step("everyone has a group")

    anna.open(f"{board}teilnehmende/")
    anna.step("participants and their groups")
    anna.page.locator(f"select[name=group-{people[0].pk}]").select_option(str(north.pk))
    anna.submit(anna.page.locator("main form button[type=submit]").last)
    assert GroupMembership.objects.get(registration=people[0]).group_id == north.pk

    anna.open(board)
    voting = anna.page.locator("main form[action$='/abstimmung/']")
    voting.locator("input[name=dots_per_voter]").fill("-1")
    press(anna, "/abstimmung/", status=422)
    anna.step("a negative number of dots is refused")
    anna.page.locator("main form[action$='/abstimmung/'] input[name=dots_per_voter]").fill("3")
    press(anna, "/abstimmung/")
    press(anna, "/abstimmung/status/")
    expect(anna.page.locator("[data-voting-state]")).to_have_attribute("data-voting-state", "open")
    anna.step("voting is open")

    anna.page.locator("#merge-duplicate").select_option(str(more_benches.pk))
    anna.page.locator("#merge-survivor").select_option(str(benches.pk))
    press(anna, "/ideen/organisation/zusammenfuehren/")
    assert Idea.objects.get(pk=more_benches.pk).merged_into_id == benches.pk
    anna.step("two ideas merged")

    # The plenum's idea goes to a new working group, whose backlog takes it up.
    anna.open("/arbeitsgruppen/")
    anna.step("working groups")
    anna.page.locator("main form textarea[name=description]").fill("Parks und Plätze")
    anna.submit(anna.page.locator("main form[method=post] button[type=submit]").last, status=422)
    assert text["required"] in errors(anna)
    anna.page.locator("main form input[name=title]").fill("Grün in der Stadt")
    anna.submit(anna.page.locator("main form[method=post] button[type=submit]").last)
    anna.step("the new working group's backlog")
    working_group = WorkingGroup.objects.get(title="Grün in der Stadt")

    anna.open(board)
    anna.page.locator(f"#sort-{benches.pk}").select_option(working_group.slug)
    press(anna, f"/ideen/{benches.pk}/einordnen/")
    assert Idea.objects.get(pk=benches.pk).working_group_id == working_group.pk
    anna.step("the idea handed over")

    services.sort_into_working_group(fountain, working_group, actor=organiser, now=now)  # by a colleague
    backlog = f"/arbeitsgruppen/{working_group.slug}/backlog/"
    anna.open(backlog)
    add = anna.page.locator("main form[action$='/backlog/neu/']")
    add.locator("input[name=title]").fill("Zehn neue Bänke im Stadtgarten")
    add.locator(f"input[name=ideas][value='{benches.pk}']").check()
    press(anna, "/backlog/neu/")
    add.locator("input[name=title]").fill("Trinkbrunnen")
    add.locator(f"input[name=ideas][value='{fountain.pk}']").check()
    press(anna, "/backlog/neu/")
    first = BacklogItem.objects.get(title="Zehn neue Bänke im Stadtgarten")
    second = BacklogItem.objects.get(title="Trinkbrunnen")
    anna.step("two backlog items")

    item = anna.page.locator(f"main form[action$='/backlog/{first.pk}/'].kern-stack")
    item.locator("select[name$=status]").select_option("in_progress")
    item.locator("textarea[name$=public_note]").fill("Die Bänke sind bestellt.")
    anna.submit(item.locator("button[type=submit]"))
    first.refresh_from_db()
    assert (first.status, first.public_note) == ("in_progress", "Die Bänke sind bestellt.")
    anna.page.locator(f"main form[action$='/backlog/{second.pk}/']:has(input[name=move][value=up]) button").click()
    anna.page.wait_for_load_state()
    second.refresh_from_db(), first.refresh_from_db()
    assert second.position < first.position
    anna.step("an item updated and another moved up")

    leads = anna.page.locator("main form[action$='/leitung/']")
    leads.locator(f"input[name=leads][value='{colleague.pk}']").check()
    press(anna, "/leitung/")
    assert working_group.leads.filter(pk=colleague.pk).exists()
    anna.step("a second lead")


@pytest.mark.parametrize("language", ["de", "en"])
def test_citizens_choose_their_group_and_stop_the_mails_about_their_idea(browse, language):
    text = TEXTS[language]
    now = timezone.now()
    organiser = staff_user("ideenorga")
    event = running_event(starts_in=timedelta(days=2), team=[organiser])
    for name in ("Raum Nord", "Raum Süd"):
        services.create_group(event, services.GroupData(name), moderator_name="", actor=organiser, now=now)
    south = BreakoutGroup.objects.get(event=event, name="Raum Süd")
    registration = confirmed_registration(event, "Erika Muster")

    citizen = browse(language)
    citizen.open(f"/wunschgruppe/{preference_link_token(registration)}/")
    citizen.step("choose a group")
    citizen.page.locator(f"input[name=group][value='{south.pk}']").check()
    citizen.submit(citizen.page.locator("main form button[type=submit]"))
    assert text["thanks"] in messages(citizen)
    citizen.step("the group chosen")
    assert registration.breakout_preference.group_id == south.pk

    idea, _created = services.add_idea_at_table(
        south,
        services.IdeaDraft(title="Ein Spielplatz", email="erika@example.org", updates_consent=True, language=language),
        client_id=None,
        now=now,
    )
    citizen.open(f"/ideen/keine-updates/{stop_updates_token(idea)}/")
    citizen.step("stop the e-mails about the idea")
    citizen.submit(citizen.page.locator("main form button[type=submit]"))
    assert text["done"] in messages(citizen)
    citizen.step("no more e-mails")
    assert Idea.objects.get(pk=idea.pk).submitter_email == ""
