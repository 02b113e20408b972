"""The page benchmark's data set: the demo catalogue (every model in every colourway, a few
dozen products) in 14 sizes each, at a chain of 12 or 100 shops plus the warehouse.

Names, prices, descriptions and specs come from demo/data, so the pages carry the text a real
shopper reads; the twelve demo branches come first and further shops are spread over the same
cities. Each shop carries about two thirds of the products, most sizes with a few pairs and
some sold out; an opening ledger row backs every level that has pairs; open supplier shipments
and dispatched transfers bring sold-out sizes back, so the product page shows arrival dates.
Written with bulk_create (the ledger with one INSERT ... SELECT): about 100,000 rows at 100
shops, a few seconds.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify

from benchmarks.dataset import ean13, opening_ledger
from catalog.models import Brand, Category, Product, Variant
from demo.data.products import BRANDS, CATEGORIES, MODELS
from demo.data.stores import HOURS, STORES
from inventory.models import (
    InboundShipment,
    InboundShipmentLine,
    StockLevel,
    Store,
    Transfer,
)
from inventory.services import size_stock_rebuild

SEED = 20240601
# EU sizes, a unisex run from 36 to 46: 14 sizes a product (fewer with --sizes).
SIZES = [
    "36",
    "36.5",
    "37.5",
    "38",
    "38.5",
    "39",
    "40",
    "40.5",
    "41",
    "42",
    "42.5",
    "43",
    "44",
    "46",
]
TABLES = [
    "inventory_stockmovement",
    "inventory_stocklevel",
    "inventory_inboundshipmentline",
    "inventory_inboundshipment",
    "inventory_transfer",
    "inventory_hold",
    "inventory_store",
    "catalog_variant",
    "catalog_productimage",
    "catalog_product",
    "catalog_brand",
    "catalog_category",
]


def build_dataset(*, stores: int, sizes: int) -> dict[str, int]:
    """Empty the catalogue and stock tables and load the data set. Returns row counts."""
    rng = random.Random(SEED)
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    with transaction.atomic():
        products = _catalogue(sizes)
        shops = _stores(stores, rng)
        variants = list(Variant.objects.order_by("pk"))
        levels = _stock(shops, products, variants, rng)
        shipments, transfers = _arrivals(shops, levels, variants, rng, today)
        # Levels loaded in bulk, past the stock services: their sizes' summaries from them.
        size_stock_rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "products": len(products),
        "sizes": len(variants),
        "shops": len(shops) - 1,
        "warehouses": 1,
        "stock levels": len(levels),
        "shipment lines": shipments,
        "transfers": transfers,
    }


def _catalogue(sizes: int) -> list[Product]:
    brands = {row.slug: Brand(name=row.name, slug=row.slug, website=row.website) for row in BRANDS}
    Brand.objects.bulk_create(brands.values())
    categories = {
        slug: Category(slug=slug, name_he=he, name_en=en, position=position)
        for slug, he, en, position in CATEGORIES
    }
    Category.objects.bulk_create(categories.values())
    products = []
    for model in MODELS:
        brand = brands[model.brand]
        for colour in model.colourways:
            products.append(
                Product(
                    brand=brand,
                    category=categories[model.category],
                    name=model.name,
                    slug=slugify(f"{brand.name} {model.name} {colour.en}".replace("/", " ")),
                    style_code=colour.style_code,
                    colourway_he=colour.he,
                    colourway_en=colour.en,
                    description_he=model.description_he,
                    description_en=model.description_en,
                    specs_he=model.specs.lines("he"),
                    specs_en=model.specs.lines("en"),
                    price=Decimal(model.price),
                    gender=model.gender,
                    release_date=date.fromisoformat(model.released),
                )
            )
    Product.objects.bulk_create(products)
    Variant.objects.bulk_create(
        Variant(
            product=product,
            eu_size=Decimal(size),
            sku=f"{product.style_code}-{size}",
            barcode=ean13(p * 100 + s),
        )
        for p, product in enumerate(products)
        for s, size in enumerate(SIZES[:sizes])
    )
    return products


def _stores(count: int, rng: random.Random) -> list[Store]:
    """The demo's branches first, then more shops in the same cities; and the warehouse."""
    branches = [row for row in STORES if not row.is_warehouse]
    shops = []
    for i in range(count):
        row = branches[i % len(branches)]
        n = i // len(branches)
        he_hours, en_hours = HOURS[row.hours]
        suffix_he, suffix_en = (f" {n + 1}", f" {n + 1}") if n else ("", "")
        shops.append(
            Store(
                code=f"{row.code}{n or ''}",
                name_he=row.name_he + suffix_he,
                name_en=row.name_en + suffix_en,
                city_he=row.city_he,
                city_en=row.city_en,
                address_he=row.address_he,
                address_en=row.address_en,
                latitude=Decimal(row.latitude) + Decimal(n) / 200,
                longitude=Decimal(row.longitude) + Decimal(n) / 300,
                phone=row.phone,
                opening_hours_he=he_hours,
                opening_hours_en=en_hours,
            )
        )
    warehouse = next(row for row in STORES if row.is_warehouse)
    shops.append(
        Store(
            code=warehouse.code,
            name_he=warehouse.name_he,
            name_en=warehouse.name_en,
            city_he=warehouse.city_he,
            city_en=warehouse.city_en,
            address_he=warehouse.address_he,
            address_en=warehouse.address_en,
            latitude=Decimal(warehouse.latitude),
            longitude=Decimal(warehouse.longitude),
            phone=warehouse.phone,
            is_warehouse=True,
        )
    )
    Store.objects.bulk_create(shops)
    return shops


