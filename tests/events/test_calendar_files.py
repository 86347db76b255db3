"""Calendar files: one .ics per event and a feed, read back with icalendar."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

BERLIN = ZoneInfo("Europe/Berlin")
DEMO_SLUGS = [
    "auftakt-digitalisierungsstrategie",
    "zoom-dialog-digitalisierung",
    "digitalisierung-trikala-castrop-rauxel",
]


def download(client, url: str) -> icalendar.Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def offset_the_vtimezone_gives(calendar: icalendar.Calendar, local: datetime) -> timedelta:
    """The UTC offset at `local` according to the file's own VTIMEZONE, as a calendar program
    that does not know Europe/Berlin would compute it."""
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert vtimezone["TZID"] == "Europe/Berlin"
    started = [
        (rule.decoded("DTSTART"), rule.decoded("TZOFFSETTO"))
        for rule in vtimezone.subcomponents
        if rule.decoded("DTSTART") <= local.replace(tzinfo=None)
    ]
    assert started, "the VTIMEZONE must cover the event"
    return max(started)[1]


@pytest.mark.django_db
@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_each_demo_event_has_a_calendar_file_in_berlin_time(client, demo_events, slug):
    event = demo_events[slug]

    calendar = download(client, reverse("events:ics", args=[slug]))

    (vevent,) = calendar.walk("VEVENT")
    dtstart = vevent["DTSTART"]
    assert dtstart.params["TZID"] == "Europe/Berlin"
    assert vevent["DTEND"].params["TZID"] == "Europe/Berlin"
    assert dtstart.dt == event.starts_at
    assert dtstart.dt.astimezone(BERLIN).hour == 18, "the seed dialogues start at 18:00 local time"
    assert offset_the_vtimezone_gives(calendar, dtstart.dt.astimezone(BERLIN)) == dtstart.dt.utcoffset()
    assert str(vevent["SUMMARY"]) == event.title_de
    assert str(vevent["URL"]).endswith(event.get_absolute_url())


@pytest.mark.django_db
def test_vtimezone_covers_a_change_to_summer_time(client, make_event):
    # 29 March 2026, 02:00 CET is the switch to CEST; an event spanning it needs both rules.
    event = make_event(
        starts_at=datetime(2026, 3, 29, 1, 0, tzinfo=BERLIN),
        ends_at=datetime(2026, 3, 29, 4, 0, tzinfo=BERLIN),
        registration_opens_at=datetime(2026, 3, 1, tzinfo=BERLIN),
        registration_closes_at=datetime(2026, 3, 28, tzinfo=BERLIN),
    )

    calendar = download(client, reverse("events:ics", args=[event.slug]))

    vevent = calendar.walk("VEVENT")[0]
    assert offset_the_vtimezone_gives(calendar, vevent["DTSTART"].dt) == timedelta(hours=1)
    assert offset_the_vtimezone_gives(calendar, vevent["DTEND"].dt) == timedelta(hours=2)


@pytest.mark.django_db
def test_vtimezone_holds_only_the_transitions_around_the_events(client, demo_events):
    calendar = download(client, reverse("events:feed"))

    (vtimezone,) = calendar.walk("VTIMEZONE")
    first_event = min(event.starts_at for event in demo_events.values())
    assert all(rule.decoded("DTSTART").year >= first_event.year - 1 for rule in vtimezone.subcomponents)
    assert not any("RDATE" in rule for rule in vtimezone.subcomponents)


@pytest.mark.django_db
def test_uid_stays_the_same_across_downloads_and_in_the_feed(client, demo_events):
    url = reverse("events:ics", args=[DEMO_SLUGS[0]])

    first = download(client, url).walk("VEVENT")[0]["UID"]
    second = download(client, url).walk("VEVENT")[0]["UID"]
    in_feed = {str(vevent["UID"]) for vevent in download(client, reverse("events:feed")).walk("VEVENT")}

    assert first == second
    assert str(first) in in_feed


@pytest.mark.django_db
def test_uid_survives_changes_to_the_event(client, make_event):
    event = make_event()
    url = reverse("events:ics", args=[event.slug])
    before = download(client, url).walk("VEVENT")[0]["UID"]

    event.title_de = "Neuer Titel"
    event.save()

    assert download(client, url).walk("VEVENT")[0]["UID"] == before


@pytest.mark.django_db
def test_feed_lists_every_public_event_and_no_draft(client, demo_events, make_event):
    draft = make_event(status="draft", title_de="Noch geheim")
    cancelled = make_event(status="cancelled", title_de="Abgesagt")

    calendar = download(client, reverse("events:feed"))

    summaries = {str(vevent["SUMMARY"]): vevent for vevent in calendar.walk("VEVENT")}
    assert set(summaries) == {event.title_de for event in demo_events.values()} | {"Abgesagt"}
    assert draft.title_de not in summaries
    assert summaries[cancelled.title_de]["STATUS"] == "CANCELLED"
    assert all(vevent["DTSTART"].params["TZID"] == "Europe/Berlin" for vevent in summaries.values())


@pytest.mark.django_db
def test_draft_has_no_calendar_file(client, make_event):
    draft = make_event(status="draft")

    assert client.get(reverse("events:ics", args=[draft.slug])).status_code == 404


@pytest.mark.django_db
def test_english_calendar_file_has_the_english_title(client, demo_events):
    calendar = download(client, "/en" + reverse("events:ics", args=[DEMO_SLUGS[1]]))

    assert str(calendar.walk("VEVENT")[0]["SUMMARY"]) == demo_events[DEMO_SLUGS[1]].title_en


@pytest.mark.django_db
def test_location_is_the_venue_or_just_online(client, make_event):
    online = make_event(format="online")
    hybrid = make_event(format="hybrid")

    def location(event) -> str:
        return str(download(client, reverse("events:ics", args=[event.slug])).walk("VEVENT")[0]["LOCATION"])

    assert location(online) == "Online"
    assert location(hybrid) == "Ratssaal, Europaplatz 1, 44575 Castrop-Rauxel / online"


@pytest.mark.django_db
def test_empty_feed_is_a_valid_calendar(client):
    calendar = download(client, reverse("events:feed"))

    assert calendar.walk("VEVENT") == []
    assert calendar["VERSION"] == "2.0"
