"""The alert worker as production runs it: `manage.py watch_alerts`, a process of its own on the
(test) database. It raises the alert for what parents sent before it started, and stops cleanly on
systemd's SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from messaging.services import message_send
from moderation.models import Alert
from tests.moderation.conftest import new_id
from tests.processes import REPO_ROOT, require_postgresql, server_environment

HOSTILE = "Je bent een waardeloze vader en dat weet iedereen."


@pytest.mark.django_db(transaction=True)
def test_watch_alerts_raises_in_its_own_process_and_stops_on_sigterm(family, threads, alice, carol, tmp_path):
    require_postgresql("worker processes")
    for _ in range(3):
        message_send(sender=alice, thread_id=threads["parents"].pk, body=HOSTILE, client_id=new_id())
    log_path = tmp_path / "watch_alerts.log"
    with open(log_path, "wb") as log:
        worker = subprocess.Popen(  # noqa: S603 (fixed command line)
            [sys.executable, str(REPO_ROOT / "manage.py"), "watch_alerts"],
            cwd=REPO_ROOT, env=server_environment(), stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while not Alert.objects.exists() and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.2)
        assert list(Alert.objects.values_list("kind", "subject_id")) == [("hostile_repeated", alice.pk)], (
            log_path.read_text())
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=15) == 0, log_path.read_text()
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert "raising alerts as they fall due" in log_path.read_text()
