from core.workers import WorkerCommand
from messaging import notices


class Command(WorkerCommand):
    help = ("Send the e-mail notices that are due: with --once what is due now and stop (cron, a systemd "
            "timer), else keep looking every few seconds (a worker of its own). Safe next to Daphne "
            "processes that send them too: each notice is claimed by one.")
    once_help = "Send what is due now, then stop."
    running = "sending e-mail notices as they fall due (stop with Ctrl+C)"
    done = "{n} notice check(s) done"

    once = staticmethod(notices.send_all_due)
    make_worker = staticmethod(notices.NoticeWorker)
