"""Reading settings from the environment.

Every reader names the variable in its error, so that a typo in an operator's `.env` stops
start-up with a message that says where to look instead of failing later in a request.
"""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

from core.clients import parse_networks

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    """A blank value means the default: `.env.example` lists every name with nothing after `=`."""
    return os.environ.get(name, "").strip() or default


def env_bool(name: str, default: bool) -> bool:
    word = env_str(name).lower()
    if not word:
        return default
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no, not {word!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = env_str(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from error
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {raw!r}.")
    return value


def env_choice(name: str, default: str, *, choices: set[str]) -> str:
    value = env_str(name, default)
    if value not in choices:
        allowed = ", ".join(sorted(choices))
        raise ImproperlyConfigured(f"{name} must be one of {allowed}, not {value!r}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env_str(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str) -> list:
    """Comma-separated IP addresses or networks (`10.0.0.1, 192.168.0.0/16, ::1`); empty: none."""
    try:
        return parse_networks(env_str(name))
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must list IP addresses or networks, comma-separated: {error}.") from error


def env_origins(name: str) -> list[str]:
    """Comma-separated web origins (`https://www.example.de, https://intranet.example.de:8443`),
    each a scheme and a host with no path; empty: none."""
    origins = []
    for item in env_list(name, []):
        parts = urlsplit(item)
        if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path.strip("/") or parts.query:
            raise ImproperlyConfigured(f"{name} must list origins such as https://www.example.de, not {item!r}.")
        origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins


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
        port = url_port(name, parts, default={"smtp": 25, "smtp+tls": 587, "smtp+ssl": 465}[scheme])
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
        return {"BACKEND": "core.mail_files.EmlFileBackend", "OPTIONS": {"file_path": full_path}}
    if scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    raise ImproperlyConfigured(
        f"{name} must start with smtp://, smtp+tls://, smtp+ssl://, file://, console:// or locmem://, not {url!r}."
    )


def imap_url(name: str) -> str:
    value = env_str(name)
    if not value:
        return value
    parts = urlsplit(value)
    if parts.scheme not in {"imap", "imaps"}:
        raise ImproperlyConfigured(f"{name} must start with imap:// or imaps://, not {value!r}.")
    if not parts.hostname:
        raise ImproperlyConfigured(f"{name} needs a host, e.g. imaps://user:pass@mail.example.org:993/INBOX.")
    url_port(name, parts, default=993 if parts.scheme == "imaps" else 143)
    return value


def url_port(name: str, parts, *, default: int) -> int:
    # urlsplit() checks the port only when it is read, so a typo would otherwise surface at the
    # first connection instead of at start-up.
    try:
        return parts.port or default
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} has an invalid port: {error}.") from error
