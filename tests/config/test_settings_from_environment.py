"""Settings come from the environment; a malformed value stops start-up and names the variable."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import mailer_from_url

ROOT = Path(__file__).resolve().parents[2]

# Every variable the settings read, set to a valid value, so that neither the test run's own
# environment nor a developer's .env (python-dotenv never overrides a set variable) leaks in.
VALID_ENVIRONMENT = {
    "SECRET_KEY": "a-secret-key-for-the-settings-tests-" + "k" * 20,
    "DEBUG": "false",
    "ALLOWED_HOSTS": "dialog.example.org",
    "SITE_URL": "https://dialog.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
    "EMAIL_URL": "console://",
    "DEFAULT_FROM_EMAIL": "Stadtdialog <dialog@example.org>",
    "TASKS_BACKEND": "immediate",
    "INTAKE_IMAP_URL": "",
    "ZOOM_API_URL": "https://api.zoom.us/v2",
    "ZOOM_OAUTH_URL": "https://zoom.us/oauth/token",
    "BEHIND_TLS_PROXY": "false",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "INFO",
}


def start_settings(*, show: str = "", **overrides) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter, as `manage.py` or gunicorn would at start;
    `show` names a setting to print as JSON."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1", **VALID_ENVIRONMENT, **overrides}
    code = f"import json, config.settings as s; print(json.dumps(s.{show}))" if show else "import config.settings"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_valid_environment_starts():
    started = start_settings()

    assert started.returncode == 0, started.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("EMAIL_URL", "smtps://mail.example.org"),
        ("EMAIL_URL", "smtp://"),
        ("EMAIL_URL", "smtp+tls://user:pass@mail.example.org:port"),
        ("DATABASE_URL", "mysqlish://db.example.org/stadtdialog"),
        ("DATABASE_URL", "postgres://"),
        ("TASKS_BACKEND", "celery"),
        ("DEBUG", "maybe"),
        ("ZOOM_API_URL", "api.zoom.us/v2"),
        ("ZOOM_OAUTH_URL", "https://"),
        ("INTAKE_IMAP_URL", "pop3://user:pass@mail.example.org/INBOX"),
        ("INTAKE_IMAP_URL", "imaps://user:pass@mail.example.org:nine/INBOX"),
        ("SITE_URL", "dialog.example.org"),
        ("SECURE_HSTS_SECONDS", "one year"),
        ("LOG_LEVEL", "LOUD"),
        ("CSP_REPORT_URI", "csp.example.org/report"),
    ],
)
def test_malformed_value_stops_start_up_naming_the_variable(name, value):
    started = start_settings(**{name: value})

    assert started.returncode != 0
    last_line = started.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert name in last_line


def test_secret_key_is_required_when_debug_is_off():
    started = start_settings(SECRET_KEY="", DEBUG="false")

    assert started.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in started.stderr


def test_debug_runs_without_a_secret_key():
    started = start_settings(SECRET_KEY="", DEBUG="true")

    assert started.returncode == 0, started.stderr


def test_blank_values_mean_the_defaults_as_in_env_example():
    blank = {name: "" for name in VALID_ENVIRONMENT if name != "SECRET_KEY"}

    started = start_settings(**blank)

    assert started.returncode == 0, started.stderr


def test_secret_key_fallbacks_are_read_comma_separated():
    started = start_settings(show="SECRET_KEY_FALLBACKS", SECRET_KEY_FALLBACKS=" older-key-1 , oldest-key-2 ")

    assert started.returncode == 0, started.stderr
    assert json.loads(started.stdout) == ["older-key-1", "oldest-key-2"]


def test_no_secret_key_fallbacks_by_default():
    started = start_settings(show="SECRET_KEY_FALLBACKS", SECRET_KEY_FALLBACKS="")

    assert json.loads(started.stdout) == []


def test_a_csp_report_uri_is_added_to_the_policy():
    started = start_settings(show="SECURE_CSP", CSP_REPORT_URI="https://csp.example.org/report")

    assert started.returncode == 0, started.stderr
    assert json.loads(started.stdout)["report-uri"] == ["https://csp.example.org/report"]


def test_the_policy_has_no_report_uri_by_default():
    started = start_settings(show="SECURE_CSP", CSP_REPORT_URI="")

    assert "report-uri" not in json.loads(started.stdout)


@pytest.mark.parametrize(
    ("url", "options"),
    [
        (
            "smtp://mailer:s%40cret@mail.example.org",
            {
                "host": "mail.example.org",
                "port": 25,
                "username": "mailer",
                "password": "s@cret",
                "use_tls": False,
                "use_ssl": False,
            },
        ),
        (
            "smtp+tls://mailer:pw@mail.example.org:587",
            {
                "host": "mail.example.org",
                "port": 587,
                "username": "mailer",
                "password": "pw",
                "use_tls": True,
                "use_ssl": False,
            },
        ),
        (
            "smtp+ssl://mail.example.org?timeout=7.5",
            {
                "host": "mail.example.org",
                "port": 465,
                "username": "",
                "password": "",
                "use_tls": False,
                "use_ssl": True,
                "timeout": 7.5,
            },
        ),
    ],
)
def test_smtp_urls_become_an_smtp_mailer(url, options):
    mailer = mailer_from_url("EMAIL_URL", url, base_dir=ROOT)

    assert mailer == {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}


def test_relative_file_url_writes_eml_files_under_the_project(tmp_path):
    mailer = mailer_from_url("EMAIL_URL", "file://var/mail", base_dir=tmp_path)

    assert mailer == {
        "BACKEND": "core.mail_files.EmlFileBackend",
        "OPTIONS": {"file_path": str(tmp_path / "var" / "mail")},
    }


def test_absolute_file_url_is_used_as_it_is(tmp_path):
    mailer = mailer_from_url("EMAIL_URL", "file:///srv/stadtdialog/mail", base_dir=tmp_path)

    assert mailer["OPTIONS"] == {"file_path": "/srv/stadtdialog/mail"}


def test_console_url_prints_mail():
    mailer = mailer_from_url("EMAIL_URL", "console://", base_dir=ROOT)

    assert mailer == {"BACKEND": "django.core.mail.backends.console.EmailBackend"}


def test_unknown_mail_scheme_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        mailer_from_url("EMAIL_URL", "sendmail://localhost", base_dir=ROOT)