def _stock(
    shops: list[Store], products: list[Product], variants: list[Variant], rng: random.Random
) -> list[StockLevel]:
    by_product: dict[int, list[Variant]] = {}
    for variant in variants:
        by_product.setdefault(variant.product_id, []).append(variant)
    levels = []
    for shop in shops:
        carry = 1.0 if shop.is_warehouse else 0.65
        for product in products:
            if rng.random() >= carry:
                continue
            for variant in by_product[product.pk]:
                pairs = rng.choices([0, 1, 2, 3, 4, 6], weights=[25, 25, 20, 14, 10, 6])[0]
                levels.append(StockLevel(store=shop, variant=variant, on_hand=pairs))
    StockLevel.objects.bulk_create(levels, batch_size=5000)
    with connection.cursor() as cursor:
        # "Last confirmed" (auto_now_add) spread over the last six days, as tills report.
        cursor.execute(
            "UPDATE inventory_stocklevel SET updated_at = updated_at"
            " - (id * 7919 % 8640) * interval '1 minute'"
        )
    opening_ledger()
    return levels


def _arrivals(
    shops: list[Store],
    levels: list[StockLevel],
    variants: list[Variant],
    rng: random.Random,
    today: date,
) -> tuple[int, int]:
    """Supplier shipments to a third of the shops and transfers from the warehouse, for sizes
    they have sold out of (and some they do not carry)."""
    branches = [shop for shop in shops if not shop.is_warehouse]
    warehouse = next(shop for shop in shops if shop.is_warehouse)
    sold_out: dict[int, list[int]] = {}
    for level in levels:
        if level.on_hand == 0 and not level.store.is_warehouse:
            sold_out.setdefault(level.store.pk, []).append(level.variant.pk)
    lines = []
    for shop in branches[::3]:
        shipment = InboundShipment.objects.create(
            reference=f"PO-{shop.code}-{today:%Y%m%d}",
            supplier="Sole Israel import",
            store=shop,
            expected_date=today + timedelta(days=rng.randint(2, 12)),
        )
        wanted = sold_out.get(shop.pk, []) + rng.sample([v.pk for v in variants], 20)
        lines += [
            InboundShipmentLine(
                shipment=shipment, variant_id=variant_id, quantity=rng.randint(2, 6)
            )
            for variant_id in sorted(set(wanted))[::2]
        ]
    InboundShipmentLine.objects.bulk_create(lines, batch_size=5000)
    transfers = []
    for shop in branches:
        for variant_id in rng.sample(
            sold_out.get(shop.pk, []), min(8, len(sold_out.get(shop.pk, [])))
        ):
            transfers.append(
                Transfer(
                    variant_id=variant_id,
                    from_store=warehouse,
                    to_store=shop,
                    quantity=1,
                    status=Transfer.Status.DISPATCHED,
                    dispatched_at=timezone.now(),
                    expected_date=today + timedelta(days=rng.randint(1, 3)),
                )
            )
    Transfer.objects.bulk_create(transfers, batch_size=5000)
    return len(lines), len(transfers)


def busiest_product() -> Product:
    """The product stocked (pairs for sale) at the most shops: the heaviest product page."""
    row = (
        StockLevel.objects.filter(store__is_warehouse=False)
        .in_stock()
        .values("variant__product_id")
        .annotate(shops=Count("store_id", distinct=True))
        .order_by("-shops", "variant__product_id")
        .first()
    )
    assert row is not None, "the data set has no stock"
    return Product.objects.get(pk=row["variant__product_id"])
