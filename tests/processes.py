"""Real server processes for tests: Daphne serving the app on the test database, and a Redis of
the test's own (to stop and start at will without touching a Redis that others share).

Used by the browser tests (tests/e2e) and the multi-process and fault tests (tests/messaging).
The processes only see committed data, so tests using them need `transactional_db`, and
PostgreSQL: an SQLite test database cannot be shared with another process.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

REPO_ROOT = Path(__file__).resolve().parents[1]
SERVER_START_TIMEOUT = 30  # seconds until /healthz must answer
SERVER_STOP_TIMEOUT = 10
REDIS_START_TIMEOUT = 10


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require_postgresql(what: str) -> None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip(f"{what} need PostgreSQL (set DATABASE_URL): a server process cannot share an "
                    "SQLite test database with the test process")


def server_database_url() -> str:
    """DATABASE_URL with the database name swapped for the test database pytest-django made."""
    name = settings.DATABASES["default"]["NAME"]
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=SERVER_STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=SERVER_STOP_TIMEOUT)


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen
    log_path: Path

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://", 1) + "/ws/"

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:]) or "(no log)"

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        stop_process(self.process)

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing; what a crash or an OOM kill does."""
        if self.alive():
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=SERVER_STOP_TIMEOUT)


def _wait_until_ready(server: LiveServer) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if not server.alive():
            code = server.process.returncode
            raise RuntimeError(f"Daphne exited with code {code} before it was ready:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=2) as response:  # noqa: S310 (our URL)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            last_error = exc
        time.sleep(0.2)
    raise RuntimeError(
        f"Daphne did not answer /healthz within {SERVER_START_TIMEOUT} s ({last_error}):\n{server.log_tail()}"
    )


def server_environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a process of the app on the test database (a Daphne, a worker command)."""
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(REPO_ROOT / "platform"), str(REPO_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
        ),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": server_database_url(),
        # Short-lived connections: nothing of the server lingers when the test database is dropped.
        "DATABASE_CONN_MAX_AGE": "0",
        "DEBUG": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECRET_KEY": settings.SECRET_KEY,
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "EMAIL_URL": "consolemail://",
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the server keeps Django's async safety checks
    return environment


def start_daphne(log_path: Path, *, env: dict[str, str] | None = None, port: int | None = None) -> LiveServer:
    """A Daphne process serving the app on the test database, ready when this returns. `env`
    overrides the environment (REDIS_URL to give it another Redis)."""
    port = port or free_port()
    environment = server_environment(env)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        process = subprocess.Popen(  # noqa: S603 (fixed command line)
            [
                sys.executable, "-m", "daphne",
                "-b", "127.0.0.1", "-p", str(port),
                "--websocket-max-message-size", str(settings.WS_TRANSPORT_MAX_BYTES),
                "config.asgi:application",
            ],
            cwd=REPO_ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(url=f"http://127.0.0.1:{port}", process=process, log_path=log_path)
    try:
        _wait_until_ready(server)
    except BaseException:
        server.stop()
        raise
    return server


@dataclass
class RedisServer:
    """A redis-server of the test's own, on a free port, without persistence. `stop()` and
    `start()` again on the same port simulate an outage and a restart (with empty memory)."""

    port: int
    log_path: Path
    process: subprocess.Popen | None = field(default=None)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        executable = os.environ.get("REDIS_SERVER") or shutil.which("redis-server")
        if not executable:
            pytest.skip("no redis-server on this machine (set REDIS_SERVER)")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 (fixed command line)
                [executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--daemonize", "no"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + REDIS_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with code {self.process.returncode}: "
                                   f"{self.log_path.read_text(errors='replace')[-2000:]}")
            if self.ping():
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not answer PING within {REDIS_START_TIMEOUT} s")

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGCONT)  # a frozen server cannot act on SIGTERM
            stop_process(self.process)
            self.process = None

    def freeze(self) -> None:
        """SIGSTOP: connections stay open but nothing is answered (a hung server, a partition)."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)


def start_redis(log_path: Path) -> RedisServer:
    return RedisServer(port=free_port(), log_path=log_path).start()
