"""A rush of registrations while Zoom is rate-limiting and failing: registering never waits for
Zoom, and the sync catches up afterwards without registering anyone twice."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.urls import reverse

from registrations.models import Registration, Status
from registrations.signals import registration_status_changed
from streaming.models import RegistrantGoal, SyncState, ZoomMeeting, ZoomRegistrant
from streaming.zoom.client import ZoomClient
from streaming.zoom.stub import seconds_from_now_as_http_date
from streaming.zoom.sync import sync_due

pytestmark = pytest.mark.django_db
RUSH = 30


def catch_up(now, *, rounds=60):
    """Run the worker as `sync_zoom --loop` would, each round at the time the next row is due."""
    for _ in range(rounds):
        sync_due(now=now)
        waiting = ZoomRegistrant.objects.filter(state=SyncState.PENDING).order_by("next_attempt_at").first()
        if waiting is None:
            return
        now = max(now, waiting.next_attempt_at)


def test_registering_makes_no_zoom_call_when_tasks_run_in_a_worker(
    zoom, held_tasks, make_event, register, now, django_capture_on_commit_callbacks
):
    event = make_event()
    with django_capture_on_commit_callbacks(execute=True):
        people = [register(event) for _ in range(RUSH)]
    assert all(person.status == Status.CONFIRMED for person in people)
    assert zoom.api_calls() == [] and zoom.tokens_issued == 0
    assert held_tasks.results, "the sync waits in the queue"
    assert ZoomRegistrant.objects.filter(state=SyncState.PENDING).count() == RUSH


def test_sync_catches_up_after_429_and_500_without_duplicate_registrants(zoom, held_tasks, make_event, register, now):
    event = make_event()
    sync_due(now=now)  # the meeting exists since the event was published
    people = [register(event) for _ in range(RUSH)]
    zoom.fail_next(3, 429, retry_after="1")
    zoom.fail_next(2, 429, retry_after=seconds_from_now_as_http_date(2))
    zoom.fail_next(4, 500)
    # Zoom did the work but the answer was lost: the retry must find these people, not add them again.
    zoom.fail_next(5, 500, after_processing=True)

    catch_up(now)

    meeting = ZoomMeeting.objects.get(event=event)
    at_zoom = zoom.registrants_of(meeting.meeting_id)
    emails = [registrant["email"] for registrant in at_zoom]
    assert sorted(emails) == sorted(person.email for person in people)
    assert all(registrant["status"] == "approved" for registrant in at_zoom)
    assert ZoomMeeting.objects.filter(state=SyncState.SYNCED).count() == 1
    assert not Registration.objects.filter(seat_type="online", personal_join_url="").exists()


def test_a_rate_limit_waits_as_long_as_zoom_says(zoom, held_tasks, make_event, register, now):
    event = make_event()
    sync_due(now=now)
    person = register(event)
    zoom.fail_next(1, 429, retry_after="120")
    sync_due(now=now)
    row = ZoomRegistrant.objects.get(registration=person)
    assert row.state == SyncState.PENDING
    assert "429" in row.last_error
    assert timedelta(seconds=119) < row.next_attempt_at - now <= timedelta(seconds=121)
    sync_due(now=now + timedelta(seconds=60))
    assert ZoomRegistrant.objects.get(pk=row.pk).state == SyncState.PENDING
    sync_due(now=now + timedelta(seconds=121))
    assert ZoomRegistrant.objects.get(pk=row.pk).state == SyncState.SYNCED


def test_a_refusal_zoom_will_repeat_fails_at_once_and_says_why(zoom, held_tasks, make_event, register, now):
    event = make_event()
    sync_due(now=now)
    zoom.fail_next(1, 400)
    person = register(event)
    sync_due(now=now)
    row = ZoomRegistrant.objects.get(registration=person)
    assert row.state == SyncState.FAILED
    assert row.last_error


@pytest.fixture
def registrations_tell_streaming():
    """What registrations/services.py will send on merge, sent here from a save: the web view
    below then runs the whole path, task included, inside the request."""

    def bridge(sender, instance, created, **kwargs):
        if created:
            registration_status_changed.send(
                sender=Registration, registration=instance, previous_status="", now=instance.entered_at
            )

    post_save.connect(bridge, sender=Registration)
    yield
    post_save.disconnect(bridge, sender=Registration)


@pytest.mark.django_db(transaction=True)
def test_with_the_immediate_backend_a_zoom_outage_does_not_fail_registrations(
    zoom, make_event, client, registrations_tell_streaming
):
    zoom.fail_next(10_000, 503)
    event = make_event()
    for number in range(10):
        answer = client.post(
            reverse("registrations:register", args=[event.slug]),
            {
                "name": f"Eilige {number}",
                "email": f"eilig{number}@example.org",
                "seat_type": "online",
                "language": "de",
                "accept_terms": "on",
            },
        )
        assert answer.status_code == 302
    assert Registration.objects.filter(status=Status.CONFIRMED).count() == 10
    assert zoom.api_calls(), "the immediate backend did try Zoom"
    meeting = ZoomMeeting.objects.get(event=event)
    assert meeting.state == SyncState.PENDING and "503" in meeting.last_error
    assert ZoomRegistrant.objects.filter(state=SyncState.PENDING).count() == 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_workers_never_add_one_registrant_twice(zoom, held_tasks, make_event, register, now):
    event = make_event()
    for _ in range(RUSH):
        register(event)
    sync_due(now=now, meeting_ids=[ZoomMeeting.objects.get(event=event).pk])
    errors = []

    def worker():
        try:
            sync_due(now=now)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    meeting = ZoomMeeting.objects.get(event=event)
    assert len(zoom.registrants_of(meeting.meeting_id)) == RUSH
    assert len(zoom.api_calls("POST", "/registrants")) == RUSH
    assert ZoomRegistrant.objects.filter(state=SyncState.SYNCED).count() == RUSH


def test_a_cancellation_while_the_registrant_is_being_added_is_not_lost(
    zoom, held_tasks, make_event, register, cancel, now, monkeypatch
):
    event = make_event()
    sync_due(now=now)
    person = register(event)
    add = ZoomClient.add_registrant

    def add_while_the_person_cancels(self, meeting_id, registrant):
        answer = add(self, meeting_id, registrant)
        cancel(Registration.objects.get(pk=person.pk))
        return answer

    monkeypatch.setattr(ZoomClient, "add_registrant", add_while_the_person_cancels)
    sync_due(now=now)

    row = ZoomRegistrant.objects.get(registration=person)
    assert (row.goal, row.state) == (RegistrantGoal.CANCELLED, SyncState.SYNCED)
    person.refresh_from_db()
    assert person.personal_join_url == ""
    meeting_id = ZoomMeeting.objects.get(event=event).meeting_id
    assert [r["status"] for r in zoom.registrants_of(meeting_id)] == ["denied"]
