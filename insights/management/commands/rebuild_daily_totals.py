"""python manage.py rebuild_daily_totals [--from dd/mm/yyyy] [--to dd/mm/yyyy]

Recounts the dashboard's daily totals from the raw rows (sign-ups, holds, texts, transfers,
ratings) for the days given, or for every day. Safe to run again: it replaces, never adds.
"""

import time
from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from insights.totals import VENDORS, daily_totals_rebuild

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _day(value: str) -> date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise CommandError(f"{value!r} is not a date: write dd/mm/yyyy or yyyy-mm-dd.")


class Command(BaseCommand):
    help = (
        "Recount the dashboard's daily totals from the raw rows, for a range of days "
        "(Israel's days, inclusive) or for every day when no range is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", help="first day (dd/mm/yyyy or yyyy-mm-dd)")
        parser.add_argument("--to", dest="end", help="last day (dd/mm/yyyy or yyyy-mm-dd)")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor not in VENDORS:
            raise CommandError(f"The daily totals are kept on {' and '.join(VENDORS)} only.")
        start = _day(options["start"]) if options["start"] else None
        end = _day(options["end"]) if options["end"] else None
        if start and end and start > end:
            raise CommandError("--from is after --to.")
        started = time.perf_counter()
        daily_totals_rebuild(start=start, end=end)
        span = f"{start or 'the first day'} to {end or 'the last day'}"
        self.stdout.write(
            f"Daily totals rebuilt from {span} in {time.perf_counter() - started:.1f} s."
        )
