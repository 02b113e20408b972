"""`python manage.py seed_demo`: load (or top up) the demo importer. Safe to run again."""

import os
import secrets
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from demo.catalog import seed_catalog, seed_images
from demo.context import SeedContext
from demo.conversations import seed_conversations
from demo.demand import seed_demand
from demo.inventory import (
    demo_logins,
    seed_shipments,
    seed_staff,
    seed_stock,
    seed_stores,
)
from demo.launches import seed_launch
from demo.pickups import seed_pickups
from demo.requests import seed_customer_requests
from demo.reviews import seed_cx_history, seed_review_links
from demo.whatsapp import seed_whatsapp_templates
from notifications.backends import texts_reach_phones

# Run in this order. A feature that needs demo rows of its own (review links, waitlists,
# a history of holds) adds its step here: a function taking the SeedContext.
STEPS: list[Callable[[SeedContext], None]] = [
    seed_catalog,
    seed_images,
    seed_stores,
    seed_stock,
    seed_shipments,
    seed_staff,
    seed_review_links,
    seed_cx_history,
    seed_demand,
    seed_pickups,
    seed_conversations,
    seed_customer_requests,
    seed_launch,
    seed_whatsapp_templates,
]
# Steps that invent customers with real-looking mobile numbers: skipped whenever texts would
# reach real phones (SMS_BACKEND is Twilio), so a receipt never texts a stranger.
CUSTOMER_STEPS = {
    seed_cx_history,
    seed_pickups,
    seed_conversations,
    seed_customer_requests,
    seed_launch,
}

DEFAULT_PASSWORD = "sneakers-demo"  # noqa: S105 - the documented demo login


class Command(BaseCommand):
    help = "Load the demo stores, catalog, stock and staff logins (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD", ""),
            help=f"Password for new demo users (default: $DEMO_PASSWORD, else {DEFAULT_PASSWORD}"
            " or, under the production settings, a random one printed at the end).",
        )
        parser.add_argument("--quiet", action="store_true", help="Print nothing.")
        parser.add_argument(
            "--logins-only", action="store_true", help="Load nothing; print the demo logins."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        quiet = options["quiet"]
        password = options["password"]
        if not password:
            # A public default password on a server reachable from outside would be an open
            # door: there the demo staff get a random one, printed once.
            production = (settings.SETTINGS_MODULE or "").endswith(".production")
            password = secrets.token_urlsafe(9) if production else DEFAULT_PASSWORD
        ctx = SeedContext(password=password, log=(lambda _: None) if quiet else self.stdout.write)
        if options["logins_only"]:
            self._print_logins(demo_logins(), password if password == DEFAULT_PASSWORD else "")
            return
        started = time.monotonic()
        steps = STEPS
        if texts_reach_phones():
            steps = [step for step in STEPS if step not in CUSTOMER_STEPS]
            ctx.summary.append(
                "No demo customers, alerts or texts: SMS_BACKEND reaches real "
                "phones, and a receipt would text their numbers."
            )
        for step in steps:
            with transaction.atomic():
                step(ctx)
        if quiet:
            return
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({elapsed:.1f} s):"))
        for line in ctx.summary:
            self.stdout.write(f"  {line}")
        shown = password if ctx.users_created or password == DEFAULT_PASSWORD else ""
        self._print_logins(ctx.logins or demo_logins(), shown)

    def _print_logins(self, logins: list[tuple[str, str]], password: str) -> None:
        if password:
            self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {password}):"))
        else:
            self.stdout.write(
                self.style.SUCCESS("Demo logins (password as set when the demo was first loaded):")
            )
        width = max(len(name) for name, _ in logins)
        for name, role in logins:
            self.stdout.write(f"  {name.ljust(width)}  {role}")
