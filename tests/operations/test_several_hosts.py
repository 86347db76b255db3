"""Two web "hosts" behind a real nginx (the site file of ops/nginx, over TLS with a certificate
made here), Redis as the shared cache, a db_worker on each host and a real SMTP sink: a rush of
100 citizens from 100 loopback addresses is registered in full, without overbooking, each mail
sent once; one address that sends more than the register limit is still limited, whichever host
its requests reach, and a forged X-Forwarded-For does not help it."""

import email
import email.policy
import http.client
import json
import shutil
import threading
import time
from collections import Counter

import pytest
import redis
from django.conf import settings
from django.db import connection

from events.models import SeatPool
from registrations.models import MailState, OutboxMail, Registration
from tests.factories import EventFactory
from tests.operations.several_hosts import (
    SERVER_NAME,
    Host,
    Nginx,
    base_environment,
    free_port,
    https_client,
    self_signed_certificate,
    temporary_folder,
)
from tests.registrations.mail_fixtures import SMTPServer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CITIZENS = 100
SEATS = 60  # fewer than citizens: some wait
# Rate-limit counts of the rush (one request per address) and of the one address over the limit
# live in two Redis databases, so that tests running side by side (pytest -n) cannot clear each
# other's counts.
RUSH_REDIS_URL = "redis://127.0.0.1:6379/8"
LIMIT_REDIS_URL = "redis://127.0.0.1:6379/9"
REGISTER_LIMIT = settings.RATE_LIMITS["register"][0]
WORKERS, THREADS = 2, 4  # per host
# Connections per gunicorn worker when the pool is on: threads + 1 (the outbox doorbell's), as
# docs/operations.md says; a smaller pool starves under a rush.
POOL_SIZE = THREADS + 1


def citizen_address(number: int) -> str:
    return f"127.0.{1 + number // 200}.{1 + number % 200}"


class City:
    """Everything started for one test, stopped afterwards."""

    def __init__(self, pool_size: int, redis_url: str):
        self.redis_url = redis_url
        self.folder = temporary_folder()
        self.smtp = SMTPServer()
        self.smtp.start()
        self.certificate = self_signed_certificate(self.folder)
        static_root = self.folder / "static"
        static_root.mkdir(mode=0o755)
        (static_root / "probe.css").write_text("body {}\n")
        self.nginx = Nginx(free_port(), free_port(), self.folder, self.certificate, static_root)
        database = connection.settings_dict
        environment = base_environment(
            SECRET_KEY="several-hosts-" + "s" * 50,
            DEBUG="false",
            ALLOWED_HOSTS=SERVER_NAME,
            SITE_URL=f"https://{SERVER_NAME}",
            DATABASE_URL=f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
            DATABASE_POOL_MAX_SIZE=str(pool_size),
            EMAIL_URL=f"smtp://127.0.0.1:{self.smtp.port}",
            DEFAULT_FROM_EMAIL="Stadtdialog <dialog@stadt.example>",
            TASKS_BACKEND="db",
            CACHE_URL=redis_url,
            TRUSTED_PROXIES="127.0.0.1,::1",
            BEHIND_TLS_PROXY="true",
            SECURE_SSL_REDIRECT="true",
            LOG_LEVEL="WARNING",
        )
        self.hosts = [Host(name, environment) for name in ("host-a", "host-b")]
        self.started_at = 0.0

    def start(self) -> None:
        redis.Redis.from_url(self.redis_url).flushdb()
        for host in self.hosts:
            host.start(self.folder, workers=WORKERS, threads=THREADS)
        self.nginx.start([host.port for host in self.hosts])

    def stop(self) -> None:
        self.nginx.stop()
        for host in self.hosts:
            host.stop()
        self.smtp.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def logs(self) -> str:
        return "\n".join(host.log_tail() for host in self.hosts)

    def request(self, method: str, path: str, *, source: str, body: dict | None = None, headers=None):
        client = https_client(self.nginx.https_port, source, self.certificate)
        try:
            client.request(
                method,
                path,
                body=json.dumps(body) if body is not None else None,
                headers={"Host": SERVER_NAME, "Content-Type": "application/json", **(headers or {})},
            )
            response = client.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            client.close()


def started(city: City):
    try:
        city.start()
        yield city
    finally:
        city.stop()


@pytest.fixture
def city(request):
    yield from started(City(getattr(request, "param", POOL_SIZE), RUSH_REDIS_URL))


@pytest.fixture
def city_of_one_limit():
    yield from started(City(POOL_SIZE, LIMIT_REDIS_URL))


@pytest.fixture
def event(db):
    return EventFactory(format="onsite", onsite=SEATS)()


def register(city: City, event, number: int, *, source: str, headers=None):
    body = {
        "name": f"Bürgerin {number}",
        "email": f"citizen{number}@example.org",
        "seat": "onsite",
        "accept_terms": True,
        "language": "de",
    }
    return city.request("POST", f"/api/events/{event.slug}/registrations", source=source, body=body, headers=headers)


def all_at_once(count: int, work) -> tuple[list, float]:
    answers: list = [None] * count
    start = threading.Barrier(count)

    def run(number: int):
        start.wait()
        answers[number] = work(number)

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, time.monotonic() - began


def peak_connections(stop: threading.Event, peaks: list[int]) -> None:
    """The most connections to the test database seen by pg_stat_activity, apart from this one."""
    import psycopg

    database = connection.settings_dict
    with psycopg.connect(host=database["HOST"], port=database["PORT"], user=database["USER"], dbname="postgres") as pg:
        while not stop.is_set():
            (count,) = pg.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
                [database["NAME"], connection.connection.info.backend_pid if connection.connection else 0],
            ).fetchone()
            peaks.append(count)
            stop.wait(0.05)


