"""Reading settings from the environment.

Every reader names the variable in its error, so that a typo in an operator's `.env` stops
start-up with a message that says where to look instead of failing later in a request.
"""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no, not {raw!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, default: str, *, schemes: set[str]) -> str:
    value = env_str(name, default)
    parts = urlsplit(value)
    if parts.scheme not in schemes or (parts.scheme.startswith("http") and not parts.netloc):
        allowed = ", ".join(sorted(schemes))
        raise ImproperlyConfigured(f"{name} must be a URL starting with one of {allowed}, not {value!r}.")
    return value.rstrip("/")


def mailer_from_url(name: str, url: str, *, base_dir) -> dict:
    """Turn EMAIL_URL into a Django 6.1 MAILERS entry."""
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme in {"smtp", "smtp+tls", "smtp+ssl"}:
        if not parts.hostname:
            raise ImproperlyConfigured(f"{name} needs a host, e.g. smtp://user:pass@mail.example.org:587.")
        try:
            port = parts.port or {"smtp": 25, "smtp+tls": 587, "smtp+ssl": 465}[scheme]
        except ValueError as error:
            raise ImproperlyConfigured(f"{name} has an invalid port: {error}.") from error
        options = {
            "host": parts.hostname,
            "port": port,
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": scheme == "smtp+tls",
            "use_ssl": scheme == "smtp+ssl",
        }
        query = parse_qs(parts.query)
        if "timeout" in query:
            try:
                options["timeout"] = float(query["timeout"][0])
            except ValueError as error:
                raise ImproperlyConfigured(f"{name} has an invalid timeout.") from error
        return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
    if scheme == "file":
        path = (parts.netloc + parts.path) or "var/mail"
        full_path = path if path.startswith("/") else str(base_dir / path)
        return {"BACKEND": "django.core.mail.backends.filebased.EmailBackend", "OPTIONS": {"file_path": full_path}}
    if scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    raise ImproperlyConfigured(
        f"{name} must start with smtp://, smtp+tls://, smtp+ssl://, file://, console:// or locmem://, not {url!r}."
    )


def imap_url(name: str) -> str:
    value = env_str(name)
    if value and urlsplit(value).scheme not in {"imap", "imaps"}:
        raise ImproperlyConfigured(f"{name} must start with imap:// or imaps://, not {value!r}.")
    return value


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = env_str(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least {minimum}, not {raw!r}.")
    return value
