"""A citizen joins a thematic working group from its page (a first try without a name is refused
at the field, the entries kept), confirms from the mail, is seen by the group's lead, and leaves
with the link in the mail; another follows the process by e-mail. In German and in English."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from processes.services import ProcessData, create_process
from tests.journeys.staff import log_in, staff_user
from tests.processes.conftest import add_working_group

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {
        "join": "Mitmachen oder Neuigkeiten erhalten",
        "send": "Anfrage senden",
        "name_needed": "Bitte nennen Sie Ihren Namen",
        "consent": "Ich bin einverstanden",
        "check_mail": "Wir haben einen Link an",
        "confirm": "Ja, bestätigen",
        "member": "Sie sind Mitglied der Arbeitsgruppe",
        "leave": "Ja, abmelden",
        "left": "Sie sind abgemeldet",
        "follow": "Per E-Mail folgen",
    },
    "en": {
        "join": "Join or follow the group",
        "send": "Send my request",
        "name_needed": "Please tell us your name",
        "consent": "I agree that the city keeps my address",
        "check_mail": "We have sent a link to",
        "confirm": "Yes, confirm",
        "member": "You are a member of the working group",
        "leave": "Yes, leave",
        "left": "You have left",
        "follow": "Follow by e-mail",
    },
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_citizen_joins_a_working_group_confirms_is_seen_by_the_lead_and_leaves(browse, mailbox, language):
    text = TEXTS[language]
    lead = staff_user("ag-leitung")
    group = add_working_group("digitale-schule")
    group.leads.add(lead)
    process = create_process(
        ProcessData(slug="cas-digital", title_de="CAS.digital", published=True), actor=lead, now=timezone.now()
    )
    process.working_groups.add(group)
    address = f"mitmachen-{language}@example.org"

    citizen = browse(language)
    citizen.open("/arbeitsgruppen/digitale-schule/")
    citizen.step("the working group invites to take part")
    citizen.page.get_by_role("link", name=text["join"]).click()
    citizen.page.wait_for_load_state()
    citizen.page.locator("input[name=kind][value=member]").check()
    citizen.page.locator("input[name=email]").fill(address)
    citizen.page.locator("input[name=consent]").check()
    citizen.submit(text["send"], status=422)
    expect(citizen.page.locator("#id_name_error")).to_contain_text(text["name_needed"])
    expect(citizen.page.locator("input[name=email]")).to_have_value(address)
    citizen.step("without a name: refused at the field, the address kept")
    citizen.page.locator("input[name=name]").fill("Mira Mitmach")
    citizen.page.locator("input[name=consent]").check()
    citizen.submit(text["send"])
    expect(citizen.page.get_by_text(text["check_mail"])).to_be_visible()
    citizen.step("please confirm from the mail")

    mail = mailbox.wait_for(address, link="/mitmachen/bestaetigen/")
    citizen.open(mail.link("/mitmachen/bestaetigen/"))
    citizen.submit(text["confirm"])
    expect(citizen.page.get_by_text(text["member"])).to_be_visible()
    citizen.step("membership confirmed")

    leader = browse(language, who="lead")
    log_in(leader, lead, next_path="/organisation/arbeitsgruppen/digitale-schule/mitglieder/")
    expect(leader.page.get_by_role("cell", name="Mira Mitmach")).to_be_visible()
    leader.step("the lead sees the new member")

    citizen.open(mail.link("/mitmachen/abmelden/"))
    citizen.submit(text["leave"])
    expect(citizen.page.get_by_role("heading", name=text["left"])).to_be_visible()
    citizen.step("left with the link from the mail")

    follower = browse(language, who="follower")
    follower.open("/prozesse/cas-digital/")
    follower.page.get_by_role("link", name=text["follow"]).click()
    follower.page.wait_for_load_state()
    follower.page.locator("input[name=email]").fill(f"folgen-{language}@example.org")
    follower.page.locator("input[name=consent]").check()
    follower.submit(text["follow"])
    expect(follower.page.get_by_text(text["check_mail"])).to_be_visible()
    follower.step("following the process: please confirm from the mail")
    assert mailbox.wait_for(f"folgen-{language}@example.org", link="/mitmachen/bestaetigen/")
