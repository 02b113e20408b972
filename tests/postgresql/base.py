"""PostgreSQL for the test suite: tables are emptied with DELETE rather than TRUNCATE.

Transactional tests (real threads, a real Celery worker, a browser) empty every table after
each test. TRUNCATE creates new files for each table and index, about 1.5 s here for a few
rows; DELETE takes milliseconds. Django's foreign keys on PostgreSQL are DEFERRABLE INITIALLY
DEFERRED, so deleting in any order inside the flush's transaction is safe.
https://docs.djangoproject.com/en/5.2/topics/testing/overview/#rollback-emulation
"""

from typing import Any

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(
        self,
        style: Any,
        tables: Any,
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        if reset_sequences or allow_cascade:
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        # Every table is emptied: the dashboard's totals triggers (insights.triggers) have nothing
        # to count, and would write totals for rows deleted in the same flush.
        return [
            "SET LOCAL session_replication_role = replica;",
            *[
                f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
                for table in tables
            ],
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
