"""What a batch of registrations costs the database: the same statements for two people and for
fifty (docs/benchmarks.md, "What makes it fast"), and who holds a calendar entry is written with
the registration itself, not noted by an UPDATE afterwards."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event
from registrations import services
from registrations.models import Registration, Status
from registrations.submissions import Submission


def batch(event, person, now, size) -> list[str]:
    submissions = [Submission(person(), "web", now - timedelta(seconds=size - i)) for i in range(size)]
    with CaptureQueriesContext(connection) as captured:
        services.register_many(Event.objects.get(pk=event.pk), submissions, now=now)
    return [query["sql"] for query in captured]


def test_a_batch_costs_the_same_statements_for_two_people_and_for_fifty(make_event, person, now):
    """(One person alone needs no look for the same person twice in the batch: one fewer.)"""
    one, two, fifty = (len(batch(make_event(onsite=100), person, now, size)) for size in (1, 2, 50))
    assert two == fifty == one + 1


def test_the_calendar_entry_is_written_with_the_registration(make_event, person, now):
    event = make_event(format="onsite", onsite=2)
    statements = batch(event, person, now, 3)

    assert not [sql for sql in statements if sql.startswith('UPDATE "registrations_registration"')]
    holds = dict(Registration.objects.filter(event=event).values_list("status", "holds_calendar_entry").distinct())
    assert holds == {Status.CONFIRMED: True, Status.WAITLISTED: False}


def test_a_registration_without_an_address_holds_no_calendar_entry(make_event, person, now):
    event = make_event(format="onsite", onsite=2)
    submission = Submission(person(email="", phone="+49 2305 123"), "phone", now)
    (registration,) = services.register_many(Event.objects.get(pk=event.pk), [submission], now=now)
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED and not registration.holds_calendar_entry
