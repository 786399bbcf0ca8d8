"""`manage.py verify_reports`: recompute every shared report's hash and its responses' chain from
the database (docs/VERIFYING.md, "Reports") and name each that does not fit."""

from django.core.management.base import BaseCommand, CommandError

from trajectories.models import ReportShare
from trajectories.reports import shared_report
from vault.keyring import DecryptionError


class Command(BaseCommand):
    help = "Check every shared report's content hash and the hash chain of its responses."

    def handle(self, *args, **options):
        broken = 0
        for share in ReportShare.objects.select_related("trajectory").order_by("pk"):
            try:
                report = shared_report(share)
            except DecryptionError:
                broken += 1
                self.stdout.write(
                    self.style.ERROR(
                        f"report {share.report_id}: BROKEN: cannot be decrypted (altered ciphertext?)"
                    )
                )
                continue
            if not report.verified:
                broken += 1
                self.stdout.write(
                    self.style.ERROR(f"report {share.report_id}: BROKEN: the hash does not match the content")
                )
            elif not report.responses_verified:
                broken += 1
                self.stdout.write(
                    self.style.ERROR(f"report {share.report_id}: BROKEN: a response does not fit the chain")
                )
            else:
                self.stdout.write(
                    f"report {share.report_id}: ok, {len(report.responses)} responses, {share.content_hash}"
                )
        if broken:
            raise CommandError(f"{broken} report(s) failed verification")
        self.stdout.write(self.style.SUCCESS("all reports verified"))
