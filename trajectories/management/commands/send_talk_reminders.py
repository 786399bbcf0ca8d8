import contextlib
import signal

from django.core.management.base import BaseCommand

from trajectories import reminders


class Command(BaseCommand):
    help = (
        "Send the talk reminders that are due (the evening before a talk): with --once what is due now "
        "and stop (cron, a systemd timer), else keep looking (a worker of its own). Safe next to Daphne "
        "processes that send them too: each reminder is claimed by one, and nobody is mailed twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Send what is due now, then stop.")

    def handle(self, *args, once=False, **options):
        if once:
            claimed = reminders.send_all_due()
            self.stdout.write(f"{claimed} talk reminder(s) handled")
            return
        worker = reminders.ReminderWorker()
        signal.signal(signal.SIGTERM, lambda _signum, _frame: worker.stop())
        self.stdout.write("sending talk reminders as they fall due (stop with Ctrl+C)")
        with contextlib.suppress(KeyboardInterrupt):
            worker.run()
