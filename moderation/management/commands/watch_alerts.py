import contextlib
import signal

from django.core.management.base import BaseCommand

from moderation import policy


class Command(BaseCommand):
    help = ("Raise the alerts for repeated hostility and night bursts: with --once one look at who wrote "
            "since the last look, else a look every few seconds (a worker of its own). Safe next to "
            "Daphne processes that look too: one looks at a time.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Look once, then stop.")

    def handle(self, *args, once=False, **options):
        if once:
            checked = policy.alerts_scan()
            self.stdout.write(f"{checked} sender(s) checked")
            return
        worker = policy.AlertWorker()
        # systemd stops a service with SIGTERM: finish the look running now, then stop.
        signal.signal(signal.SIGTERM, lambda _signum, _frame: worker.stop())
        self.stdout.write("raising alerts as they fall due (stop with Ctrl+C)")
        with contextlib.suppress(KeyboardInterrupt):
            worker.run()
