"""Stadtdialog settings. Everything an operator may change comes from the environment
(`.env` is read by python-dotenv); see `.env.example` for every name and its default."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

from config.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_networks,
    env_origins,
    env_str,
    env_url,
    imap_url,
    mailer_from_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env")

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off. Set SECRET_KEY in the environment or in .env "
            "(for a laptop demo, DEBUG=true uses a development key)."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"
# Earlier keys, newest first, comma-separated: links signed with them (personal links, moderator
# links, sessions) keep working after a key rotation until they are removed here.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000", schemes={"http", "https"})

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    # Before django_tasks_db: its `db_worker` command is ours, one that survives a database restart.
    "core",
    "django_tasks_db",
    "axes",
    # Listed so that /api/docs serves Swagger UI from our static files instead of a CDN.
    "ninja",
    "events",
    "registrations",
    "ideas",
    "live",
    "processes",
    "streaming",
    "reports",
]

MIDDLEWARE = [
    "config.observability.RequestIdMiddleware",
    "config.outage.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "config.i18n.ApiLanguageMiddleware",
    "config.api.ApiErrorMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.api.BearerOnlyApiMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "events.access.AccessMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes asks: turns a locked login into config.login.locked_out's 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# Form fields render with KERN UX markup from templates/django/forms/field.html.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'stadtdialog.sqlite3'}"),
            conn_max_age=60,
        )
    }
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {error}") from error
if not DATABASES["default"]["NAME"]:
    raise ImproperlyConfigured("DATABASE_URL needs a database name, e.g. postgres://user:pass@host:5432/stadtdialog.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A registration waits at most 3 s for a busy seat pool before it gets "busy" (503 with
    # Retry-After); see docs/allocation.md. Set per connection: no SET LOCAL per transaction.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c lock_timeout=3000"
    # A pool per process (psycopg_pool through Django) caps the connections a process holds,
    # whatever its number of threads, and keeps them for longer than
    # CONN_MAX_AGE would. Django requires CONN_MAX_AGE=0 with it. See docs/operations.md.
    DATABASE_POOL_MAX_SIZE = env_int("DATABASE_POOL_MAX_SIZE", 0, minimum=0)
    if DATABASE_POOL_MAX_SIZE:
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": min(2, DATABASE_POOL_MAX_SIZE),
            "max_size": DATABASE_POOL_MAX_SIZE,
            # A request waits this long for a free connection, then answers 503 busy.
            "timeout": env_int("DATABASE_POOL_TIMEOUT", 10, minimum=1),
        }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes every transaction take SQLite's write lock at its start, so two
    # registrations can never both read "one seat left" (see docs/allocation.md).
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 5}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    (BASE_DIR / "var").mkdir(exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# The organisers' own login page; after it, their dashboard (registrations/staff/login.py).
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:dashboard"
# Axes first: it refuses a locked username or client before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates in the British way, as the event page writes them (core/formats/en/formats.py).
FORMAT_MODULE_PATH = ["core.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/kern", NODE_MODULES / "@kern-ux" / "native" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/qr-scanner", NODE_MODULES / "qr-scanner"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Files browsers ask for at the site's root, above all /favicon.ico.
WHITENOISE_ROOT = BASE_DIR / "public"

EMAIL_URL = env_str("EMAIL_URL", "file://var/mail")
MAILERS = {"default": mailer_from_url("EMAIL_URL", EMAIL_URL, base_dir=BASE_DIR)}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Stadtdialog <dialog@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASK_BACKEND_PATHS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "db": "django_tasks_db.DatabaseBackend",
}
TASKS_BACKEND = env_choice("TASKS_BACKEND", "immediate", choices=set(TASK_BACKEND_PATHS))
TASKS = {"default": {"BACKEND": TASK_BACKEND_PATHS[TASKS_BACKEND]}}

INTAKE_IMAP_URL = imap_url("INTAKE_IMAP_URL")

ZOOM_ACCOUNT_ID = env_str("ZOOM_ACCOUNT_ID")
ZOOM_CLIENT_ID = env_str("ZOOM_CLIENT_ID")
ZOOM_CLIENT_SECRET = env_str("ZOOM_CLIENT_SECRET")
ZOOM_WEBHOOK_SECRET = env_str("ZOOM_WEBHOOK_SECRET")
ZOOM_API_URL = env_url("ZOOM_API_URL", "https://api.zoom.us/v2", schemes={"http", "https"})
ZOOM_OAUTH_URL = env_url("ZOOM_OAUTH_URL", "https://zoom.us/oauth/token", schemes={"http", "https"})

CACHE_URL = env_url("CACHE_URL", "locmem://", schemes={"locmem", "redis", "rediss"})
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if CACHE_URL.startswith("locmem")
    else {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        # An unreachable Redis costs a request at most this long before the rate limits give
        # way (core/ratelimit.py fails open), instead of the operating system's TCP timeout.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
# (requests, seconds) per client and purpose; see core/ratelimit.py. Generous, because a
# city hall's Wi-Fi puts many citizens behind one address.
RATE_LIMITS = {
    "register": (30, 60),
    "data_export": (5, 3600),
    # "I can't find my link": per client, and per address (so that no one floods one mailbox
    # from many clients). Both answer 429 for any address, known or not.
    "lost_links": (10, 3600),
    "lost_links_address": (3, 3600),
    "capture": (240, 60),
    # Dot voting: per voter (a registration or a device), and per address generously, because a
    # whole room votes through the venue's one Wi-Fi address.
    "plenum_vote": (30, 60),
    "plenum_vote_client": (600, 60),
    # Joining or following a process or working group (processes/views/participation.py): per
    # client, and per address, so that nobody's inbox is flooded with confirmation requests.
    "subscribe": (20, 3600),
    "subscribe_address": (3, 3600),
    # The live channel, ideas and questions alike (docs/live.md): per client generously (a room
    # shares one Wi-Fi address), per device a budget that no person writing by hand runs into.
    "live_channel_client": (120, 60),
    "live_channel_device": (10, 600),
    # Votes for questions and poll answers (live/views/public.py): per device, per address generously.
    "live_vote": (60, 60),
    "live_vote_client": (1200, 60),
}
# The least time between showing the live channel's form and sending it: scripts are faster.
LIVE_MIN_FILL_SECONDS = env_int("LIVE_MIN_FILL_SECONDS", 3, minimum=0)

# Data protection (docs/privacy.md). Each event has its own retention period (Event.retention_days);
# consent records are kept as evidence this long after the event, then erased too.
CONSENT_EVIDENCE_DAYS = env_int("CONSENT_EVIDENCE_DAYS", 3 * 365, minimum=0)
# Mails that belong to no event (unmatched registration mails, their answers, data access links).
UNASSIGNED_MAIL_RETENTION_DAYS = env_int("UNASSIGNED_MAIL_RETENTION_DAYS", 90, minimum=0)
# How long the link to the data held about an address works.
DATA_ACCESS_LINK_DAYS = env_int("DATA_ACCESS_LINK_DAYS", 7, minimum=1)

# Named on the privacy notice, the imprint and the accessibility statement (feedback contact)
# until the city sets their texts in the admin; empty: the address of DEFAULT_FROM_EMAIL.
CITY_CONTACT_EMAIL = env_str("CITY_CONTACT_EMAIL")

# Strict CSP: no inline scripts or styles anywhere; every asset comes from this host.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    # Only the livestream players, and only after the visitor agreed (streaming/livestream.py).
    "frame-src": ["https://www.youtube-nocookie.com", "https://www.facebook.com"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Where browsers report what the policy blocked (e.g. a collector of the city's monitoring).
CSP_REPORT_URI = env_url("CSP_REPORT_URI", "", schemes={"http", "https"}) if env_str("CSP_REPORT_URI") else ""
if CSP_REPORT_URI:
    SECURE_CSP["report-uri"] = [CSP_REPORT_URI]
X_FRAME_OPTIONS = "DENY"
# The sites that may show a process's list of coming events in a frame (processes/views/public.py,
# `embed`); every other page keeps `frame-ancestors 'none'`.
EMBED_ORIGINS = env_origins("EMBED_ORIGINS")
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and SITE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
# The proxies whose X-Forwarded-For is believed (core/clients.py): the client is the right-most
# address of the chain that is not one of them. Empty: the client is REMOTE_ADDR.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")

# /health (config/health.py): how old things may get before the check fails, in seconds.
HEALTH_MAX_UNSENT_MAIL_AGE = env_int("HEALTH_MAX_UNSENT_MAIL_AGE", 15 * 60)
HEALTH_MAX_FAILED_MAILS = env_int("HEALTH_MAX_FAILED_MAILS", 0)
HEALTH_MAX_INTAKE_AGE = env_int("HEALTH_MAX_INTAKE_AGE", 15 * 60)
HEALTH_MAX_HEARTBEAT_AGE = env_int("HEALTH_MAX_HEARTBEAT_AGE", 5 * 60)
# Off on a laptop, where no worker runs; on in production, where `send_outbox --loop` and the
# db_worker processes must be alive.
HEALTH_EXPECT_WORKERS = env_bool("HEALTH_EXPECT_WORKERS", False)

# Signed personal links (manage, cancel, consent) stop working this many days after their
# event ends, and in any case this many days after they were made; see registrations/links.py.
PERSONAL_LINK_DAYS_AFTER_EVENT = env_int("PERSONAL_LINK_DAYS_AFTER_EVENT", 90, minimum=1)
PERSONAL_LINK_MAX_AGE_DAYS = env_int("PERSONAL_LINK_MAX_AGE_DAYS", 730, minimum=1)

# Failed organiser logins (config/login.py, django-axes): this many failures within the window
# lock the username, and four times as many the client, for the same window.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60, minimum=1)
AXES_HANDLER = "config.login.LoginAttempts"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(seconds=LOGIN_LOCKOUT_SECONDS)
# The lock lasts its time from the last failure before it; knocking while locked does not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.login.login_client_address"
AXES_USERNAME_CALLABLE = "config.login.username_for_lockout"
AXES_LOCKOUT_CALLABLE = "config.login.locked_out"
# Failures are kept (they are the audit trail of the lock); successful logins are not logged.
AXES_DISABLE_ACCESS_LOG = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.observability.RequestIdFilter"}},
    "formatters": {"json": {"()": "config.observability.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", "INFO", choices={"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}),
    },
    # Django's own request logger repeats the path with the query string; ours logs each request once.
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        # One line per task run and state would drown the request lines; failures still show.
        "django.tasks": {"level": "WARNING"},
        # Axes notes each failed login as a warning; its chatter about housekeeping is not needed.
        "axes": {"level": "WARNING"},
        # WeasyPrint (the process report's PDF) logs each step of every PDF, and its font subsetting
        # (fontTools) each table: only problems are wanted.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
