import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from config.env import env_networks
from core.clients import client_address, parse_networks

PROXIES = "10.0.0.1, 192.168.0.0/16, fd00::/8"


@pytest.fixture
def behind_proxies(settings):
    settings.TRUSTED_PROXIES = parse_networks(PROXIES)


def request_from(remote, forwarded=None):
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request_from("10.0.0.1", "203.0.113.7")) == "10.0.0.1"


def test_the_client_behind_our_proxy_is_the_address_it_appended(behind_proxies):
    assert client_address(request_from("10.0.0.1", "203.0.113.7")) == "203.0.113.7"


def test_forged_entries_left_of_what_our_proxy_appended_change_nothing(behind_proxies):
    forged = request_from("10.0.0.1", "198.51.100.1, 10.0.0.1, 192.168.3.3, 203.0.113.7")
    assert client_address(forged) == "203.0.113.7"


def test_a_client_talking_to_us_directly_cannot_claim_another_address(behind_proxies):
    assert client_address(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(behind_proxies):
    chain = request_from("10.0.0.1", "203.0.113.7, 192.168.1.20, 192.168.7.1")
    assert client_address(chain) == "203.0.113.7"


def test_several_forwarded_headers_count_as_one_chain(behind_proxies):
    # Django joins repeated headers with commas, in the order they came.
    assert client_address(request_from("10.0.0.1", "198.51.100.1,203.0.113.7")) == "203.0.113.7"


def test_ipv6_clients_and_proxies_are_understood(behind_proxies):
    request = request_from("fd00::5", "2001:db8::1, [2001:db8:0:0::2]:4711")
    assert client_address(request) == "2001:db8::2"


def test_ipv4_mapped_ipv6_is_the_ipv4_address(behind_proxies):
    assert client_address(request_from("::ffff:10.0.0.1", "203.0.113.7:5000")) == "203.0.113.7"


def test_rubbish_in_the_chain_leaves_the_last_trusted_hop(behind_proxies):
    assert client_address(request_from("10.0.0.1", "not-an-address")) == "10.0.0.1"
    assert client_address(request_from("10.0.0.1", "<script>, 192.168.1.1")) == "192.168.1.1"


def test_only_proxies_in_the_chain_gives_the_farthest_one(behind_proxies):
    assert client_address(request_from("10.0.0.1", "192.168.1.1, 192.168.1.2")) == "192.168.1.1"


def test_no_remote_address_gives_an_empty_client(behind_proxies):
    assert client_address(request_from("", "203.0.113.7")) == ""


def test_trusted_proxies_setting_reads_addresses_and_networks(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", " 127.0.0.1 ,10.1.0.0/16,::1,, ")
    assert env_networks("TRUSTED_PROXIES") == [
        ipaddress.ip_network("127.0.0.1/32"),
        ipaddress.ip_network("10.1.0.0/16"),
        ipaddress.ip_network("::1/128"),
    ]


def test_a_bad_trusted_proxies_value_fails_at_start_naming_the_variable(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.1, nginx.local")
    with pytest.raises(ImproperlyConfigured, match=r"TRUSTED_PROXIES.*'nginx.local'"):
        env_networks("TRUSTED_PROXIES")


def test_empty_trusted_proxies_trusts_nobody(monkeypatch):
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    assert env_networks("TRUSTED_PROXIES") == []
