"""Moves of models between apps keep every row: main's seeded data replayed through the
migrations.

`fixtures/seeded_main.json.gz` holds the rows of every table of the project's apps (and of
auth and contenttypes) as `seed_demo` left them, plus a few rows the demo never writes
(made by `tests/migrations/make_fixture.py` at commit 7d8be61, which ran on the code of that
time), with each table's model and the leaf migration of every app when it was dumped.
`test_moves_keep_rows` migrates the test database back to those migrations (apps born
since: to zero), loads the rows, migrates forward to today's leaves, and checks,
for each dumped table, the row count and a sample of rows in the table its model uses now.

    pytest tests/migrations                  # SQLite
    DATABASE_URL=postgres://... pytest tests/migrations

The fixture is main's data before the moves it guards; a fixture dumped after a move proves
nothing about that move. To make one again for a later move, check out the commit before it,
bring `make_fixture.py` from 7d8be61 up to that code, and run `python -m
tests.migrations.make_fixture` there.

Declaring a change, in test_moves_keep_rows.py:

- a model moved to another app or renamed: `MOVED["notifications.SmsMessage"] =
  "notifications.Message"`; its table is found through the new model, whatever it is called
  (a renamed table needs nothing more), and its content type must follow it (as
  `manage.py migrate` does for a RenameModel; a move between apps needs its own RunPython);
- a renamed column: `RENAMED_COLUMNS[("inventory.Hold", "old_column")] = "new_column"`;
- a column dropped on purpose: `DROPPED_COLUMNS[("inventory.Hold", "waitlist_entry_id")] =
  "why"`; a column that is gone without a declaration fails the test;
- a table that a migration rebuilds from other rows: `REBUILT["reviews.DailyTotal"] = "why"`
  (its rows in the fixture are made up: SQLite keeps no totals).

A many-to-many field's own table is named "label.field" in these mappings, e.g.
"notifications.TransferSuggestion.entries".
"""
