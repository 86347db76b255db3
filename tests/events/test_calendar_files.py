"""Calendar files: one .ics per event and a feed, read back with icalendar."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
import vobject
from django.urls import reverse

from events import services as event_services
from events.models import Venue

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
    """The UTC offset at `local` according to the file's own VTIMEZONE (its rules, not the
    system's zone database), as a calendar program that does not know Europe/Berlin computes it."""
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert vtimezone["TZID"] == "Europe/Berlin"
    return local.replace(tzinfo=vtimezone.to_tz(lookup_tzid=False)).utcoffset()


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
def test_every_file_carries_the_full_vtimezone_with_its_yearly_rules(client, demo_events):
    files = [reverse("events:feed")] + [reverse("events:ics", args=[slug]) for slug in DEMO_SLUGS]

    zones = {download(client, url).walk("VTIMEZONE")[0].to_ical() for url in files}

    assert len(zones) == 1, "one VTIMEZONE for every file, whatever its events' dates"
    (vtimezone,) = [icalendar.Timezone.from_ical(zone) for zone in zones]
    rules = {rule.name: {key: list(value) for key, value in rule["RRULE"].items()} for rule in vtimezone.subcomponents}
    assert rules == {
        "DAYLIGHT": {"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["-1SU"]},
        "STANDARD": {"FREQ": ["YEARLY"], "BYMONTH": [10], "BYDAY": ["-1SU"]},
    }
    zone = vtimezone.to_tz(lookup_tzid=False)
    for when, hours in [(datetime(2027, 1, 1, 18), 1), (datetime(2027, 7, 1, 18), 2), (datetime(2040, 10, 28, 4), 1)]:
        assert when.replace(tzinfo=zone).utcoffset() == timedelta(hours=hours)


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


def summer_and_winter_files(client, make_event) -> tuple[bytes, bytes]:
    summer = make_event(starts_at=datetime(2027, 3, 30, 18, 0, tzinfo=BERLIN))
    winter = make_event(starts_at=datetime(2027, 1, 1, 18, 0, tzinfo=BERLIN))
    return tuple(client.get(reverse("events:ics", args=[event.slug])).content for event in (summer, winter))


@pytest.fixture
def fresh_vobject_zones(monkeypatch):
    """vobject keeps every VTIMEZONE it read, by TZID, for the whole process (as Radicale and khal
    do); each test starts with none."""
    monkeypatch.setattr(vobject.icalendar, "__tzidMap", {})


def start_by_vobject(ics: bytes) -> datetime:
    return vobject.readOne(ics.decode(), validate=True).vevent.dtstart.value


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_vobject_zones")
@pytest.mark.parametrize("summer_first", [True, False])
def test_vobject_places_a_summer_and_a_winter_event_read_in_one_process_at_their_times(
    client, make_event, summer_first
):
    summer, winter = summer_and_winter_files(client, make_event)

    starts = {ics: start_by_vobject(ics) for ics in ([summer, winter] if summer_first else [winter, summer])}

    assert (starts[summer].utcoffset(), starts[winter].utcoffset()) == (timedelta(hours=2), timedelta(hours=1))
    assert starts[summer].astimezone(BERLIN).hour == starts[winter].astimezone(BERLIN).hour == 18


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_vobject_zones")
def test_control_a_vtimezone_cut_to_the_event_shifts_the_next_file_by_an_hour(make_event):
    """The files as they were written before: a VTIMEZONE for the event's days only. This is
    what the test above would catch."""

    def cut_file(event) -> bytes:
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//control//")
        calendar.add("version", "2.0")
        vevent = icalendar.Event()
        vevent.add("uid", f"{event.pk}@control")
        vevent.add("dtstamp", event.updated_at)
        vevent.add("dtstart", event.starts_at.astimezone(BERLIN))
        calendar.add_component(vevent)
        day = event.starts_at.astimezone(BERLIN).date()
        calendar.add_missing_timezones(first_date=day - timedelta(days=1), last_date=day + timedelta(days=1))
        return calendar.to_ical()

    summer = make_event(starts_at=datetime(2027, 3, 30, 18, 0, tzinfo=BERLIN))
    winter = make_event(starts_at=datetime(2027, 1, 1, 18, 0, tzinfo=BERLIN))

    start_by_vobject(cut_file(summer))
    shifted = start_by_vobject(cut_file(winter))

    assert shifted.utcoffset() == timedelta(hours=2), "vobject reuses the summer-only zone"
    assert shifted.astimezone(BERLIN).hour == 17


@pytest.mark.django_db
def test_sequence_rises_in_the_file_and_the_feed_when_the_event_moves_or_is_cancelled(client, make_event, now):
    event = make_event()
    other = make_event()

    def sequences() -> tuple[int, int]:
        in_file = download(client, reverse("events:ics", args=[event.slug])).walk("VEVENT")[0]["SEQUENCE"]
        in_feed = {str(v["UID"]): v["SEQUENCE"] for v in download(client, reverse("events:feed")).walk("VEVENT")}
        assert in_feed[f"event-{event.public_id}@stadtdialog"] == in_file
        return in_file

    assert sequences() == 0
    event_services.update_event(event, {"title_de": "Nur ein neuer Titel"}, actor=None, now=now)
    assert sequences() == 0, "a new title is no new date"
    new_start = event.starts_at + timedelta(days=7)
    event_services.move_event(event, starts_at=new_start, ends_at=new_start + timedelta(hours=2), actor=None, now=now)
    assert sequences() == 1
    event_services.cancel_event(event, actor=None, now=now)
    assert sequences() == 2
    cancelled = download(client, reverse("events:ics", args=[event.slug])).walk("VEVENT")[0]
    assert cancelled["STATUS"] == "CANCELLED"
    assert download(client, reverse("events:ics", args=[other.slug])).walk("VEVENT")[0]["SEQUENCE"] == 0


@pytest.mark.django_db
def test_dtstamp_is_when_the_file_was_made_not_when_the_event_changed(client, make_event):
    event = make_event()
    made_at = event.updated_at + timedelta(days=3, minutes=17)

    with time_machine.travel(made_at, tick=False):
        vevent = download(client, reverse("events:ics", args=[event.slug])).walk("VEVENT")[0]

    assert vevent.decoded("DTSTAMP") == made_at.replace(microsecond=0)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["event", "feed"])
