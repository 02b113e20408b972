"""What the `seed_demo` steps share: the options of the run and the rows earlier steps made.

Every step is a function `step(ctx: SeedContext) -> None`, idempotent: run it twice and
nothing changes. Rows are matched on natural keys (slug, style code, SKU, store code,
username, shipment reference).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from catalog.models import Product, Variant
from inventory.models import Store

from .data.products import Colourway, Model


@dataclass
class StockPlan:
    """What each (store, size) should hold after seeding, and which sizes are out everywhere."""

    quantities: dict[tuple[str, int], int]  # (store code, variant id) -> pairs; 0 = sold out
    sold_out: list[int]  # variant ids out of stock everywhere, warehouse included
    variants: dict[int, Variant]

    def out_at(self, code: str) -> list[int]:
        """Sizes the store carries but has none of, in a stable order."""
        return sorted(v for (c, v), qty in self.quantities.items() if c == code and qty == 0)


@dataclass
class SeedContext:
    password: str
    today: date = field(default_factory=timezone.localdate)
    log: Callable[[str], None] = print
    summary: list[str] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)  # (username, role)
    users_created: int = 0
    # Shared between steps (filled by the steps that create them).
    stores: dict[str, Store] = field(default_factory=dict)
    products: list[tuple[Model, Colourway, Product]] = field(default_factory=list)
    plan: StockPlan | None = None  # filled by the stock step
