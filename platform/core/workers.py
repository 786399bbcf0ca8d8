"""A background job that polls the database for due work (messaging's e-mail notices, trajectories'
talk reminders): `send_due()` claims and does a batch (rows claimed with SELECT ... FOR UPDATE SKIP
LOCKED, so any number of processes may run one) and returns how many it claimed.

The worker calls it again at once while a full batch came back, else waits `poll_seconds`. It runs
in a thread of its own (`start`, `stop`; config/asgi.py starts one per Daphne process when
NOTICE_WORKER is on) or in the foreground (`run`: the management commands). Its database work never
runs on an event loop."""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Callable

from django.core.management.base import BaseCommand
from django.db import close_old_connections

logger = logging.getLogger(__name__)


class PollingWorker:
    def __init__(self, *, send_due: Callable[[], int], name: str, batch: int, poll_seconds: float):
        self.send_due, self.name, self.batch, self.poll_seconds = send_due, name, batch, poll_seconds
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> PollingWorker:
        self._thread = threading.Thread(target=self.run, name=self.name, daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float | None = None) -> None:
        """Stop after the batch running now (if any)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run(self) -> None:
        while not self._stopping.is_set():
            claimed = 0
            try:
                claimed = self.send_due()
            except Exception:
                logger.exception("%s: looking for due work failed; trying again in %s s", self.name,
                                 self.poll_seconds)
            finally:
                close_old_connections()
            if claimed < self.batch:
                self._stopping.wait(self.poll_seconds)


class SingleWorker:
    """This process's one worker of a kind, started on the first call."""

    def __init__(self, make: Callable[[], PollingWorker]):
        self.make = make
        self.worker: PollingWorker | None = None
        self.lock = threading.Lock()

    def start(self) -> PollingWorker:
        with self.lock:
            if self.worker is None:
                self.worker = self.make().start()
        return self.worker


class WorkerCommand(BaseCommand):
    """A management command that runs one kind of worker: with --once one round of `once()` and
    stop (cron, a systemd timer), else `make_worker()` in the foreground until Ctrl+C or systemd's
    SIGTERM (which lets the round running now finish). A subclass names what it runs."""

    once_help = "Do what is due now, then stop."
    running = ""  # what the foreground worker prints when it starts
    done = ""  # "{n} ..." printed after --once
    # Set by each subclass (as staticmethods): one round, returning how much it did; the worker.
    once: Callable[[], int]
    make_worker: Callable[[], PollingWorker]

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help=self.once_help)

    def handle(self, *args, once=False, **options):
        if once:
            self.stdout.write(self.done.format(n=self.once()))
            return
        worker = self.make_worker()
        signal.signal(signal.SIGTERM, lambda _signum, _frame: worker.stop())
        self.stdout.write(self.running)
        with contextlib.suppress(KeyboardInterrupt):
            worker.run()
