"""`python manage.py seed_demo`: load (or top up) the demo importer. Safe to run again."""

import os
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.module_loading import import_string

from catalog.demo.steps import SeedContext

# Run in this order. A feature that needs demo rows of its own (review links, waitlists,
# a history of holds) adds its step here: a function taking the SeedContext.
STEPS = [
    "catalog.demo.steps.seed_catalog",
    "catalog.demo.steps.seed_images",
    "catalog.demo.steps.seed_stores",
    "catalog.demo.steps.seed_stock",
    "catalog.demo.steps.seed_shipments",
    "catalog.demo.steps.seed_staff",
    "reviews.demo.seed_review_links",
    "reviews.demo.seed_cx_history",
]

DEFAULT_PASSWORD = "sneakers-demo"  # noqa: S105 - the documented demo login


class Command(BaseCommand):
    help = "Load the demo stores, catalog, stock and staff logins (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password", default=os.environ.get("DEMO_PASSWORD", DEFAULT_PASSWORD),
            help="Password for new demo users (default: $DEMO_PASSWORD or %(default)s).",
        )
        parser.add_argument("--quiet", action="store_true", help="Print nothing.")
        parser.add_argument(
            "--allow-production", action="store_true",
            help="Seed even under the production settings (demo logins have known passwords).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.SETTINGS_MODULE.endswith(".production") and not options["allow_production"]:
            raise CommandError("Refusing to load demo users with known passwords in production; "
                               "pass --allow-production to do it anyway.")
        quiet = options["quiet"]
        ctx = SeedContext(password=options["password"],
                          log=(lambda _: None) if quiet else self.stdout.write)
        started = time.monotonic()
        for path in STEPS:
            step = import_string(path)
            with transaction.atomic():
                step(ctx)
        if quiet:
            return
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({elapsed:.1f} s):"))
        for line in ctx.summary:
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {ctx.password}):"))
        width = max(len(name) for name, _ in ctx.logins)
        for name, role in ctx.logins:
            self.stdout.write(f"  {name.ljust(width)}  {role}")