def test_calendar_files_answer_304_until_something_in_them_changes(client, make_event, now, kind):
    event = make_event()
    url = reverse("events:feed") if kind == "feed" else reverse("events:ics", args=[event.slug])

    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('W/"') and first["Cache-Control"] == "no-cache"

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
    assert client.get("/en" + url, headers={"If-None-Match": etag}).status_code == 200, "another language"

    event_services.update_event(event, {"title_de": "Neuer Titel"}, actor=None, now=now)
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Neuer Titel" in str(icalendar.Calendar.from_ical(changed.content).walk("VEVENT")[0]["SUMMARY"])


@pytest.mark.django_db
def test_a_new_address_of_the_venue_is_a_new_version_of_the_file(client, make_event):
    event = make_event(format="onsite")
    url = reverse("events:ics", args=[event.slug])
    etag = client.get(url)["ETag"]

    Venue.objects.filter(pk=event.venue_id).update(address="Marktplatz 2, 44575 Castrop-Rauxel")

    answer = client.get(url, headers={"If-None-Match": etag})
    assert answer.status_code == 200
    assert "Marktplatz 2" in str(icalendar.Calendar.from_ical(answer.content).walk("VEVENT")[0]["LOCATION"])


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_page_offers_the_feed_to_subscribe_and_to_download(client, settings, prefix):
    settings.SITE_URL = "https://dialog.castrop-rauxel.de"

    page = client.get(prefix + "/").content.decode()

    feed = prefix + "/veranstaltungen.ics"
    assert f'href="webcal://dialog.castrop-rauxel.de{feed}"' in page
    assert f'href="{feed}" download' in page
