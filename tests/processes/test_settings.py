import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_origins


def test_embed_origins_are_read_as_origins(monkeypatch):
    monkeypatch.setenv("EMBED_ORIGINS", "https://www.stadt.example, http://intranet.stadt.example:8080/")
    assert env_origins("EMBED_ORIGINS") == ["https://www.stadt.example", "http://intranet.stadt.example:8080"]


@pytest.mark.parametrize("value", ["www.stadt.example", "https://www.stadt.example/seite", "javascript:alert(1)"])
def test_a_value_that_is_no_origin_stops_the_start_naming_the_setting(monkeypatch, value):
    monkeypatch.setenv("EMBED_ORIGINS", value)
    with pytest.raises(ImproperlyConfigured, match="EMBED_ORIGINS"):
        env_origins("EMBED_ORIGINS")
