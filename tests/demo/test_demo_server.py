"""The demo as `make run` starts it: the Makefile's own environment (DEMO=1), a fresh var/ directory,
a real Daphne. It shows the project's own 404 and 500 pages (not Django's debug pages), serves
/favicon.ico and the static files, and says before the install that it takes a minute or two."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.processes import free_port, stop_process

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60


def make_run_env() -> dict[str, str]:
    """The variables `make run` sets (DEMO_ENV in the Makefile), read from the Makefile itself."""
    line = re.search(r"^DEMO_ENV\s*:=\s*(.*)$", (ROOT / "Makefile").read_text(), re.M).group(1)
    return dict(part.split("=", 1) for part in line.split())


def demo_env(var_dir: Path) -> dict[str, str]:
    # Only what a newcomer's shell has: none of the test run's own settings (DEBUG=1, a test
    # SECRET_KEY, DATABASE_URL, REDIS_URL) leak in.
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "VAR_DIR": str(var_dir),
            "PYTHONDONTWRITEBYTECODE": "1", **make_run_env()}


def run_python(var_dir: Path, code: str) -> dict:
    """Run `code` in a fresh process with the demo's settings; it prints one JSON object."""
    env = {**demo_env(var_dir), "PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", "import django; django.setup()\n" + code], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own local server
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def test_make_run_uses_the_demo_defaults_with_django_debug_off(tmp_path):
    assert make_run_env() == {"DEMO": "1"}
    seen = run_python(tmp_path, (
        "import json; from django.conf import settings\n"
        "print(json.dumps({'debug': settings.DEBUG, 'engine': settings.DATABASES['default']['ENGINE'],"
        " 'email': settings.EMAIL_BACKEND, 'ssl': getattr(settings, 'SECURE_SSL_REDIRECT', False),"
        " 'hosts': settings.ALLOWED_HOSTS, 'channels': settings.CHANNEL_LAYERS['default']['BACKEND']}))"
    ))
    assert seen == {"debug": False, "engine": "django.db.backends.sqlite3",
                    "email": "django.core.mail.backends.console.EmailBackend", "ssl": False,
                    "hosts": ["127.0.0.1", "localhost"], "channels": "channels.layers.InMemoryChannelLayer"}
    assert (tmp_path / "secret_key").exists()  # made once, kept for the next start
    assert (tmp_path / "field_encryption_key").exists()


def test_an_unexpected_error_in_the_demo_shows_the_projects_own_500_page(tmp_path):
    seen = run_python(tmp_path, (
        "import json\n"
        "from django.test import Client, override_settings\n"
        "with override_settings(ROOT_URLCONF='tests.demo.error_urls'):\n"
        "    response = Client(raise_request_exception=False, HTTP_HOST='127.0.0.1').get('/stuk/')\n"
        "print(json.dumps({'status': response.status_code, 'body': response.content.decode()}))"
    ))
    assert seen["status"] == 500
    assert "Er ging bij ons iets mis" in seen["body"]
    assert "Er is niets van jou verloren gegaan." in seen["body"]
    assert "Traceback" not in seen["body"]
    assert "on purpose" not in seen["body"]  # nothing of the error reaches the browser


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """migrate, seed_demo and Daphne, as `make run` runs them, on a free port: (url, what seed_demo
    printed, the demo's var directory)."""
    tmp_path = tmp_path_factory.mktemp("demo")
    env = demo_env(tmp_path)
    printed = ""
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py, fixed arguments
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True,
            timeout=300, check=False)
        assert done.returncode == 0, done.stderr
        printed = done.stdout
    port = free_port()
    log = (tmp_path / "daphne.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own daphne, fixed arguments
        [str(Path(sys.executable).parent / "daphne"), "-b", "127.0.0.1", "-p", str(port),
         "config.asgi:application"], cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT / "platform")},
        stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while fetch_or_none(f"{url}/healthz") != 200:
            assert process.poll() is None, (tmp_path / "daphne.log").read_text()
            assert time.monotonic() < deadline, "the demo server did not start"
            time.sleep(0.2)
        yield url, printed, tmp_path
    finally:
        stop_process(process)
        log.close()


def fetch_or_none(url: str) -> int | None:
    try:
        return fetch(url)[0]
    except OSError:
        return None


