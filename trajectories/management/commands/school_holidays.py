from datetime import date

from django.core.management.base import BaseCommand, CommandError

from trajectories.models import Region
from trajectories.schoolholidays import holiday_periods, unknown_school_years


class Command(BaseCommand):
    help = (
        "Print the school holidays in force per region for a school year (from the holidays library, or "
        "the periods an administrator entered for that year, which replace the library's)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "school_year", type=int, help="The year the school year starts in: 2026 for 2026-2027."
        )

    def handle(self, *args, school_year: int, **options):
        if not 2000 <= school_year <= 2100:
            raise CommandError("school_year: a year such as 2026")
        first, last = date(school_year, 8, 1), date(school_year + 1, 7, 31)
        for region, label in Region.choices:
            self.stdout.write(f"{label} ({region}), {school_year}-{school_year + 1}:")
            if unknown_school_years(region=region, first=first, last=last):
                self.stdout.write("  unknown: enter this school year in the admin (Schoolvakanties)")
                continue
            for period in holiday_periods(region=region, first=first, last=last):
                if first <= period.first_day <= last:
                    self.stdout.write(
                        f"  {period.first_day} – {period.last_day}  {period.name}  [{period.source}]"
                    )
