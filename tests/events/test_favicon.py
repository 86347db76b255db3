"""The site's icon: browsers ask for /favicon.ico on every page, and a 404 there shows as a
console error (findings D20)."""

import pytest

pytestmark = pytest.mark.django_db


def test_favicon_ico_is_served_at_the_sites_root(client):
    answer = client.get("/favicon.ico")

    assert answer.status_code == 200
    assert b"".join(answer.streaming_content)[:4] == b"\x00\x00\x01\x00"  # the ICO signature


def test_every_page_names_its_icon(client):
    page = client.get("/").content.decode()

    assert '<link rel="icon" href="/favicon.ico"' in page
    assert 'type="image/svg+xml"' in page
