"""Which event a mail names (registrations.intake.matching.find_event)."""

from datetime import UTC, datetime, timedelta

from events.models import Event, EventStatus, normalize_keyword
from registrations.intake.matching import find_event

AT = datetime(2027, 8, 1, 9, 0, tzinfo=UTC)


def event(keyword: str, *, open_: bool = True, ends_in_days: int = 20) -> Event:
    return Event(
        title_de=keyword,
        keyword=keyword,
        keyword_normalized=normalize_keyword(keyword),
        status=EventStatus.PUBLISHED,
        starts_at=AT + timedelta(days=ends_in_days - 1),
        ends_at=AT + timedelta(days=ends_in_days),
        registration_opens_at=AT - timedelta(days=10),
        registration_closes_at=AT + (timedelta(days=5) if open_ else -timedelta(days=1)),
    )


def test_a_keyword_used_again_finds_the_event_that_takes_registrations():
    closed, reopened = event("Zukunftswerkstatt", open_=False), event("Zukunftswerkstatt", ends_in_days=40)
    assert find_event(["Anmeldung „zukunftswerkstatt“"], [closed, reopened], at=AT) is reopened


def test_of_two_equally_good_events_the_first_to_start_is_found():
    first, second = event("Zukunftswerkstatt"), event("Zukunftswerkstatt", ends_in_days=40)
    assert find_event(["Zukunftswerkstatt"], [first, second], at=AT) is first


def test_the_longest_keyword_named_wins():
    short, long = event("Digitalisierung"), event("Digitalisierung 20.08.")
    assert find_event(["Re: digitalisierung 2008 online"], [long, short], at=AT) is long
    assert find_event(["Digitalisierung im Allgemeinen"], [long, short], at=AT) is short


def test_an_event_that_is_over_is_not_found_and_no_keyword_finds_nothing():
    over = event("Sommerdialog", ends_in_days=-1)
    assert find_event(["Sommerdialog"], [over], at=AT) is None
    assert find_event(["Hallo, ich möchte mich anmelden"], [event("Sommerdialog")], at=AT) is None
