"""The one settings module. Everything comes from the environment (see .env.example).

Development defaults apply only with DEBUG=1 or DEMO=1; otherwise a missing secret stops the
process at start with a message naming the variable. DEMO=1 (what `make run` uses) is the demo as
a user meets it: the same embedded defaults as DEBUG=1 (SQLite, generated secrets under var/,
e-mail on the console, plain HTTP on 127.0.0.1, static files from static/) with Django's DEBUG off,
so a missing page or an error shows the project's own 404 and 500 pages, not Django's debug pages.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

import environ
from cryptography.fernet import Fernet
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(env_str("VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)
DEMO = env_bool("DEMO", False)
# The embedded development and demo defaults (never in production).
DEV_DEFAULTS = DEBUG or DEMO
SITE_NAME = env_str("SITE_NAME", "Kompas")


def _demo_secret(filename: str, make) -> str:
    """Development only: a secret generated once into var/, so restarts keep sessions and data readable."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / filename
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEV_DEFAULTS:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=0.")
    SECRET_KEY = _demo_secret("secret_key", lambda: secrets.token_urlsafe(50))

# Key ring for encryption at rest: comma-separated Fernet keys, newest first.
_raw_field_keys = env_list("FIELD_ENCRYPTION_KEYS")
if not _raw_field_keys:
    if not DEV_DEFAULTS:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be set when DEBUG=0 (comma-separated Fernet keys, newest first). "
            'Make one with: python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"'
        )
    _raw_field_keys = [_demo_secret("field_encryption_key", lambda: Fernet.generate_key().decode())]
for _position, _key in enumerate(_raw_field_keys, start=1):
    try:
        Fernet(_key)
    except ValueError:
        raise ImproperlyConfigured(
            f"FIELD_ENCRYPTION_KEYS: key {_position} is not a valid Fernet key (32 url-safe base64 bytes)."
        ) from None
FIELD_ENCRYPTION_KEYS: list[str] = _raw_field_keys

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEV_DEFAULTS else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name at least one host (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"CSRF_TRUSTED_ORIGINS entries need a scheme (got {_origin!r}).")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "core",
    "accounts",
    "families",
    "audit",
    "vault",
    "messaging",
    "parentingplan",
    "moderation",
    "trajectories",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Response headers for every response, including the login redirects made further in.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.PrivateCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before SessionLimitsMiddleware, which tells the user why their session ended.
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.RequireVerifiedMiddleware",
    # NotFound and PermissionDenied from a service become the 404 and 403 pages, here only.
    "core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "core.context_processors.site",
            ],
        },
    }
]

# Database: DATABASE_URL (postgres://... in production and tests), a SQLite file for the demo.
_env = environ.Env()
_database_url = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"  # empty = not set
try:
    DATABASES = {"default": environ.Env.db_url_config(_database_url)}
