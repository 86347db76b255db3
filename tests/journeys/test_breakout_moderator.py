"""A moderator runs a breakout group with the personal link: captures ideas (one without its
words refused at the field first, the text kept), takes one to the plenum and keeps another in
the group, edits one, merges a duplicate into it; then works the queue of contributions from the
table: approves one, rewords one, merges one into a public idea, hides one and reports one. The organiser does
the same on the capture page of a group and in the event's queue, and chooses the procedure. In
German and in English."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ideas import services
from ideas.access import moderator_link_token
from ideas.models import Idea, Moderation, ModerationMode, ModerationPolicy
from tests.factories import running_event
from tests.journeys.citizen import errors
from tests.journeys.staff import log_in, staff_user

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {"required": "Dieses Feld ist zwingend erforderlich."},
    "en": {"required": "This field is required."},
}


def press(journey, action: str, *, status: int = 200) -> None:
    """Press the submit button of the form that posts to an address ending in `action`."""
    journey.submit(journey.page.locator(f"main form[action$='{action}'] button[type=submit]").first, status=status)


def table_ideas(group, *titles: str) -> list[Idea]:
    now = timezone.now()
    return [
        services.add_idea_at_table(group, services.IdeaDraft(title=title), client_id=None, now=now)[0]
        for title in titles
    ]


def capture(journey, title: str, *, text: str = "") -> None:
    journey.page.locator("main form.capture-form input[name=title]").fill(title)
    journey.page.locator("main form.capture-form textarea[name=text]").fill(text)
    journey.submit(journey.page.locator("main form.capture-form button[type=submit]").first)


def capture_edit_and_merge(journey, text: dict, group) -> None:
    """On a capture page (the moderator's link or the organiser's): capture, plenum, edit, merge."""
    page = journey.page
    page.locator("main form.capture-form textarea[name=text]").fill("Mit Dach gegen den Regen")
    journey.submit(page.locator("main form.capture-form button[type=submit]").first, status=422)
    expect(page.locator("main form.capture-form textarea[name=text]")).to_have_value("Mit Dach gegen den Regen")
    assert text["required"] in errors(journey)
    journey.step("an idea without its words is refused, the text kept")
    capture(journey, "Fahrradbügel am Bahnhof", text="Mit Dach gegen den Regen")
    capture(journey, "Mehr Radständer am Bahnhof")
    capture(journey, "Tempo 30 vor Schulen")
    journey.step("three ideas captured")
    bikes, racks, tempo = (
        Idea.objects.get(group=group, title=title)
        for title in ("Fahrradbügel am Bahnhof", "Mehr Radständer am Bahnhof", "Tempo 30 vor Schulen")
    )

    press(journey, f"/ideen/{tempo.pk}/plenum/")
    press(journey, f"/ideen/{bikes.pk}/plenum/")
    press(journey, f"/ideen/{bikes.pk}/plenum/")  # on second thought: kept in the group
    tempo.refresh_from_db(), bikes.refresh_from_db()
    assert (tempo.for_plenum, bikes.for_plenum) == (True, False)
    journey.step("one idea for the plenum")

    page.locator(f"#idea-{bikes.pk} a[href$='/ideen/{bikes.pk}/']").first.click()
    page.wait_for_load_state()
    journey.step("the idea to edit")
    page.locator("main form:not([action]) input[name=title]").fill("Überdachte Fahrradbügel am Bahnhof")
    journey.submit(page.locator("main form:not([action]) button[type=submit]"))
    page.locator(f"#idea-{bikes.pk} a[href$='/ideen/{bikes.pk}/']").first.click()
    page.wait_for_load_state()
    page.locator("main select[name=duplicate]").select_option(str(racks.pk))
    press(journey, f"/ideen/{bikes.pk}/zusammenfuehren/")
    journey.step("the duplicate merged")
    racks.refresh_from_db()
    assert racks.merged_into_id == bikes.pk
    assert Idea.objects.get(pk=bikes.pk).title == "Überdachte Fahrradbügel am Bahnhof"


def work_the_queue(journey, group, survivor: Idea) -> None:
    """In a moderation queue: approve one contribution, reword one, merge one, hide one, report one."""
    approve, reword, duplicate, hide, report = table_ideas(
        group, "Mehr Grün am Markt", "radweg kaputt!!", "Radständer Bahnhof", "Werbung für meinen Laden", "Beleidigung"
    )
    journey.page.reload()
    journey.step("five contributions from the table wait")
    page = journey.page

    press(journey, f"/ideen/{approve.pk}/freigeben/")

    card = page.locator(f"main form[action$='/ideen/{reword.pk}/umformulieren/']")
    card.locator("xpath=..").locator("summary").click()
    card.locator("input[name$=title]").fill("Den Radweg an der Hauptstraße reparieren")
    press(journey, f"/ideen/{reword.pk}/umformulieren/")

    merge = page.locator(f"main form[action$='/ideen/{duplicate.pk}/zusammenfuehren/']")
    merge.locator("xpath=..").locator("summary").click()
    merge.locator("select[name=survivor]").select_option(str(survivor.pk))
    press(journey, f"/ideen/{duplicate.pk}/zusammenfuehren/")

    hiding = page.locator(f"main form[action$='/ideen/{hide.pk}/verbergen/']")
    hiding.locator("xpath=..").locator("summary").click()
    hiding.locator("input[name=reason]").fill("Werbung")
    press(journey, f"/ideen/{hide.pk}/verbergen/")

    reporting = page.locator(f"main form[action$='/ideen/{report.pk}/melden/']")
    reporting.locator("xpath=..").locator("summary").click()
    reporting.locator("input[name=note]").fill("Beleidigt eine Person")
    press(journey, f"/ideen/{report.pk}/melden/")
    journey.step("the queue worked")

    states = {idea.pk: Idea.objects.get(pk=idea.pk) for idea in (approve, reword, duplicate, hide, report)}
    assert states[approve.pk].moderation == Moderation.APPROVED
    assert states[reword.pk].moderation == Moderation.APPROVED
    assert states[reword.pk].title == "Den Radweg an der Hauptstraße reparieren"
    assert states[duplicate.pk].merged_into_id == survivor.pk
    assert states[hide.pk].moderation == Moderation.HIDDEN
    assert states[report.pk].abuse_reported_at is not None


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_moderator_captures_ideas_and_works_the_queue_of_the_table(browse, language):
    text = TEXTS[language]
    organiser = staff_user("organisation")
    event = running_event(team=[organiser])
    group, access = services.create_group(
        event, services.GroupData("Tisch 1", "Mobilität"), moderator_name="Moni", actor=organiser, now=timezone.now()
    )
    token = moderator_link_token(access.moderator)

    moni = browse(language)
    moni.open(f"/moderation/{token}/")
    moni.step("the capture page of the group")
    capture_edit_and_merge(moni, text, group)

    moni.open(f"/moderation/{token}/freigabe/")
    survivor = Idea.objects.get(group=group, title="Überdachte Fahrradbügel am Bahnhof")
    work_the_queue(moni, group, survivor)


@pytest.mark.parametrize("language", ["de", "en"])
def test_an_organiser_captures_for_a_group_and_works_the_event_queue(browse, language):
    text = TEXTS[language]
    organiser = staff_user("organisation")
    event = running_event(team=[organiser])
    group, _access = services.create_group(
        event, services.GroupData("Tisch 2", "Schule"), moderator_name="", actor=organiser, now=timezone.now()
    )

    anna = browse(language)
    log_in(anna, organiser, next_path=f"/gruppen/{group.pk}/erfassen/")
    anna.step("the capture page of the group")
    capture_edit_and_merge(anna, text, group)

    queue = f"/veranstaltungen/{event.slug}/ideen/organisation/freigabe/"
    anna.open(queue)
    survivor = Idea.objects.get(group=group, title="Überdachte Fahrradbügel am Bahnhof")
    work_the_queue(anna, group, survivor)

    anna.page.locator("main form[action$='/freigabe-verfahren/'] select[name=mode]").select_option(
        ModerationMode.POST.value
    )
    press(anna, "/freigabe-verfahren/")
    anna.step("contributions appear at once from now on")
    assert ModerationPolicy.mode_of(event) == ModerationMode.POST