def test_the_demo_server_shows_its_own_404_page_serves_the_favicon_and_static_files(demo_server):
    url, _printed, _var = demo_server

    status, content_type, body = fetch(f"{url}/bestaat-niet/")
    assert status == 404
    assert content_type.startswith("text/html")
    assert "Deze pagina is er niet" in body.decode()
    assert "URLconf" not in body.decode()  # Django's debug page names the URLconf it tried

    status, content_type, body = fetch(f"{url}/favicon.ico")
    assert (status, content_type) == (200, "image/x-icon")
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file

    status, content_type, _body = fetch(f"{url}/static/css/app.css")
    assert status == 200
    assert content_type.startswith("text/css")
    status, content_type, _body = fetch(f"{url}/static/icons/favicon.svg")
    assert (status, content_type) == (200, "image/svg+xml")

    status, _content_type, body = fetch(f"{url}/login/")
    assert status == 200
    assert 'href="/favicon.ico"' in body.decode()


def test_the_demo_prints_that_the_first_login_needs_an_authenticator_app(demo_server):
    _url, printed, _var = demo_server
    assert "The first login of each account needs an authenticator app on your phone" in printed
    for email in ("anouk.bakker@example.org", "sanne.devries@example.org", "mark.jansen@example.org",
                  "joris.smit@example.org", "ria.devries@example.org"):
        assert email in printed


def test_the_demos_database_keeps_each_sent_message_its_own_tone_assessment(demo_server):
    """On SQLite (the demo) the tone assessments of a batch of sends are stored after the messages,
    not in their statement as on PostgreSQL: each still belongs to its own message."""
    _url, _printed, var_dir = demo_server
    seen = run_python(var_dir, (
        "import json, uuid\n"
        "from families.models import Membership, Role\n"
        "from messaging.models import Thread\n"
        "from messaging.services import messages_send\n"
        "from moderation.models import MessageTone\n"
        "from moderation.tone import assess\n"
        "one, other = [m.user for m in Membership.objects.active().filter(role=Role.PARENT).order_by('pk')]\n"
        "thread = Thread.objects.get(kind=Thread.Kind.PARENTS)\n"
        "bodies = [(one, 'Je bent een waardeloze vader en dat weet iedereen.'),\n"
        "          (other, 'Ik haal Noor vrijdag om vijf uur op bij school, is dat goed?'),\n"
        "          (one, 'WAAROM ANTWOORD JE NIET!!!')]\n"
        "results = messages_send(sends=[{'sender': u, 'thread_id': thread.pk, 'body': b,\n"
        "                                'client_id': str(uuid.uuid4())} for u, b in bodies])\n"
        "rows = []\n"
        "for message, created in results:\n"
        "    tone = MessageTone.objects.get(message_id=message.pk)\n"
        "    rows.append([message.body, tone.sender_id == message.sender_id,\n"
        "                 tone.sent_at == message.sent_at, tone.level, assess(message.body).level])\n"
        "print(json.dumps(rows))"
    ))
    assert [row[0] for row in seen] == ["Je bent een waardeloze vader en dat weet iedereen.",
                                        "Ik haal Noor vrijdag om vijf uur op bij school, is dat goed?",
                                        "WAAROM ANTWOORD JE NIET!!!"]
    for _body, same_sender, same_time, level, expected in seen:
        assert (same_sender, same_time, level) == (True, True, expected)
    assert len({row[3] for row in seen}) == 3  # three different levels: a mix-up would show


def _make_dry_run(venv: Path) -> list[str]:
    result = subprocess.run(["make", "-n", "run", f"VENV={venv}"], cwd=ROOT,  # noqa: S603, S607
                            capture_output=True, text=True, timeout=60, check=True)
    return result.stdout.splitlines()


def test_make_says_the_install_takes_a_minute_or_two_before_installing(tmp_path):
    lines = _make_dry_run(tmp_path / "fresh-venv")
    said = next(i for i, line in enumerate(lines) if "a minute or two" in line)
    installs = next(i for i, line in enumerate(lines) if "pip install" in line)
    assert lines[said].startswith("echo ")
    assert said < installs


def test_make_says_nothing_about_installing_when_nothing_is_installed(tmp_path):
    venv = tmp_path / "ready-venv"
    venv.mkdir()
    (venv / ".installed").touch()  # newer than pyproject.toml: nothing to install

    lines = _make_dry_run(venv)

    assert not any("a minute or two" in line or "pip install" in line for line in lines)
    assert any("seed_demo" in line for line in lines)


def test_a_bad_demo_value_stops_the_process_naming_it(tmp_path):
    env = {**demo_env(tmp_path), "DEMO": "maybe"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py, fixed arguments
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=False)
    assert result.returncode != 0
    assert "DEMO must be 1 or 0" in result.stderr.strip().splitlines()[-1]
