"""What the `seed_demo` steps share: the options of the run and the rows earlier steps made.

Every step is a function `step(ctx: SeedContext) -> None`, idempotent: run it twice and
nothing changes. Rows are matched on natural keys (slug, style code, SKU, store code,
username, shipment reference).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone

from catalog.models import Product
from inventory.models import Store

from .data.products import Colourway, Model

if TYPE_CHECKING:
    from .inventory import StockPlan


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
    plan: "StockPlan | None" = None
