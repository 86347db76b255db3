"""`manage.py check --deploy` with the production settings that docs/operations.md lists."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENVIRONMENT = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "dialog.stadt.example",
    "SITE_URL": "https://dialog.stadt.example",
    "DATABASE_URL": "postgres://stadtdialog@db.stadt.example:5432/stadtdialog",
    "EMAIL_URL": "smtp+tls://dialog:secret@mail.stadt.example:587",
    "CACHE_URL": "redis://cache.stadt.example:6379/0",
    "TASKS_BACKEND": "db",
    "BEHIND_TLS_PROXY": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
}


def deploy_check(environment: dict[str, str]) -> subprocess.CompletedProcess:
    # Only what the process needs from outside; no .env or test SECRET_KEY leaks in.
    base = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_without_any_warning_with_production_settings():
    result = deploy_check(PRODUCTION_ENVIRONMENT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_deploy_check_names_what_is_missing_without_https():
    plain_http = {"SITE_URL": "http://dialog.stadt.example", "SECURE_HSTS_SECONDS": "0"}
    result = deploy_check({**PRODUCTION_ENVIRONMENT, **plain_http})
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # HSTS
    assert "security.W012" in result.stderr  # session cookie over plain http


@pytest.mark.parametrize(
    ("name", "development_default", "explained"),
    [
        ("EMAIL_URL", "file://var/mail", "none reaches a citizen"),
        ("CACHE_URL", "locmem://", "more than one process"),
        ("TASKS_BACKEND", "immediate", "hanging mail server holds every registration"),
    ],
)
def test_deploy_check_warns_about_each_development_default_by_name(name, development_default, explained):
    result = deploy_check({**PRODUCTION_ENVIRONMENT, name: development_default})

    assert result.returncode != 0
    warnings = [line for line in result.stderr.splitlines() if "stadtdialog.W" in line]
    assert len(warnings) == 1, result.stderr
    assert name in warnings[0] and explained in warnings[0]


def test_deploy_check_keeps_quiet_about_development_defaults_with_debug():
    laptop = {"DEBUG": "true", "EMAIL_URL": "file://var/mail", "CACHE_URL": "locmem://", "TASKS_BACKEND": "immediate"}

    result = deploy_check({**PRODUCTION_ENVIRONMENT, **laptop})

    assert "stadtdialog.W" not in result.stderr


def test_production_settings_keep_a_strict_content_security_policy():
    from django.conf import settings

    every_source = [source for sources in settings.SECURE_CSP.values() for source in sources]
    assert not [source for source in every_source if "unsafe" in source]
    assert settings.X_FRAME_OPTIONS == "DENY"
    assert settings.SESSION_COOKIE_HTTPONLY


def test_a_bad_number_in_the_environment_stops_start_up_with_its_name():
    result = deploy_check({**PRODUCTION_ENVIRONMENT, "SECURE_HSTS_SECONDS": "a year"})
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS must be a whole number" in result.stderr
