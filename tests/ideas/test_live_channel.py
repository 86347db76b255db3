"""The live channel (docs/live.md): anyone sends an idea to the event through its short link,
without an account; it waits for the team (pre-moderation), keeps where it came from, and travels
on to a breakout group or straight to the plenum, its sender told by mail at each step."""

import email
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.clients import parse_networks
from core.devices import DEVICE_COOKIE
from events.models import AuditEntry
from ideas import services
from ideas.models import Idea, IdeaSource, LiveVia, Moderation, ModerationMode
from ideas.views.live import fill_stamp
from registrations.models import OutboxMail
from tests.factories import running_event


@pytest.fixture(autouse=True)
def tidy_limits(settings):
    settings.LIVE_MIN_FILL_SECONDS = 3


def live_path(event, *, language="de", via=""):
    path = reverse("ideas:live", args=[event.live_code])
    if language == "en":
        path = "/en" + path
    return f"{path}?via={via}" if via else path


def visitor(event, **extra) -> Client:
    """A browser that opened the live page once (so it has its device cookie)."""
    client = Client(**extra)
    assert client.get(live_path(event)).status_code == 200
    assert DEVICE_COOKIE in client.cookies
    return client


def form(text="Mehr Bänke im Stadtpark", *, shown_seconds_ago=30, **fields):
    return {
        "kind": fields.pop("kind", "idea"),
        "text": text,
        "started": fill_stamp(timezone.now() - timedelta(seconds=shown_seconds_ago)),
        "client_id": fields.pop("client_id", f"c-{text[:20]}"),
        **fields,
    }


def test_a_viewer_at_home_sends_an_idea_that_waits_for_the_team(event):
    client = visitor(event)
    sent = client.post(live_path(event, via="stream"), form(name="Jo", show_name="on"), follow=True)

    assert sent.status_code == 200
    assert "Ein Moderator schaut sich Ihre Idee an" in sent.content.decode()
    idea = Idea.objects.get()
    assert (idea.event, idea.group, idea.source, idea.via) == (event, None, IdeaSource.LIVE, LiveVia.STREAM)
    assert (idea.moderation, idea.language, idea.sender_name, idea.public_sender) == ("pending", "de", "Jo", "Jo")
    assert AuditEntry.objects.filter(action="idea.created", data__via="stream").exists()
    # Not public until approved.
    assert "Mehr Bänke" not in client.get(reverse("ideas:event_ideas", args=[event.slug])).content.decode()


def test_the_english_page_keeps_the_language_and_answers_in_english(event):
    client = visitor(event)
    sent = client.post(live_path(event, language="en"), form("More benches", via="zoom"), follow=True)

    assert "a moderator will look at your idea" in sent.content.decode().lower()
    idea = Idea.objects.get()
    assert (idea.language, idea.via) == ("en", "zoom")


def test_a_long_text_gets_a_short_title_and_keeps_every_word(event):
    text = "Wir brauchen " + "sehr " * 40 + "viele Bänke.\nUnd Schatten."
    visitor(event).post(live_path(event), form(text))
    idea = Idea.objects.get()
    assert len(idea.title) <= 140 and idea.title.endswith("…")
    assert idea.text == text


