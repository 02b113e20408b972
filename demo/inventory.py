"""`seed_demo` steps for the inventory app: stores, their stock, inbound shipments, staff.

Stock is only ever written through `inventory.services`, and a level that already has its
seed receipt is left alone. Random choices come from generators seeded with the row's natural
key, so a re-run (or a run on another machine) makes exactly the same choices.
"""

import math
import random
from collections import defaultdict
from datetime import time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from catalog.models import Variant
from inventory.models import (
    InboundShipment,
    InboundShipmentLine,
    StaffProfile,
    StockLevel,
    StockMovement,
    Store,
    StoreHours,
    StoreSpecialHours,
)
from inventory.services import StockChange, StockError, stock_apply, stock_sell

from .context import SeedContext, StockPlan
from .data.products import Model
from .data.sizes import CHARTS
from .data.stores import (
    CATALOG_EDITOR,
    HOURS,
    OTHER_HOURS,
    PICKUP_REMINDER_STORES,
    STORES,
    WEEK_HOURS,
    StoreRow,
)

SEED_REFERENCE = "seed"
# Groups the staff-roles migration creates; made here too if that migration is not there yet.
SALESPEOPLE, MANAGERS, EDITORS = "Salespeople", "Store managers", "Catalog editors"


def _rng(*key: object) -> random.Random:
    return random.Random(":".join(str(k) for k in key))


# --- Stores -----------------------------------------------------------------------------


def seed_stores(ctx: SeedContext) -> None:
    for row in STORES:
        hours_he, hours_en = HOURS[row.hours]
        ctx.stores[row.code], _ = Store.objects.update_or_create(
            code=row.code,
            defaults={
                "name_he": row.name_he,
                "name_en": row.name_en,
                "city_he": row.city_he,
                "city_en": row.city_en,
                "address_he": row.address_he,
                "address_en": row.address_en,
                "latitude": Decimal(row.latitude),
                "longitude": Decimal(row.longitude),
                "phone": row.phone,
                "opening_hours_he": hours_he,
                "opening_hours_en": hours_en,
                "is_active": True,
                "is_warehouse": row.is_warehouse,
                "pickup_reminder": row.code in PICKUP_REMINDER_STORES,
            },
        )
        _seed_hours(ctx.stores[row.code], WEEK_HOURS[row.hours])
    _seed_other_hours(ctx)
    shops = sum(not row.is_warehouse for row in STORES)
    ctx.summary.append(f"{shops} stores and {len(STORES) - shops} warehouse")


def _seed_hours(store: Store, week: list[tuple[str, str] | None]) -> None:
    for weekday, hours in enumerate(week):
        if hours is None:
            StoreHours.objects.filter(store=store, weekday=weekday).delete()
            continue
        opens, closes = (time.fromisoformat(t) for t in hours)
        StoreHours.objects.update_or_create(
            store=store, weekday=weekday, defaults={"opens": opens, "closes": closes}
        )


def _seed_other_hours(ctx: SeedContext) -> None:
    """The demo's dates with other hours, counted from today; a re-run on a later day moves
    them rather than adding more."""
    today = timezone.localdate()
    for code, ahead, opens, closes, note_he, note_en in OTHER_HOURS:
        store = ctx.stores[code]
        StoreSpecialHours.objects.filter(store=store, note_en=note_en).delete()
        StoreSpecialHours.objects.update_or_create(
            store=store,
            date=today + timedelta(days=ahead),
            defaults={
                "closed": opens is None,
                "opens": time.fromisoformat(opens) if opens else None,
                "closes": time.fromisoformat(closes) if closes else None,
                "note_he": note_he,
                "note_en": note_en,
            },
        )


# --- Stock ------------------------------------------------------------------------------


def _plan(ctx: SeedContext) -> StockPlan:
    if ctx.plan is not None:
        return ctx.plan
    rows = {row.code: row for row in STORES}
    models = {p.pk: m for m, _, p in ctx.products}
    variants = {v.pk: v for v in Variant.objects.filter(product__in=models).order_by("sku")}
    by_product: dict[int, list[Variant]] = defaultdict(list)
    for v in variants.values():
        by_product[v.product_id].append(v)

    # A few sizes nobody has: one per roughly every sixth product, chosen per product.
    sold_out: list[int] = []
    for index, (_, colour, product) in enumerate(ctx.products):
        if index % 6 == 3:
            sold_out.append(_rng("sold-out", colour.style_code).choice(by_product[product.pk]).pk)

    quantities: dict[tuple[str, int], int] = {}
    for code, row in rows.items():
        for model, colour, product in ctx.products:
            pick = _rng("carries", code, colour.style_code)
            if not row.is_warehouse and pick.random() > _carry_chance(row, model):
                continue
            peak = CHARTS[model.gender].peak
            for v in by_product[product.pk]:
                quantities[(code, v.pk)] = (
                    0
                    if v.pk in sold_out
                    else _pairs(_rng("pairs", code, v.sku), row, model, float(v.eu_size), peak)
                )
    ctx.plan = StockPlan(quantities=quantities, sold_out=sold_out, variants=variants)
    return ctx.plan


