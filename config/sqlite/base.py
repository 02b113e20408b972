"""SQLite for the embedded default and the tests: Django's backend, minding the dashboard's totals
triggers (insights.triggers).

- Schema changes: SQLite alters a table by building a new one, dropping the old and renaming
  the new, and refuses the rename while another table's trigger names the table (the totals'
  triggers join holds, sign-ups and texts). Each schema editing session (a migration) takes the
  triggers off first and, if they were there, installs them again at its end and recounts the
  totals, counting whatever the migration wrote meanwhile.
- Flush: the triggers count the rows a flush deletes. Emptied before those rows, the totals
  would be written again, naming stores the same flush deletes, and the flush would fail on
  their foreign keys; emptied last, nothing is left. (PostgreSQL's flush truncates, which fires
  no delete triggers.)
"""

from typing import Any

from django.db.backends.sqlite3 import base, operations, schema

from insights.totals import TARGETS
from insights.triggers import (
    triggers_install,
    triggers_installable,
    triggers_installed,
    triggers_uninstall,
)


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


class DatabaseSchemaEditor(schema.DatabaseSchemaEditor):
    def __enter__(self) -> "DatabaseSchemaEditor":
        editor = super().__enter__()
        self.totals_triggers = triggers_installed(self.connection)
        if self.totals_triggers:
            triggers_uninstall(self.connection)
        return editor

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        # Not when the session took the totals away (migrating backwards).
        if exc_type is None and self.totals_triggers and triggers_installable(self.connection):
            triggers_install(self.connection)
        super().__exit__(exc_type, exc_value, traceback)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    SchemaEditorClass = DatabaseSchemaEditor