def test_under_post_moderation_the_idea_is_public_at_once(event, organiser, now):
    services.set_moderation_mode(event, ModerationMode.POST, actor=organiser, now=now)
    visitor(event).post(live_path(event), form())
    assert Idea.objects.get().moderation == Moderation.APPROVED


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "   "}, "Bitte schreiben Sie Ihre Idee auf."),
        ({"text": "x" * 1001}, "höchstens 1000 Zeichen"),
        ({"text": "Gut <script>alert(1)</script>"}, "ohne HTML"),
        ({"name": "<b>Jo</b>"}, "ohne HTML"),
        ({"email": "anna@example.org"}, "Bitte stimmen Sie zu"),
        ({"email": "keine-adresse"}, "E-Mail-Adresse"),
        ({"via": "kino"}, "Auswahl"),
        ({"website": "http://spam.example"}, "konnte nicht gesendet werden"),
        ({"shown_seconds_ago": 1}, "schneller, als jemand tippen kann"),
        ({"started": "forged"}, "zu lange offen"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_stored(event, fields, message):
    client = visitor(event)
    data = form(shown_seconds_ago=fields.pop("shown_seconds_ago", 30))
    data.update(fields)
    refused = client.post(live_path(event), data)

    assert refused.status_code == 422
    assert message in refused.content.decode()
    assert Idea.objects.count() == 0
    if fields.get("text", "").startswith("Gut"):
        assert "Gut &lt;script&gt;" in refused.content.decode(), "the text stays in the form"


def test_a_send_without_the_device_cookie_is_refused_and_the_cookie_set(event):
    client = Client()
    refused = client.post(live_path(event), form())
    assert refused.status_code == 400
    assert "Cookies" in refused.content.decode()
    assert DEVICE_COOKIE in refused.cookies
    assert Idea.objects.count() == 0
    assert client.post(live_path(event), form()).status_code == 302


def test_the_same_form_sent_twice_stores_one_idea(event):
    client = visitor(event)
    client.post(live_path(event), form(client_id="once"))
    client.post(live_path(event), form(client_id="once"))
    assert Idea.objects.count() == 1


def test_one_device_floods_and_is_told_to_wait(event, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "live_channel_device": (2, 600)}
    client = visitor(event)
    for number in range(2):
        assert client.post(live_path(event), form(f"Idee {number}")).status_code == 302
    flooded = client.post(live_path(event), form("Idee 3"))
    assert flooded.status_code == 429
    assert flooded["Retry-After"] == "600"
    assert "warten Sie einige Minuten" in flooded.content.decode()
    assert "Idee 3" in flooded.content.decode(), "the text stays in the form"
    assert Idea.objects.count() == 2
    # Another device in the same room still gets through.
    assert visitor(event).post(live_path(event), form("Idee 4")).status_code == 302


def test_the_limit_per_client_counts_real_clients_behind_our_proxy(event, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "live_channel_client": (1, 60)}
    settings.TRUSTED_PROXIES = parse_networks("127.0.0.1")
    anna = visitor(event, HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="127.0.0.1")
    ben = visitor(event, HTTP_X_FORWARDED_FOR="198.51.100.9", REMOTE_ADDR="127.0.0.1")
    assert anna.post(live_path(event), form("Anna 1")).status_code == 302
    assert anna.post(live_path(event), form("Anna 2")).status_code == 429
    assert ben.post(live_path(event), form("Ben 1")).status_code == 302
    assert sorted(Idea.objects.values_list("title", flat=True)) == ["Anna 1", "Ben 1"]


def test_drafts_are_not_found_and_an_event_long_over_is_closed(organiser):
    draft = running_event(status="draft", team=[organiser])
    assert Client().get(live_path(draft)).status_code == 404
    over = running_event(starts_in=timedelta(days=-3), team=[organiser])
    closed = Client().get(live_path(over))
    assert closed.status_code == 403
    assert "Live-Kanal" in closed.content.decode()


def test_the_qr_code_carries_the_short_link_with_its_place(event):
    answer = Client().get(reverse("ideas:live_qr", args=[event.live_code]) + "?via=room")
    assert answer.status_code == 200 and answer["Content-Type"] == "image/svg+xml"


def test_every_event_has_its_own_short_code(event, other_event):
    assert event.live_code and other_event.live_code and event.live_code != other_event.live_code
    assert len(event.live_code) == 6


def live_idea(event, now, **draft) -> Idea:
    values = {"text": "Trinkbrunnen am Markt", "email": "jo@example.org", "updates_consent": True, "via": "zoom"}
    idea, _created = services.send_live_idea(event, services.LiveDraft(**{**values, **draft}), client_id=None, now=now)
    return idea


def test_the_organisers_queue_shows_it_but_a_groups_moderator_cannot_decide_it(
    event, organiser, organiser_client, moderator, now
):
    idea = live_idea(event, now)
    queue = organiser_client.get(reverse("ideas:event_queue:queue", args=[event.slug]))
    assert "Trinkbrunnen am Markt" in queue.content.decode()
    assert "Live-Kanal (Zoom)" in queue.content.decode()

    from ideas.access import moderator_link_token

    token = moderator_link_token(moderator)
    assert "Trinkbrunnen" not in Client().get(reverse("ideas:moderator_queue:queue", args=[token])).content.decode()
    refused = Client().post(reverse("ideas:moderator_queue:approve", args=[token, idea.pk]))
    assert refused.status_code == 404
    with pytest.raises(Exception, match="eigenen Gruppe"):
        services.approve_idea(idea, actor=moderator, now=now)
    assert Idea.objects.get().moderation == Moderation.PENDING


def test_approving_tells_the_sender_with_a_one_click_unsubscribe(event, organiser, now):
    idea = services.approve_idea(live_idea(event, now), actor=organiser, now=now)
    mail = OutboxMail.objects.get()
    assert mail.to == "jo@example.org" and mail.facts == {"idea": idea.pk, "moderation": "approved"}
    message = email.message_from_bytes(mail.rendered)
    assert "veröffentlicht" in mail.subject
    assert message["List-Unsubscribe"].startswith("<http://testserver/ideen/keine-updates/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_one_click_unsubscribe_works_without_a_csrf_token(event, organiser, now):
    from ideas.access import stop_updates_token

    idea = live_idea(event, now)
    client = Client(enforce_csrf_checks=True)
    answer = client.post(
        reverse("ideas:stop_updates", args=[stop_updates_token(idea)]), {"List-Unsubscribe": "One-Click"}
    )
    assert answer.status_code == 302
    assert Idea.objects.get().submitter_email == ""


def test_hiding_tells_the_sender_why(event, organiser, now):
    services.hide_idea(live_idea(event, now), "Beleidigend", actor=organiser, now=now)
    mail = OutboxMail.objects.get()
    assert "Beleidigend" in mail.rendered.decode()


def test_an_approved_live_idea_goes_straight_to_the_plenum_and_on_into_a_backlog(
    event, organiser, organiser_client, now
):
    idea = services.approve_idea(live_idea(event, now), actor=organiser, now=now)
    board = organiser_client.get(reverse("ideas:organise", args=[event.slug]))
    assert "Trinkbrunnen am Markt" in board.content.decode()

    placed = organiser_client.post(
        reverse("ideas:place_live_idea", args=[event.slug, idea.pk]), {"target": "plenum"}, follow=True
    )
    assert placed.status_code == 200
    idea.refresh_from_db()
    assert idea.for_plenum and idea.group is None
    assert OutboxMail.objects.filter(facts__stage="plenum").count() == 1

    wall = Client().get(reverse("ideas:plenum_ideas", args=[event.slug])).content.decode()
    assert "Trinkbrunnen am Markt" in wall and "Gesendet von: Zoom" in wall
    api = Client().get(f"/api/events/{event.slug}/plenum").json()
    assert [group["id"] for group in api["groups"]] == [None]
    assert api["groups"][0]["ideas"][0]["origin"]["via"] == "zoom"

    working_group = services.create_working_group("Wasser", "", leads=[organiser], actor=organiser, now=now)
    services.sort_into_working_group(idea, working_group, actor=organiser, now=now)
    item = services.create_backlog_item(working_group, "Trinkbrunnen", [idea.pk], actor=organiser, now=now)
    assert OutboxMail.objects.filter(facts__stage="new").exists()

    trace = Client().get(reverse("ideas:working_group", args=[working_group.slug])).content.decode()
    assert "live channel" in trace.lower() or "Live-Kanal" in trace
    assert "(Zoom)" in trace
    export = organiser_client.get(reverse("ideas:event_export", args=[event.slug, "csv"]))
    csv = b"".join(export.streaming_content).decode()
    assert "Gesendet von" in csv.splitlines()[0] and ";Zoom;" in csv
    assert item.pk


def test_a_live_idea_from_the_room_reads_saal_in_german_and_room_in_english(event, organiser, organiser_client, now):
    idea = services.approve_idea(live_idea(event, now, via="room"), actor=organiser, now=now)
    services.place_live_idea(idea, group=None, actor=organiser, now=now)
    german = Client().get(reverse("ideas:event_ideas", args=[event.slug])).content.decode()
    english = Client().get("/en" + reverse("ideas:event_ideas", args=[event.slug])).content.decode()
    assert "Gesendet von: Saal" in german
    assert "Sent from: Room" in english


def test_placing_in_a_group_hands_it_to_that_groups_moderators(event, organiser, organiser_client, group, now):
    idea = services.approve_idea(live_idea(event, now), actor=organiser, now=now)
    organiser_client.post(reverse("ideas:place_live_idea", args=[event.slug, idea.pk]), {"target": str(group.pk)})
    idea.refresh_from_db()
    assert idea.group == group and not idea.for_plenum and idea.via == "zoom"


def test_a_pending_idea_cannot_be_sent_on(event, organiser, now):
    idea = live_idea(event, now)
    with pytest.raises(Exception, match="Geben Sie die Idee frei"):
        services.place_live_idea(idea, group=None, actor=organiser, now=now)
    assert not Idea.objects.get().for_plenum


def test_only_the_events_organisers_place_live_ideas(event, organiser, other_organiser, now):
    idea = services.approve_idea(live_idea(event, now), actor=organiser, now=now)
    url = reverse("ideas:place_live_idea", args=[event.slug, idea.pk])
    anonymous = Client().post(url, {"target": "plenum"})
    assert anonymous.status_code == 302 and "anmelden" in anonymous["Location"]
    other = Client()
    other.force_login(other_organiser)
    assert other.post(url, {"target": "plenum"}).status_code == 404
    assert not Idea.objects.get().for_plenum


def test_a_group_of_another_event_is_refused(event, organiser, organiser_client, other_event, other_organiser, now):
    other_group, _access = services.create_group(
        other_event, services.GroupData("Fremd", ""), actor=other_organiser, now=now
    )
    idea = services.approve_idea(live_idea(event, now), actor=organiser, now=now)
    organiser_client.post(reverse("ideas:place_live_idea", args=[event.slug, idea.pk]), {"target": str(other_group.pk)})
    idea.refresh_from_db()
    assert idea.group is None and not idea.for_plenum


def test_the_database_refuses_a_group_less_idea_that_is_not_live(event, now):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Idea.objects.create(event=event, group=None, title="x", source="moderator", created_at=now, updated_at=now)


def test_the_senders_name_and_address_are_erased_with_the_events_data_and_the_idea_stays(event, organiser, now):
    from ideas.privacy import on_event_data_expired

    idea = services.approve_idea(live_idea(event, now, name="Jo", show_name=True), actor=organiser, now=now)
    counts = on_event_data_expired(None, event=event, now=now)
    assert counts["idea_sender_names"] == 1 and counts["idea_addresses"] == 1
    idea.refresh_from_db()
    assert (idea.sender_name, idea.show_name, idea.submitter_email, idea.title) == (
        "",
        False,
        "",
        "Trinkbrunnen am Markt",
    )
