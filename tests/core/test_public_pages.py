"""Kept public pages (core/public_pages.py): the next anonymous reader of a page gets the one
rendered for the state the database is in, with a CSRF token of their own; any committed write
shows at once, the clock within KEEP_SECONDS; logged-in users, readers with a session or flash
messages, and requests inside a transaction always get a page rendered for them.

Which pages are kept is tested with a steady database (`steady`: the state as it is while
nothing writes; on a shared PostgreSQL server another test's writes change the real one at any
moment). That the real state changes with every committed write, and that a page shows such a
write at once, is tested on PostgreSQL outside a test transaction (`committed`)."""

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import public_pages
from events.services import update_event
from registrations.models import Registration
from tests.factories import EventFactory, make_user, register, registration_data

committed = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def no_kept_pages():
    public_pages.PAGES.clear()
    yield
    public_pages.PAGES.clear()


@pytest.fixture
def steady(monkeypatch):
    """The database as it is while nothing writes: one state."""
    monkeypatch.setattr(public_pages, "database_state", lambda: "steady")


@pytest.fixture
def event(db):
    return EventFactory(format="onsite", onsite=3)(title="Dialog am Markt")


def read(url: str, client: Client | None = None):
    """A page read by a new anonymous reader (or `client`), with the queries it cost."""
    with CaptureQueriesContext(connection) as queries:
        response = (client or Client()).get(url)
    return response, len(queries)


@pytest.mark.usefixtures("steady")
def test_the_next_reader_gets_the_kept_page_without_a_query(event):
    url = event.get_absolute_url()
    first, first_queries = read(url)
    second, second_queries = read(url)

    assert first.status_code == second.status_code == 200
    assert first_queries > 3
    assert second_queries == 0  # (reading the real state is one query)
    first_page, second_page = first.content.decode(), second.content.decode()
    assert TOKEN.sub("", first_page) == TOKEN.sub("", second_page)
    assert "3 seats left" in second_page or "3 Plätze frei" in second_page


