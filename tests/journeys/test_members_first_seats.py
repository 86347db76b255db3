"""A working group's members get the first seats of its meeting: the team sets in the process's
editor from when members may register (a time after registration opens to all is refused at the
field, the entry kept) and invites them; a member reads the invitation, follows the personal link
before registration opens and registers; anyone else sees when members may register and when
registration opens to all. Then the team takes the head start back: another member's link now
says when registration opens to all, like anyone's, and the member who registered early keeps
the seat. In German and in English."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.addresses import normalize_email
from core.berlin import in_berlin
from processes.models import Subscription
from processes.services import ProcessData, create_process
from registrations.models import Registration
from tests.factories import EventFactory, agreement
from tests.journeys.citizen import register
from tests.journeys.staff import log_in, messages, staff_user
from tests.processes.conftest import add_working_group

pytestmark = pytest.mark.journey

TEXTS = {
    "de": {
        "too_late": "Die Vorab-Anmeldung muss beginnen, bevor die Anmeldung für alle öffnet",
        "invited": "2 Mitglieder eingeladen.",
        "subject": "Einladung",
        "mail_says": "Als Mitglied können Sie sich ab",
        "early_note": "Mit Ihrer Einladung können Sie sich schon jetzt anmelden",
        "seat": "Sie haben einen Platz vor Ort.",
        "opens": "Die Anmeldung öffnet am",
        "members_can": "Mitglieder der Arbeitsgruppe können sich ab",
        "remove": "Vorab-Anmeldung entfernen",
        "removed": "Die Vorab-Anmeldung der Mitglieder für „Treffen der AG Digitale Schule“ ist entfernt",
    },
    "en": {
        "too_late": "The head start must begin before registration opens to all",
        "invited": "2 members invited.",
        "subject": "Invitation",
        "mail_says": "As a member you can register from",
        "early_note": "With your invitation you can register now",
        "seat": "You have a seat on site.",
        "opens": "Registration opens on",
        "members_can": "Members of the working group can register from",
        "remove": "Remove head start",
        "removed": "The members' head start for “Meeting of the digital school group” is removed",
    },
}


def moment(value) -> str:
    return f"{in_berlin(value):%Y-%m-%dT%H:%M}"


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_member_registers_from_the_invitation_before_registration_opens_to_all(browse, mailbox, language):
    text = TEXTS[language]
    now = timezone.now()
    organiser = staff_user("ag-orga")
    process = create_process(
        ProcessData(slug="cas-digital", title_de="CAS.digital", title_en="CAS.digital", published=True),
        actor=organiser,
        now=now,
    )
    group = add_working_group("digitale-schule")
    process.working_groups.add(group)
    meeting = EventFactory(format="onsite", onsite=2, terms=agreement())(
        title_de="Treffen der AG Digitale Schule",
        title_en="Meeting of the digital school group",
        slug="ag-treffen",
        opens=now + timedelta(days=3),
        team=[organiser],
    )
    process.events.add(meeting)
    address = f"mia-{language}@example.org"
    other_address = f"max-{language}@example.org"
    # Members who joined and confirmed earlier (those mails are another journey's).
    for name, email in (("Mia Mitglied", address), ("Max Mitglied", other_address)):
        Subscription.objects.create(
            working_group=group,
            kind="member",
            name=name,
            email=email,
            email_normalized=normalize_email(email),
            language=language,
            consent_at=now,
            created_at=now,
            confirmed_at=now,
            news_until=now,
        )

    anna = browse(language, who="organiser")
    log_in(anna, organiser, next_path="/organisation/prozesse/cas-digital/")
    invite = "form[action$='/digitale-schule/einladen/']"
    anna.page.locator(f"{invite} select").select_option(str(meeting.pk))
    too_late = moment(meeting.registration_opens_at + timedelta(days=1))
    anna.page.locator(f"{invite} [name$=members_from]").fill(too_late)
    anna.submit(anna.page.locator(f"{invite} button"), status=422)
    expect(anna.page.locator(f"{invite} [id$=members_from_error]")).to_contain_text(text["too_late"])
    expect(anna.page.locator(f"{invite} [name$=members_from]")).to_have_value(too_late)
    anna.step("a head start after registration opens to all: refused at the field, the entry kept")
    anna.page.locator(f"{invite} [name$=members_from]").fill(moment(now - timedelta(hours=1)))
    anna.submit(anna.page.locator(f"{invite} button"))
    assert text["invited"] in messages(anna)
    anna.step("the members invited, with their head start")

    invitation = mailbox.wait_for(address, subject=text["subject"], link="?vorab=")
    assert text["mail_says"] in invitation.text()
    mia = browse(language, who="member")
    mia.open(invitation.link("?vorab="))
    expect(mia.page.get_by_text(text["early_note"])).to_be_visible()
    mia.step("the personal link opens the form before registration opens to all")
    register(mia, mailbox, name="Mia Mitglied", email=address)
    expect(mia.page.get_by_text(text["seat"])).to_be_visible()
    mia.step("registered early: a seat, confirmed by mail as anyone's")

    citizen = browse(language, who="citizen")
    citizen.open("/veranstaltungen/ag-treffen/")
    expect(citizen.page.get_by_text(text["opens"])).to_be_visible()
    expect(citizen.page.get_by_text(text["members_can"])).to_be_visible()
    expect(citizen.page.locator("input[name=name]")).to_have_count(0)
    citizen.step("anyone else: when members may register, and when registration opens to all")
    citizen.open("/arbeitsgruppen/digitale-schule/")
    expect(citizen.page.get_by_text(text["members_can"])).to_be_visible()
    citizen.step("the group's page tells its coming meeting's head start")

    anna.open("/organisation/prozesse/cas-digital/")
    anna.step("the meeting with its head start, and the button to remove it")
    anna.submit(anna.page.get_by_role("button", name=text["remove"]))
    assert text["removed"] in messages(anna)
    expect(anna.page.get_by_role("button", name=text["remove"])).to_have_count(0)
    anna.step("the head start removed")

    max_invitation = mailbox.wait_for(other_address, subject=text["subject"], link="?vorab=")
    max_ = browse(language, who="second member")
    max_.open(max_invitation.link("?vorab="))
    expect(max_.page.get_by_text(text["opens"])).to_be_visible()
    expect(max_.page.get_by_text(text["members_can"])).to_have_count(0)
    expect(max_.page.locator("input[name=name]")).to_have_count(0)
    max_.step("another member's link after the removal: registration opens on …, as for anyone")
    assert Registration.objects.get(email=address).status == "confirmed"  # Mia keeps her seat
