"""Every mail about an idea sends its sender to the idea's own page, where its way is told (the
group, the plenum, the working group, the item), in the sender's language: approved, sent to the
plenum from the live channel, handed to a working group, made an item, the item's status. A
merged idea's page names the idea it was merged into; a hidden idea has no page, and its mail
links none."""

import email
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from ideas import services
from ideas.models import Idea
from ideas.notifications import follow_url
from registrations.models import OutboxMail

SITE = "http://testserver"
IDEA_PAGE = re.compile(SITE + r"(/(?:en/)?veranstaltungen/[\w-]+/ideen/\d+/)(?=\s)")


def body_of(mail: OutboxMail) -> str:
    return email.message_from_bytes(bytes(mail.rendered)).get_payload(decode=True).decode()


def links_in(mail: OutboxMail) -> list[str]:
    return [link.removeprefix(SITE) for link in re.findall(r"https?://\S+", body_of(mail))]


def followed(mail: OutboxMail, idea: Idea) -> str:
    """The idea page the mail links, opened as its reader would: it is this idea's, in the mail's
    language, and shows the idea's words."""
    [path] = IDEA_PAGE.findall(body_of(mail))
    assert path == ("/en" if mail.language == "en" else "") + f"/veranstaltungen/{idea.event.slug}/ideen/{idea.pk}/"
    page = Client().get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<h1 class="kern-heading-large">{idea.title}</h1>' in html
    return html


def table_idea(group, language: str, *, title="Freies WLAN am Markt", address="anna@example.org") -> Idea:
    draft = services.IdeaDraft(
        title=title, text="Im ganzen Marktbereich", email=address, updates_consent=True, language=language
    )
    idea, _created = services.add_idea_at_table(group, draft, client_id=None, now=timezone.now())
    return idea


def latest_mail_to(address: str) -> OutboxMail:
    return OutboxMail.objects.filter(to=address).latest("pk")


@pytest.mark.parametrize("language", ["de", "en"])
def test_each_status_mail_of_a_table_idea_links_its_own_page(group, organiser, lead, working_group, language):
    now = timezone.now()
    idea = table_idea(group, language)

    services.approve_idea(idea, actor=organiser, now=now)
    html = followed(latest_mail_to("anna@example.org"), idea)
    assert "Im ganzen Marktbereich" in html

    services.sort_into_working_group(idea, working_group, actor=organiser, now=now)
    html = followed(latest_mail_to("anna@example.org"), idea)
    assert working_group.title in html

    item = services.create_backlog_item(working_group, "WLAN für den Markt", [idea.pk], actor=lead, now=now)
    assert "WLAN für den Markt" in followed(latest_mail_to("anna@example.org"), idea)

    services.update_backlog_item(
        item, services.ItemChanges(status="done", public_note="Seit Mai online."), actor=lead, now=now
    )
    html = followed(latest_mail_to("anna@example.org"), idea)
    assert "Seit Mai online." in html
    assert OutboxMail.objects.filter(to="anna@example.org").count() == 4
    assert all(mail.language == language for mail in OutboxMail.objects.all())


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_mails_of_a_live_idea_link_its_own_page(event, organiser, language):
    now = timezone.now()
    idea, _created = services.send_live_idea(
        event,
        services.LiveDraft(
            text="Trinkbrunnen am Markt", email="jo@example.org", updates_consent=True, via="zoom", language=language
        ),
        client_id=None,
        now=now,
    )

    services.approve_idea(idea, actor=organiser, now=now)
    assert "(Zoom)" in followed(latest_mail_to("jo@example.org"), idea)
    services.place_live_idea(idea, group=None, actor=organiser, now=now)
    mail = latest_mail_to("jo@example.org")
    assert mail.facts["stage"] == "plenum"
    followed(mail, idea)


def test_a_merged_ideas_mail_links_its_own_page_which_leads_to_the_idea_it_was_merged_into(
    group, organiser, working_group
):
    now = timezone.now()
    survivor = services.approve_idea(table_idea(group, "de"), actor=organiser, now=now)
    twin = table_idea(group, "en", title="WLAN everywhere", address="ben@example.org")
    services.merge_ideas(survivor, [twin], actor=organiser, now=now)

    services.sort_into_working_group(survivor, working_group, actor=organiser, now=now)

    mail = latest_mail_to("ben@example.org")
    assert "Freies WLAN am Markt" in body_of(mail)  # "It was merged with the idea …"
    html = followed(mail, twin)
    assert "Freies WLAN am Markt" in html and working_group.title in html
    assert f'href="/en/veranstaltungen/{survivor.event.slug}/ideen/{survivor.pk}/"' in html


def test_a_hidden_ideas_mail_links_no_page_that_is_not_there(group, organiser):
    idea = table_idea(group, "de")

    services.hide_idea(idea, "Werbung", actor=organiser, now=timezone.now())

    mail = latest_mail_to("anna@example.org")
    assert "Werbung" in body_of(mail)
    assert IDEA_PAGE.findall(body_of(mail)) == []
    assert Client().get(idea.page_path()).status_code == 404  # the page a link would have led to
    links = links_in(mail)
    assert links and all(Client().get(link).status_code == 200 for link in links)


@pytest.mark.parametrize("language", ["de", "en"])
def test_an_idea_that_is_not_public_is_followed_on_the_events_ideas_page(group, language):
    idea = table_idea(group, language)  # pending: not public yet

    with translation.override(language):
        url = follow_url(idea)

    assert url == SITE + ("/en" if language == "en" else "") + reverse("ideas:event_ideas", args=[idea.event.slug])
    assert Client().get(url.removeprefix(SITE)).status_code == 200