@pytest.mark.usefixtures("steady")
def test_each_reader_of_a_kept_page_gets_a_token_that_posts(event):
    url = event.get_absolute_url()
    read(url)
    readers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    pages = [reader.get(url) for reader in readers]
    tokens = [TOKEN.search(page.content.decode()).group(1) for page in pages]
    assert tokens[0] != tokens[1]

    for number, (reader, token) in enumerate(zip(readers, tokens, strict=True)):
        response = reader.post(
            f"/veranstaltungen/{event.slug}/anmelden/",
            {
                "csrfmiddlewaretoken": token,
                "name": f"Leserin {number}",
                "email": f"leserin{number}@example.org",
                "seat_type": "onsite",
                "language": "de",
                "accept_terms": "on",
            },
        )
        assert response.status_code == 302

    assert Registration.objects.filter(event=event).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_every_committed_write_changes_the_database_state(event):
    """Through the services, a queryset's update() and plain SQL alike: nobody has to tell the
    kept pages what changed."""
    states = [public_pages.database_state()]
    register(event, registration_data(1), timezone.now())
    states.append(public_pages.database_state())
    Registration.objects.filter(event=event).update(name="Person Eins")
    states.append(public_pages.database_state())
    with connection.cursor() as cursor:
        cursor.execute("UPDATE events_event SET title_de = 'Neu' WHERE id = %s", [event.pk])
    states.append(public_pages.database_state())

    assert None not in states and len(set(states)) == len(states)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_committed_registration_shows_on_the_next_read(event):
    url = event.get_absolute_url()
    before, _ = read(url)
    register(event, registration_data(1), timezone.now())
    after, after_queries = read(url)

    assert after_queries > 1  # rendered anew, at once: no waiting for the page to expire
    text = after.content.decode()
    assert "2 seats left" in text or "2 Plätze frei" in text
    assert after["ETag"] != before["ETag"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_organisers_edit_shows_on_the_next_read(event):
    url = event.get_absolute_url()
    read(url)
    update_event(event, {"title_de": "Dialog im Rathaus"}, actor=None, now=timezone.now())
    assert "Dialog im Rathaus" in read(url)[0].content.decode()


@pytest.mark.usefixtures("steady")
def test_a_kept_page_is_rendered_again_after_keep_seconds(event, monkeypatch):
    """What the database does not hold (the clock: a registration window opening) shows within
    KEEP_SECONDS."""
    url = event.get_absolute_url()
    clock = [1000.0]
    monkeypatch.setattr(public_pages.time, "monotonic", lambda: clock[0])
    read(url)
    clock[0] += public_pages.KEEP_SECONDS / 2
    assert read(url)[1] == 0
    clock[0] += public_pages.KEEP_SECONDS
    assert read(url)[1] > 1


@pytest.mark.usefixtures("steady")
def test_languages_and_query_strings_are_kept_apart(event):
    url = event.get_absolute_url()
    german, _ = read(url)
    english, _ = read(f"/en{url}")
    plain, _ = read(f"{url}?einfach=1")
    kept_english, queries = read(f"/en{url}")

    assert german.content != english.content
    assert 'lang="en"' in kept_english.content.decode() and queries == 0
    assert "einfach" in plain.content.decode() and TOKEN.sub("", plain.content.decode()) != TOKEN.sub(
        "", german.content.decode()
    )


@pytest.mark.usefixtures("steady")
def test_a_logged_in_user_never_gets_nor_leaves_a_kept_page(event):
    url = event.get_absolute_url()
    organiser = Client()
    organiser.force_login(make_user("orga"))

    response, queries = read(url, organiser)
    assert response.status_code == 200 and queries > 1 and not response.has_header("ETag")
    assert read(url)[1] > 1  # the organiser's page was not left for the public
    assert read(url)[1] == 0
    assert read(url, organiser)[1] > 1  # nor is the public's given to the organiser


@pytest.mark.usefixtures("steady")
def test_a_reader_with_a_flash_message_gets_a_page_of_their_own(event):
    """The message shows on the page rendered for this reader, not on a kept one."""
    url = event.get_absolute_url()
    read(url)
    reader = Client()
    reader.cookies["messages"] = CookieStorage(HttpRequest())._encode([Message(constants.INFO, "Hallo, Leserin")])

    page, queries = read(url, reader)

    assert queries > 1 and "Hallo, Leserin" in page.content.decode()
    assert "Hallo, Leserin" not in read(url)[0].content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_nothing_is_kept_inside_a_transaction(event):
    url = event.get_absolute_url()
    with transaction.atomic():
        read(url)
        assert public_pages.database_state() is None
    assert read(url)[1] > 1


@pytest.mark.usefixtures("steady")
def test_missing_pages_and_previews_are_not_kept(db):
    draft = EventFactory(status="draft")(title="Entwurf")
    for _ in range(2):
        assert Client().get(draft.get_absolute_url()).status_code == 404
        assert Client().get("/veranstaltungen/gibt-es-nicht/").status_code == 404
    assert len(public_pages.PAGES._entries) == 0


@pytest.mark.usefixtures("steady")
def test_the_home_page_and_the_plenum_wall_are_kept(event):
    for url in ("/", f"/veranstaltungen/{event.slug}/plenum/", f"/veranstaltungen/{event.slug}/ideen/"):
        first, _ = read(url)
        second, queries = read(url)
        assert first.status_code == second.status_code == 200
        assert queries == 0, url
        assert first.content == second.content  # no form on them: byte for byte the same


@pytest.mark.usefixtures("steady")
def test_readers_arriving_together_wait_for_one_rendering():
    """A busy page expires for everyone at once: one thread renders it, the others get that page."""
    renderings = []

    @public_pages.public_page
    def slow_page(request):
        renderings.append(threading.get_ident())
        time.sleep(0.3)
        return HttpResponse("<p>Ein Dialog</p>")

    def reader(_number):
        request = RequestFactory().get("/langsam/")
        request.user = AnonymousUser()
        return slow_page(request)

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(reader, range(8)))

    assert len(renderings) == 1
    assert {answer.status_code for answer in answers} == {200}
    assert {answer.content for answer in answers} == {b"<p>Ein Dialog</p>"}


@pytest.mark.usefixtures("steady")
def test_readers_who_waited_for_a_page_that_cannot_be_kept_get_their_own():
    renderings = []

    @public_pages.public_page
    def missing(request):
        renderings.append(1)
        time.sleep(0.2)
        return HttpResponse("Nicht gefunden", status=404)

    def reader(_number):
        request = RequestFactory().get("/fehlt/")
        request.user = AnonymousUser()
        return missing(request).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(reader, range(4))) == [404] * 4
    assert len(renderings) == 4


@pytest.mark.usefixtures("steady")
def test_a_page_expired_by_the_clock_is_given_out_while_it_is_rendered_anew():
    """The database is as it was: the readers do not wait for the new rendering, which replaces
    the page once it is there."""
    versions = []

    @public_pages.public_page
    def clock_page(request):
        versions.append(len(versions) + 1)
        if len(versions) > 1:
            time.sleep(0.4)
        return HttpResponse(f"Fassung {len(versions)}")

    def reader(_number):
        request = RequestFactory().get("/uhr/")
        request.user = AnonymousUser()
        return clock_page(request).content.decode()

    assert reader(0) == "Fassung 1"
    ((key, page),) = public_pages.PAGES._entries.items()
    public_pages.PAGES.put(key, replace(page, made_at=page.made_at - public_pages.KEEP_SECONDS))
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = sorted(pool.map(reader, range(4)))

    assert answers == ["Fassung 1", "Fassung 1", "Fassung 1", "Fassung 2"]
    assert reader(5) == "Fassung 2"