def _carry_chance(row: StoreRow, model: Model) -> float:
    # Big branches carry nearly the whole range; small ones skip niche models.
    return min(1.0, 0.35 + 0.35 * row.size * model.popularity)


def _pairs(rng: random.Random, row: StoreRow, model: Model, size: float, peak: float) -> int:
    """Deeper stock in the sizes most people wear, deeper still in the warehouse."""
    popularity = math.exp(-(((size - peak) / 2.8) ** 2))
    if row.is_warehouse:
        mean = 3 + 14 * model.popularity * popularity
    else:
        mean = 3.2 * row.size * model.popularity * popularity
        if rng.random() < 0.14 + 0.2 * (1 - popularity):
            return 0  # sold through at this branch
    return max(0, round(rng.gauss(mean, 0.6 + mean * 0.35)))


def seed_stock(ctx: SeedContext) -> None:
    """Receive each branch's and the warehouse's stock, count the gaps, record a few sales."""
    plan = _plan(ctx)
    stores = {code: store.pk for code, store in ctx.stores.items()}
    done = set(
        StockMovement.objects.filter(reference=SEED_REFERENCE).values_list("store_id", "variant_id")
    )
    batches: dict[str, list[StockChange]] = defaultdict(list)
    sold_out = set(plan.sold_out)
    for (code, variant_id), qty in plan.quantities.items():
        key = (stores[code], variant_id)
        if key in done:
            continue
        if qty > 0:
            batches[code].append(
                StockChange(
                    store_id=key[0],
                    variant_id=variant_id,
                    delta=qty,
                    reason=StockMovement.Reason.RECEIPT,
                    reference=SEED_REFERENCE,
                )
            )
        elif (
            variant_id not in sold_out
            and _rng("last-pair", code, plan.variants[variant_id].sku).random() < 0.2
        ):
            # Some gaps are fresh: the branch had a pair and sold it (the level stays, at 0).
            batches[code] += [
                StockChange(
                    store_id=key[0],
                    variant_id=variant_id,
                    delta=1,
                    reason=StockMovement.Reason.RECEIPT,
                    reference=SEED_REFERENCE,
                ),
                StockChange(
                    store_id=key[0],
                    variant_id=variant_id,
                    delta=-1,
                    reason=StockMovement.Reason.SALE,
                    reference="seed-last-pair",
                ),
            ]

    with transaction.atomic():
        for changes in batches.values():
            for start in range(0, len(changes), 200):  # keeps each locking query small
                # The first load is not a restock: nobody can be waiting for a size the shop
                # never had, so no alert needs to hear about it.
                stock_apply(changes=changes[start : start + 200], announce=False)
        sales = _seed_sales(ctx, plan, stores)

    totals = dict(
        StockLevel.objects.filter(store__in=ctx.stores.values())
        .values_list("store__is_warehouse")
        .annotate(Sum("on_hand"))
    )
    ctx.summary.append(
        f"{totals.get(False) or 0:,} pairs in stores, {totals.get(True) or 0:,} in the "
        f"warehouse, {len(plan.sold_out)} sizes out everywhere"
        + (f"; {sales} sales recorded" if sales else "")
    )


def _seed_sales(ctx: SeedContext, plan: StockPlan, stores: dict[str, int]) -> int:
    """A handful of till sales, so the ledger is not only receipts."""
    rng = _rng("sales")
    shelves = sorted(
        (code, v)
        for (code, v), qty in plan.quantities.items()
        if qty >= 2 and code in stores and not ctx.stores[code].is_warehouse
    )
    made = 0
    for n, (code, variant_id) in enumerate(rng.sample(shelves, min(40, len(shelves)))):
        reference = f"seed-sale-{n:03d}"
        if StockMovement.objects.filter(reference=reference).exists():
            continue
        try:
            stock_sell(store=stores[code], variant=variant_id, quantity=1, reference=reference)
        except StockError:
            continue  # someone sold it in the demo meanwhile; nothing to record
        made += 1
    return made


