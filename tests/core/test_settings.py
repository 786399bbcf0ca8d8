"""Settings come from the environment and fail loudly, naming the variable.

Each case starts a fresh process (`manage.py check`) with only the variables it names, so that
the test run's own environment (DEBUG=1, a test SECRET_KEY, DATABASE_URL) does not leak in.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import UserSession as Session  # the engine's model (SESSION_ENGINE)
from tests.accounts.conftest import enter_code, log_in_with_password
from tests.conftest import totp_now

ROOT = Path(__file__).resolve().parents[2]


def production_env() -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "kompas.example.org",
    }


def manage(tmp_path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "VAR_DIR": str(tmp_path),
             "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py, fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
        capture_output=True, text=True, timeout=120, check=False,
    )


def without(env: dict[str, str], *names: str) -> dict[str, str]:
    return {k: v for k, v in env.items() if k not in names}


def test_with_every_production_variable_set_the_deploy_check_passes(tmp_path):
    result = manage(tmp_path, production_env(), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_also_passes_with_redis_and_its_keys(tmp_path):
    env = {**production_env(), "REDIS_URL": "redis://127.0.0.1:6379/0",
           "CHANNEL_ENCRYPTION_KEYS": secrets.token_urlsafe(32), "CSRF_TRUSTED_ORIGINS": "https://kompas.example.org"}
    result = manage(tmp_path, env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr


def test_a_weak_secret_key_fails_the_deploy_check(tmp_path):
    env = {**production_env(), "SECRET_KEY": "short"}
    result = manage(tmp_path, env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("change", "variable"),
    [
        (lambda env: without(env, "SECRET_KEY"), "SECRET_KEY"),
        (lambda env: {**env, "SECRET_KEY": ""}, "SECRET_KEY"),
        (lambda env: {**without(env, "SECRET_KEY"), "SECRET_KEY_FILE": "/nonexistent/secret"},
         "SECRET_KEY_FILE"),
        (lambda env: without(env, "FIELD_ENCRYPTION_KEYS"), "FIELD_ENCRYPTION_KEYS"),
        (lambda env: {**env, "FIELD_ENCRYPTION_KEYS": "not-a-fernet-key"}, "FIELD_ENCRYPTION_KEYS"),
        (lambda env: {**env, "FIELD_ENCRYPTION_KEYS": f"{Fernet.generate_key().decode()},tooshort"},
         "FIELD_ENCRYPTION_KEYS: key 2"),
        (lambda env: {**env, "DEBUG": "maybe"}, "DEBUG"),
        (lambda env: {**env, "DEBUG": "True1"}, "DEBUG"),
        (lambda env: without(env, "ALLOWED_HOSTS"), "ALLOWED_HOSTS"),
        (lambda env: {**env, "CSRF_TRUSTED_ORIGINS": "kompas.example.org"}, "CSRF_TRUSTED_ORIGINS"),
        (lambda env: {**env, "DATABASE_URL": "mysql://kompas@db/kompas"}, "DATABASE_URL"),
        (lambda env: {**env, "REDIS_URL": "http://127.0.0.1:6379"}, "REDIS_URL"),
        (lambda env: {**env, "REDIS_URL": "redis://127.0.0.1:6379/0"}, "CHANNEL_ENCRYPTION_KEYS"),
        (lambda env: {**env, "SESSION_IDLE_TIMEOUT": "half an hour"}, "SESSION_IDLE_TIMEOUT"),
        (lambda env: {**env, "SESSION_ABSOLUTE_TIMEOUT": "10"}, "SESSION_ABSOLUTE_TIMEOUT"),
        (lambda env: {**env, "TRUSTED_DEVICE_DAYS": "0"}, "TRUSTED_DEVICE_DAYS"),
        (lambda env: {**env, "PASSWORD_RESET_TIMEOUT": "two hours"}, "PASSWORD_RESET_TIMEOUT"),
        (lambda env: {**env, "BEHIND_PROXY": "sometimes"}, "BEHIND_PROXY"),
    ],
    ids=["no-secret-key", "empty-secret-key", "unreadable-secret-key-file", "no-field-keys", "bad-field-key",
         "bad-second-field-key", "debug-maybe", "debug-typo", "no-allowed-hosts", "origin-without-scheme",
         "other-database", "redis-scheme", "redis-without-keys", "idle-not-a-number", "absolute-too-short",
         "trusted-device-days-zero", "reset-timeout-not-a-number", "behind-proxy-maybe"],
)
def test_a_missing_or_bad_variable_stops_the_process_naming_it(tmp_path, change, variable):
    result = manage(tmp_path, change(production_env()), "check")
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert variable in last_line


def test_the_process_also_stops_when_settings_are_imported_directly(tmp_path):
    env = {"PATH": os.environ.get("PATH", ""), "VAR_DIR": str(tmp_path), "DEBUG": "0",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG=0" in result.stderr


def test_a_secret_key_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "secret_key"
    secret_file.write_text(secrets.token_urlsafe(60) + "\n")
    env = {**without(production_env(), "SECRET_KEY"), "SECRET_KEY_FILE": str(secret_file)}
    result = manage(tmp_path, env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr


def test_an_empty_database_url_means_the_demo_database_not_a_crash(tmp_path):
    result = manage(tmp_path, {"DEBUG": "1", "DATABASE_URL": ""}, "migrate", "--noinput")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "db.sqlite3").exists()


def test_development_defaults_need_debug_on(tmp_path):
    result = manage(tmp_path, {"DEBUG": "1"}, "check")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key").exists()
    assert (tmp_path / "field_encryption_key").exists()


# -- the test run's own settings ------------------------------------------------------------------


def test_the_channel_layer_follows_redis_url():
    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    if os.environ.get("REDIS_URL"):
        assert backend == "core.layers.RedisPubSubChannelLayer"
        config = settings.CHANNEL_LAYERS["default"]["CONFIG"]
        assert config["prefix"] == os.environ.get("CHANNEL_LAYER_PREFIX", "kompas")
        assert config["symmetric_encryption_keys"]
    else:
        assert backend == "channels.layers.InMemoryChannelLayer"


# -- what the settings cause --------------------------------------------------------------------


def _browser(address: str = "192.0.2.10") -> Client:
    return Client(HTTP_HOST="localhost", REMOTE_ADDR=address)


@pytest.mark.django_db
def test_wrong_passwords_from_many_addresses_add_up_for_new_browsers_of_the_account(alice):
    # One wrong password from each of many addresses: no address comes near its own limit, the
    # account's count for unknown devices does (guessing from many machines). Her trusted devices
    # are not held up by it: tests/accounts/test_throttling.py.
    for n in range(settings.LOGIN_THROTTLE["pw:acct"][0] + 1):
        log_in_with_password(_browser(f"198.51.100.{n + 1}"), alice, password=f"wrong password {n}")
    response = log_in_with_password(_browser("203.0.113.9"), alice)
    assert response.status_code == 429
    assert "Er is te vaak een verkeerd wachtwoord ingevuld." in response.content.decode()


@pytest.mark.django_db
def test_the_session_cookie_is_out_of_reach_of_scripts_and_of_other_sites(alice):
    response = log_in_with_password(_browser(), alice)
    header = response.cookies[settings.SESSION_COOKIE_NAME].output()
    assert header.startswith(f"Set-Cookie: {settings.SESSION_COOKIE_NAME}=")
    assert "; HttpOnly" in header
    assert "; SameSite=Lax" in header


@pytest.mark.django_db
def test_a_session_is_a_database_row_and_removing_it_logs_the_browser_out(alice):
    browser = _browser()
    log_in_with_password(browser, alice)
    enter_code(browser, totp_now(alice.totpdevice_set.get()))
    assert browser.get(reverse("accounts:security")).status_code == 200
    stored = Session.objects.get(session_key=browser.cookies[settings.SESSION_COOKIE_NAME].value)
    assert stored.get_decoded()["_auth_user_id"] == str(alice.pk)

    stored.delete()  # what ending a user's sessions elsewhere (logout, password change) does
    response = browser.get(reverse("accounts:security"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_one_date_format_per_kind_in_each_language():
    from datetime import date, datetime

    from django.utils import formats, translation

    moment = datetime(2026, 12, 3, 15, 41)
    with translation.override("nl"):
        assert formats.date_format(date(2026, 12, 3), "DATE_FORMAT") == "3 december 2026"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "3 december 2026, 15:41"
    with translation.override("en"):
        assert formats.date_format(date(2026, 12, 3), "DATE_FORMAT") == "3 December 2026"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "3 December 2026, 15:41"


@pytest.mark.django_db
def test_a_statement_run_again_and_again_is_prepared_once_on_postgresql():
    """A send's statements run thousands of times: on PostgreSQL each is parsed and planned once a
    connection, not on every call (DATABASE_PREPARE_THRESHOLD, psycopg's prepare_threshold)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    statement = "SELECT count(*) FROM messaging_thread WHERE id = %s"
    with connection.cursor() as cursor:
        for thread_id in range(1, 8):
            cursor.execute(statement, [thread_id])
            assert cursor.fetchone() == (0,)
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("FROM messaging_thread WHERE id = $1" in text for text in prepared), prepared


def test_prepared_statements_can_be_turned_off_for_a_pooler(tmp_path):
    env = {**production_env(), "DATABASE_URL": "postgres://kompas@127.0.0.1:5432/kompas",
           "DATABASE_PREPARE_THRESHOLD": "0"}
    result = manage(tmp_path, env, "shell", "-c",
                    "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])")
    assert result.returncode == 0, result.stderr
    assert "'prepare_threshold': None" in result.stdout
    result = manage(tmp_path, {**env, "DATABASE_PREPARE_THRESHOLD": "five"}, "check")
    assert result.returncode != 0 and "DATABASE_PREPARE_THRESHOLD" in result.stderr