def wait_until_all_mails_are_sent(event, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not OutboxMail.objects.filter(event=event).exclude(state=MailState.SENT).exists():
            return
        time.sleep(0.5)
    states = Counter(OutboxMail.objects.filter(event=event).values_list("state", flat=True))
    raise AssertionError(f"mails not sent within {timeout} s: {dict(states)}")


def message_ids(raw_mails: list[bytes]) -> Counter:
    return Counter(email.message_from_bytes(raw, policy=email.policy.default)["Message-ID"] for raw in raw_mails)


@pytest.mark.parametrize("city", [POOL_SIZE, 0], ids=["pool", "no pool"], indirect=True)
def test_a_rush_through_nginx_onto_two_hosts_is_registered_in_full_and_mailed_once(city, event, capsys):
    connection.ensure_connection()
    stop_sampling, peaks = threading.Event(), []
    sampler = threading.Thread(target=peak_connections, args=(stop_sampling, peaks))
    sampler.start()
    try:
        answers, seconds = all_at_once(
            CITIZENS, lambda number: register(city, event, number, source=citizen_address(number))
        )
    finally:
        stop_sampling.set()
        sampler.join()
    statuses = Counter(status for status, _headers, _body in answers)

    registrations = Registration.objects.filter(event=event)
    pool = SeatPool.objects.get(event=event, seat_type="onsite")
    confirmed = registrations.filter(status="confirmed").count()
    waiting = sorted(registrations.filter(status="waitlisted").values_list("waitlist_position", flat=True))
    assert statuses.keys() <= {202, 429}, (statuses, city.logs())
    accepted = statuses[202]
    assert registrations.count() == accepted
    assert confirmed == min(accepted, SEATS) == pool.confirmed  # none overbooked, no seat left empty
    assert waiting == list(range(1, accepted - confirmed + 1)) and pool.waitlisted == len(waiting)

    wait_until_all_mails_are_sent(event)
    sent = set(OutboxMail.objects.filter(event=event).values_list("message_id", flat=True))
    at_the_sink = message_ids(city.smtp.handler.raw)
    pooled = city.hosts[0].environment["DATABASE_POOL_MAX_SIZE"] != "0"
    with capsys.disabled():
        print(
            f"\n[several hosts, {f'pool of {POOL_SIZE}' if pooled else 'no pool'}]"
            f" {CITIZENS} citizens in {seconds:.1f} s: {dict(statuses)}; {SEATS} seats: {confirmed} confirmed,"
            f" {len(waiting)} waiting; mails {sum(at_the_sink.values())} received, {len(at_the_sink)} unique,"
            f" {len(sent)} in the outbox; peak database connections {max(peaks, default=0)}"
        )
    assert len(sent) == accepted
    assert set(at_the_sink) == sent and max(at_the_sink.values()) == 1  # each mail exactly once
    # Without a pool, the outbox doorbell thread keeps a connection next to the request threads'.
    per_process = POOL_SIZE if pooled else THREADS + 1
    # 2 hosts × (workers × connections per worker + their db_worker); the sampler's own is not counted.
    assert max(peaks) <= len(city.hosts) * (WORKERS * per_process + 1)

    if not hasattr(settings, "TRUSTED_PROXIES"):
        pytest.xfail("needs TRUSTED_PROXIES (branch p-proxies): behind nginx every citizen is one client")
    assert statuses == {202: CITIZENS}, "citizens from different addresses share no limit"


def test_one_address_over_the_register_limit_is_limited_whichever_host_it_reaches(city_of_one_limit, event, capsys):
    city = city_of_one_limit
    too_many = REGISTER_LIMIT + 5
    answers, _seconds = all_at_once(too_many, lambda number: register(city, event, number, source="127.0.99.1"))
    statuses = Counter(status for status, _headers, _body in answers)
    with capsys.disabled():
        print(f"\n[several hosts, one address] {too_many} registrations, limit {REGISTER_LIMIT}: {dict(statuses)}")
    assert statuses.keys() <= {202, 429}, (statuses, city.logs())
    assert statuses[202] <= REGISTER_LIMIT and statuses[429] >= 5
    refused = next(json.loads(body) for status, _headers, body in answers if status == 429)
    assert refused["code"] == "rate_limited"

    # Whatever it writes into X-Forwarded-For, nginx appends the address it really came from.
    forged = register(city, event, 999, source="127.0.99.1", headers={"X-Forwarded-For": "203.0.113.7"})
    assert forged[0] == 429
    if not hasattr(settings, "TRUSTED_PROXIES"):
        pytest.xfail("needs TRUSTED_PROXIES (branch p-proxies): behind nginx every citizen is one client")
    # Someone else, from another address, is not limited by it.
    assert register(city, event, 1000, source="127.0.99.2")[0] == 202


def test_nginx_redirects_http_to_https_and_serves_static_files_itself(city):
    plain = http.client.HTTPConnection("127.0.0.1", city.nginx.http_port, timeout=10)
    plain.request("GET", "/veranstaltungen/?x=1", headers={"Host": SERVER_NAME})
    redirect = plain.getresponse()
    assert (redirect.status, redirect.getheader("Location")) == (301, f"https://{SERVER_NAME}/veranstaltungen/?x=1")

    status, headers, body = city.request("GET", "/static/probe.css", source="127.0.0.1")
    assert (status, body) == (200, b"body {}\n")
    assert "immutable" in headers["Cache-Control"]

    status, headers, _body = city.request("GET", "/health", source="127.0.0.1")
    assert status in (200, 503)
    # The app answers with the request id that nginx made ($request_id, in nginx's log).
    assert city.nginx.logged(headers["X-Request-ID"])
