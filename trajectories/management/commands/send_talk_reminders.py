from core.workers import WorkerCommand
from trajectories import reminders


class Command(WorkerCommand):
    help = (
        "Send the talk reminders that are due (the evening before a talk): with --once what is due now "
        "and stop (cron, a systemd timer), else keep looking (a worker of its own). Safe next to Daphne "
        "processes that send them too: each reminder is claimed by one, and nobody is mailed twice."
    )
    once_help = "Send what is due now, then stop."
    running = "sending talk reminders as they fall due (stop with Ctrl+C)"
    done = "{n} talk reminder(s) handled"

    once = staticmethod(reminders.send_all_due)
    make_worker = staticmethod(reminders.ReminderWorker)
