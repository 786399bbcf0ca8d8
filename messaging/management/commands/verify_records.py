from django.core.management.base import BaseCommand, CommandError

from messaging import extensions
from messaging.models import Thread
from messaging.records import verify_thread


class Command(BaseCommand):
    help = ("Check every thread's hash chain (or one with --thread) and name the first broken seq; "
            "and the moderation records of each thread (drafts, decisions, relays).")

    def add_arguments(self, parser):
        parser.add_argument("--thread", type=int, help="Only this thread id.")

    def handle(self, *args, thread=None, **options):
        threads = Thread.objects.order_by("pk")
        if thread is not None:
            threads = threads.filter(pk=thread)
            if not threads.exists():
                raise CommandError(f"thread {thread} does not exist")
        broken = 0
        for item in threads.select_related("family"):
            report = verify_thread(item)
            if report.ok:
                self.stdout.write(f"thread {item.pk}: ok, {report.count} messages, head {report.head}")
            else:
                broken += 1
                self.stdout.write(self.style.ERROR(
                    f"thread {item.pk}: BROKEN at seq {report.first_broken_seq}: {report.problem}"))
            # The records registered extensions keep about the thread (moderation: drafts, decisions,
            # relays, each with its own hash and its links to the thread's messages).
            problems = extensions.verify(item)
            for problem in problems:
                self.stdout.write(self.style.ERROR(f"thread {item.pk}: BROKEN: {problem}"))
            broken += bool(problems) and report.ok
        if broken:
            raise CommandError(f"{broken} thread(s) failed verification")
        self.stdout.write(self.style.SUCCESS("all chains verified"))
