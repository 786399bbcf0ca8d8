from core.workers import WorkerCommand
from moderation import policy


class Command(WorkerCommand):
    help = ("Raise the alerts for repeated hostility and night bursts: with --once one look at who wrote "
            "since the last look, else a look every few seconds (a worker of its own). Safe next to "
            "Daphne processes that look too: one looks at a time.")
    once_help = "Look once, then stop."
    running = "raising alerts as they fall due (stop with Ctrl+C)"
    done = "{n} sender(s) checked"

    once = staticmethod(policy.alerts_scan)
    make_worker = staticmethod(policy.AlertWorker)
