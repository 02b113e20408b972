"""python manage.py import_stock_count count.csv [--dry-run]

Shows the differences between the file and the stock now, then applies one COUNT movement per
changed line. Nothing is applied if any line is wrong; every wrong line is listed.
"""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from inventory.counts import (
    CHUNK_SIZE,
    CountFileError,
    CountFileInvalid,
    CountPlan,
    stock_count_import,
    stock_count_plan,
)


class Command(BaseCommand):
    help = (
        "Import a stock-count CSV (columns: store code, SKU or barcode, counted quantity; "
        "a header row). Shows the differences, then applies them all or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the CSV file (UTF-8 or Windows Hebrew, , ; or tab)")
        parser.add_argument(
            "--dry-run", action="store_true", help="show the differences and write nothing"
        )
        parser.add_argument("--user", help="username to record on the movements")
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=CHUNK_SIZE,
            help="lines locked and written at a time (default %(default)s)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user is called {options['user']!r}.")

        try:
            plan = stock_count_plan(data=data, name=path.name)
        except CountFileError as exc:
            raise CommandError(exc.message) from exc
        if not plan.is_valid:
            for problem in plan.problems:
                self.stderr.write(f"row {problem.line}, {problem.field}: {problem.message}")
            raise CommandError(
                f"{len({p.line for p in plan.problems})} rows are wrong; nothing was applied. "
                "Fix the file and run the import again."
            )

        self._show(plan)
        if options["dry_run"]:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
            return
        if not plan.changes:
            self.stdout.write(self.style.SUCCESS("Every line matches the stock; nothing to do."))
            return

        show_bar = not options["no_progress"] and options["verbosity"] > 0
        with tqdm(
            total=len(plan.rows),
            unit="line",
            desc="Applying",
            disable=not show_bar,
            file=self.stderr._out,
        ) as bar:
            try:
                movements = stock_count_import(
                    plan=plan,
                    user=user,
                    chunk_size=max(options["chunk_size"], 1),
                    progress=bar.update,
                )
            except CountFileInvalid as exc:
                for problem in exc.problems:
                    self.stderr.write(f"row {problem.line}, {problem.field}: {problem.message}")
                raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Applied {len(movements)} count movements; {plan.unchanged} lines already matched."
            )
        )

    def _show(self, plan: CountPlan) -> None:
        changes = plan.changes
        self.stdout.write(
            f"{plan.name}: {len(plan.rows)} lines, {len(changes)} differ from the "
            f"stock, {plan.unchanged} match."
        )
        if not changes:
            return
        header = ("row", "store", "SKU", "current", "counted", "delta")
        table = [header] + [
            (
                str(row.line),
                row.store.code,
                row.variant.sku,
                str(row.current),
                str(row.counted),
                f"{row.delta:+d}",
            )
            for row in changes
        ]
        widths = [max(len(r[i]) for r in table) for i in range(len(header))]
        for cells in table:
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) if i < 3 else cell.rjust(width)
                    for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
                )
            )