except (environ.ImproperlyConfigured, KeyError, ValueError) as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if DATABASES["default"].get("ENGINE") not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
    raise ImproperlyConfigured("DATABASE_URL must be postgres://... or sqlite:///...")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Sockets and the e-mail worker write from several threads. BEGIN IMMEDIATE takes the write
    # lock up front, so a transaction waits for the timeout instead of failing when it turns
    # from reading to writing; the test database is a file, because the in-memory one shares a
    # cache whose table locks fail at once ("database table is locked") instead of waiting.
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", str(VAR_DIR / "test.sqlite3"))
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Parameters travel apart from the statement (psycopg 3's server-side binding) instead of being
    # quoted into its text in Python: tests/perf saw that quoting take a tenth of the chat's
    # interpreter time (psycopg's PostgresClientQuery).
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
    # A statement a connection runs for the fifth time becomes a prepared statement (psycopg's own
    # default, which Django turns off): PostgreSQL then stops parsing and planning it on every call.
    # A chat send's three statements were planned each time, 0.4-0.6 ms of PostgreSQL's CPU a send;
    # prepared, its backend used 1.65-1.94 ms a send instead of 2.87-3.39 (docs/OPERATIONS.md). Not
    # for a pooler in transaction mode (PgBouncer before 1.21): set DATABASE_PREPARE_THRESHOLD=0.
    _prepare = env_int("DATABASE_PREPARE_THRESHOLD", 5, minimum=0)
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = _prepare or None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Channel layer: in memory for the demo (one process); Redis pub/sub when REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL")
_channel_keys = env_list("CHANNEL_ENCRYPTION_KEYS")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"REDIS_URL must start with redis://, rediss:// or unix:// (got {REDIS_URL!r})."
        )
    if not _channel_keys:
        if not DEV_DEFAULTS:
            raise ImproperlyConfigured(
                "CHANNEL_ENCRYPTION_KEYS must be set when REDIS_URL is set and DEBUG=0."
            )
        # Development and tests: derived from SECRET_KEY so every local process agrees on it.
        _channel_keys = [hashlib.sha256(f"channel-layer:{SECRET_KEY}".encode()).hexdigest()]
    CHANNEL_LAYERS = {
        "default": {
            # channels_redis pub/sub with lock-free publishes and a deadline on every Redis call, so
            # sockets keep working (not live) while Redis is away: see core/layers.py.
            "BACKEND": "core.layers.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        # redis-py 8 defaults (100 connections, 5 s timeout equal to the blocking
                        # read) break consumers under load: see ../shared/LIBRARIES.md.
                        "max_connections": env_int("REDIS_MAX_CONNECTIONS", 2000, minimum=10),
                        "socket_timeout": 30,
                        "socket_connect_timeout": 5,
                        "health_check_interval": 15,
                    }
                ],
                "symmetric_encryption_keys": _channel_keys,
                # AES-GCM instead of the stock Fernet: the same protection, a sixteenth of the CPU.
                "serializer_format": "kompas-aesgcm",
                # Redis pub/sub ignores database numbers: separate deployments (or parallel test
                # runs) sharing one Redis need their own prefix.
                "prefix": env_str("CHANNEL_LAYER_PREFIX", "kompas"),
                "timeout": 3,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "display_name")},
    },
    {"NAME": "accounts.passwords.NameInPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "families:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: in the database, so that logout or a password change can end a user's other sessions;
# Django's database engine on accounts.UserSession, whose rows name their user and device (the
# account page lists them and signs a device out).
SESSION_ENGINE = "accounts.session_store"
# In seconds: idle is the time without a request, absolute the time since login.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60, minimum=60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 12 * 60 * 60, minimum=300)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "kompas_session"
CSRF_COOKIE_HTTPONLY = True

# Second factor (django-otp). Its own per-device back-off is off (factor 0): the authenticator is
# the same for every browser, so a stranger's wrong codes would block the parent's right ones.
# accounts.throttle counts wrong codes per trusted device, reset link, or account and address.
OTP_TOTP_ISSUER = SITE_NAME
OTP_TOTP_THROTTLE_FACTOR = 0
BACKUP_CODE_COUNT = 10

# Login throttling (accounts.throttle; docs/ARCHITECTURE.md "Login throttling" says why). Per kind
# of key: (free failures, first wait in s, longest wait in s, count forgotten after s without one).
# "pw" wrong passwords, "otp" wrong codes, "mail" password-reset mails asked for.
LOGIN_THROTTLE = {
    "pw:device": (10, 60, 15 * 60, 24 * 3600),  # a trusted device: only its own failures
    "pw:acct-addr": (5, 60, 60 * 60, 24 * 3600),  # unknown device: this account from this address
    "pw:acct": (20, 60, 60 * 60, 24 * 3600),  # unknown devices: this account from anywhere
    "pw:addr": (50, 60, 60 * 60, 24 * 3600),  # unknown devices: any account from this address
    "otp:device": (5, 60, 15 * 60, 24 * 3600),
    "otp:mail": (5, 60, 15 * 60, 24 * 3600),  # a session that came in through a reset link
    "otp:acct-addr": (5, 60, 60 * 60, 24 * 3600),
    "otp:acct": (10, 60, 60 * 60, 24 * 3600),
    "mail:device": (3, 60 * 60, 60 * 60, 60 * 60),  # about three mails an hour
    "mail:acct": (3, 60 * 60, 60 * 60, 60 * 60),
    "mail:addr": (10, 60 * 60, 60 * 60, 60 * 60),
}
LOGIN_THROTTLE_KEEP_DAYS = 7
# A browser that completed both factors is a trusted device this long after its last such login.
TRUSTED_DEVICE_COOKIE_NAME = "kompas_device"
TRUSTED_DEVICE_DAYS = env_int("TRUSTED_DEVICE_DAYS", 180, minimum=1)
# A password-reset link works this long (and once).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 2 * 3600, minimum=600)

# Internationalisation: Dutch first, English second; each user picks their own.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "kompas_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Amsterdam"
# One date format per kind in each language (config/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or VAR_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEV_DEFAULTS
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# The development and demo defaults serve static/ as it is (no collectstatic step); with DEBUG off
# (the demo) WhiteNoise indexes it once at start.
WHITENOISE_USE_FINDERS = DEV_DEFAULTS
# /favicon.ico and other files browsers ask for at the root of the site.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
if DEV_DEFAULTS:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns at start when it is missing

# E-mail: EMAIL_URL such as smtp+tls://user:password@host:587; the console in development.
try:
    _email = _env.email_url("EMAIL_URL", default="consolemail://" if DEV_DEFAULTS else "smtp://localhost:25")
except (environ.ImproperlyConfigured, KeyError, ValueError) as exc:
    raise ImproperlyConfigured(f"EMAIL_URL is not a valid e-mail URL: {exc}") from None
globals().update(_email)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that hangs must not hold a notice worker (or a request) for ever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
INVITATION_VALID_DAYS = 7
# A link confirming a new e-mail address (sent to that address) works this long, once.
EMAIL_CHANGE_VALID_HOURS = 24
# Who answers questions about personal data (the organisation running Kompas): an e-mail address
# or a short line, shown on the privacy page. Empty: the page tells people to ask their practitioner.
PRIVACY_CONTACT = env_str("PRIVACY_CONTACT", "")
# New-message e-mail notices are checked this long after a thread's first unseen message, once
# for all messages meanwhile (messaging.notices); 0 checks every message at once.
NOTICE_DELAY_SECONDS = env_int("NOTICE_DELAY_SECONDS", 30, minimum=0)
# Every Daphne process sends the notices and the talk reminders that fall due (a thread each); off
# in the tests, which start one where they need it. manage.py send_notices and
# send_talk_reminders are the workers for other setups.
NOTICE_WORKER = env_bool("NOTICE_WORKER", True)
# The address people reach the site on, for links in e-mails sent outside a request.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEV_DEFAULTS else f"https://{ALLOWED_HOSTS[0]}")

# Security headers. The Content-Security-Policy allows no inline script; every script is a file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEV_DEFAULTS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    if env_bool("BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# WebSocket abuse limits. A frame over WS_MAX_FRAME_BYTES gets a too_large error frame and the
# socket closes with 4009 (docs/PROTOCOL.md). Daphne is started with the larger
# WS_TRANSPORT_MAX_BYTES as --websocket-max-message-size, so that the application sees such frames
# and can say why; only beyond that does the transport close the socket itself (1009).
WS_MAX_FRAME_BYTES = 64 * 1024
WS_TRANSPORT_MAX_BYTES = 1024 * 1024
# Every open socket verifies its session (limits, account active, password unchanged, device still
# there) and lets its features re-check access this often, also when every live event was lost.
SOCKET_CHECK_SECONDS = env_int("SOCKET_CHECK_SECONDS", 15, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "daphne": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

CSRF_FAILURE_VIEW = "core.views.csrf_failure"

