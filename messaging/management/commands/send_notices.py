import contextlib
import signal

from django.core.management.base import BaseCommand

from messaging import notices


class Command(BaseCommand):
    help = ("Send the e-mail notices that are due: with --once what is due now and stop (cron, a systemd "
            "timer), else keep looking every few seconds (a worker of its own). Safe next to Daphne "
            "processes that send them too: each notice is claimed by one.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Send what is due now, then stop.")

    def handle(self, *args, once=False, **options):
        if once:
            checks = notices.send_all_due()
            self.stdout.write(f"{checks} notice check(s) done")
            return
        worker = notices.NoticeWorker()
        # systemd stops a service with SIGTERM: finish the check running now, then stop (a check
        # cut off half-way is run again after its lease anyway).
        signal.signal(signal.SIGTERM, lambda _signum, _frame: worker.stop())
        self.stdout.write("sending e-mail notices as they fall due (stop with Ctrl+C)")
        with contextlib.suppress(KeyboardInterrupt):
            worker.run()
