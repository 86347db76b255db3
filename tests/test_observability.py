import json
import logging

import pytest

from config.observability import JsonFormatter, RequestIdFilter, loggable_path


@pytest.mark.django_db
def test_every_response_carries_a_request_id_and_a_proxy_id_is_kept(client):
    assert len(client.get("/").headers["X-Request-ID"]) == 32
    assert client.get("/", headers={"X-Request-ID": "proxy-123"}).headers["X-Request-ID"] == "proxy-123"
    assert client.get("/", headers={"X-Request-ID": "bad id\nwith newline"}).headers["X-Request-ID"] != "bad id"


@pytest.mark.django_db
def test_request_log_line_is_json_without_the_personal_link(client, caplog):
    caplog.set_level(logging.INFO, logger="stadtdialog.requests")
    client.get("/anmeldung/secret-token-value/", headers={"X-Request-ID": "abc"})
    record = next(r for r in caplog.records if r.name == "stadtdialog.requests")
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/anmeldung/…/"
    assert line["status"] == 404
    assert "secret-token-value" not in json.dumps(line)


def test_personal_links_are_cut_in_any_language():
    assert loggable_path("/en/anmeldung/abc:def/abmelden/") == "/en/anmeldung/…/abmelden/"


def test_moderator_and_table_keys_are_cut_too():
    assert loggable_path("/moderation/tok/ideen/3/") == "/moderation/…/ideen/3/"
    assert loggable_path("/tisch/key/") == "/tisch/…/"
    assert loggable_path("/ideen/keine-updates/tok/") == "/ideen/keine-updates/…/"
