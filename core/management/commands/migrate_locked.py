"""`migrate`, one process at a time: web containers started together (`--scale web=3`) each
migrate on start, and two running the same migration at once would collide. On PostgreSQL
the first takes an advisory lock and migrates; the others wait for it, then find nothing
left to do. Run it against PostgreSQL itself, not through PgBouncer in transaction mode (a
session lock needs a session of its own).
https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
"""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

# Any number of our own: the lock is named by it, for every process of the deployment.
LOCK_KEY = 7_348_201_166


class Command(BaseCommand):
    help = "Apply migrations, one process at a time (a PostgreSQL advisory lock)."

    def handle(self, *args: Any, **options: Any) -> None:
        locking = connection.vendor == "postgresql"
        if locking:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            call_command("migrate", interactive=False, verbosity=options["verbosity"])
        finally:
            if locking:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