# Open orders from the brands' European distributors: (reference, destination code, brand,
# days until expected, in transit?). References are fixed so a re-run finds them again.
SHIPMENTS: list[tuple[str, str, str, int, bool]] = [
    ("PO-NK-26418", "wh", "nike", 6, True),
    ("PO-AD-26422", "wh", "adidas", 11, False),
    ("PO-AS-26431", "wh", "asics", 16, False),
    ("PO-HK-26433", "wh", "hoka", 20, False),
    ("PO-NB-26440", "tlv", "new-balance", 3, True),
    ("PO-NK-26441", "jlm", "nike", 5, False),
    ("PO-AD-26445", "hfa", "adidas", 8, False),
    ("PO-ON-26447", "bsh", "on", 12, False),
]

SUPPLIERS = {
    "nike": "Nike European Operations Netherlands B.V.",
    "adidas": "adidas International Trading AG",
    "new-balance": "New Balance Athletics (UK) Ltd",
    "asics": "ASICS Europe B.V.",
    "hoka": "Deckers Europe B.V. (HOKA)",
    "on": "On Europe AG",
}


def seed_shipments(ctx: SeedContext) -> None:
    """A few open inbound shipments carrying sizes that are out, so ETAs show."""
    plan = _plan(ctx)
    brand_of = {p.pk: m.brand for m, _, p in ctx.products}
    made = 0
    for reference, code, brand, days, in_transit in SHIPMENTS:
        store = ctx.stores[code]
        shipment, created = InboundShipment.objects.get_or_create(
            reference=reference,
            defaults={
                "supplier": SUPPLIERS[brand],
                "store": store,
                "expected_date": ctx.today + timedelta(days=days),
                "status": (
                    InboundShipment.Status.IN_TRANSIT
                    if in_transit
                    else InboundShipment.Status.EXPECTED
                ),
            },
        )
        if not created:
            continue
        made += 1
        ids = [v for v in plan.sold_out if brand_of[plan.variants[v].product_id] == brand]
        ids += [
            v
            for v in plan.out_at(code)
            if brand_of[plan.variants[v].product_id] == brand and v not in ids
        ]
        rng = _rng("shipment", reference)
        wanted = ids[: 14 if store.is_warehouse else 8]
        InboundShipmentLine.objects.bulk_create(
            [
                InboundShipmentLine(
                    shipment=shipment,
                    variant_id=v,
                    quantity=rng.randint(12, 24) if store.is_warehouse else rng.randint(2, 4),
                )
                for v in wanted
            ]
        )
    open_count = InboundShipment.objects.filter(status__in=InboundShipment.OPEN_STATUSES).count()
    ctx.summary.append(f"{open_count} open inbound shipments" + (f" ({made} new)" if made else ""))


# --- Staff ------------------------------------------------------------------------------


def demo_logins() -> list[tuple[str, str]]:
    """(username, role) of the demo staff, for the command's closing lines."""
    codes = [row.code for row in STORES if not row.is_warehouse]
    return [
        ("admin", "superuser"),
        (
            f"sales-{codes[0]} … sales-{codes[-1]}",
            f"salespeople, one per store ({', '.join(codes)})",
        ),
        (f"manager-{codes[0]} … manager-{codes[-1]}", "store managers, one per store"),
        (CATALOG_EDITOR[0], "catalog editor"),
    ]


def seed_staff(ctx: SeedContext) -> None:
    """An admin, and per branch a salesperson and a manager; one catalog editor.

    Passwords are set only for users this run creates: a re-run never resets one.
    """
    User = get_user_model()
    groups = {
        name: Group.objects.get_or_create(name=name)[0] for name in (SALESPEOPLE, MANAGERS, EDITORS)
    }
    # Hashed once (the hash is slow on purpose); every new demo login shares the password.
    password_hash = make_password(ctx.password)

    def staff(
        username: str,
        first: str,
        last: str,
        store: Store,
        group: str | None,
        superuser: bool = False,
    ) -> None:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_staff": True,
                "is_superuser": superuser,
                "password": password_hash,
                "email": f"{username}@sole-israel.example",
            },
        )
        ctx.users_created += created
        StaffProfile.objects.get_or_create(user=user, defaults={"home_store": store})
        if group:
            user.groups.add(groups[group])

    warehouse = next(s for s in ctx.stores.values() if s.is_warehouse)
    staff("admin", "מנהל", "מערכת", warehouse, None, superuser=True)
    for row in STORES:
        if row.is_warehouse:
            continue
        (sales_first, sales_last), (manager_first, manager_last) = row.staff
        store = ctx.stores[row.code]
        staff(f"sales-{row.code}", sales_first, sales_last, store, SALESPEOPLE)
        staff(f"manager-{row.code}", manager_first, manager_last, store, MANAGERS)
    username, first, last = CATALOG_EDITOR
    staff(username, first, last, warehouse, EDITORS)
    ctx.logins = demo_logins()
