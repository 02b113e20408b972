"""SQLite for the embedded default and the tests: Django's backend, flushing the daily totals
last.

On SQLite the totals are kept by row triggers (insights.triggers), which also count the rows a
flush deletes: emptied before the rows they count, the totals would be written again, naming
stores the same flush deletes, and the flush would fail on their foreign keys. Emptied last,
nothing is left. (PostgreSQL's flush truncates, which fires no delete triggers.)
"""

from typing import Any

from django.db.backends.sqlite3 import base, operations

from insights.totals import TARGETS


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(
        self,
        style: Any,
        tables: Any,
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        totals = {target.table for target in TARGETS}
        ordered = sorted(tables, key=lambda table: table in totals)
        return super().sql_flush(
            style, ordered, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
