"""The stock benchmark's data set: 100 stores x 50,000 sizes (5,000,000 stock rows) and an
opening ledger, loaded with COPY through the shared helpers in benchmarks/dataset.py."""

import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from benchmarks.dataset import (
    copy_rows,
    drop_secondary_indexes,
    ean13,
    finish_loading,
    mark_loaded,
    opening_ledger,
    start_loading,
    vacuum_analyze,
)

STORES = 100
PRODUCTS = 5_000
SIZES = [36, 37, 38, 39, 40, 41, 42, 43, 44, 45]  # 10 sizes a product: 50,000 variants
DATASET = f"{STORES} stores x {PRODUCTS * len(SIZES):,} sizes"
SEED = 20240601


BRANDS = [
    "Nike",
    "Adidas",
    "New Balance",
    "Asics",
    "Puma",
    "Saucony",
    "Hoka",
    "Brooks",
    "On",
    "Mizuno",
    "Reebok",
    "Salomon",
    "Vans",
    "Converse",
    "Under Armour",
    "Altra",
]
MODELS = [
    "Pegasus",
    "Vomero",
    "Ultraboost",
    "Adizero",
    "Fresh Foam",
    "Gel Kayano",
    "Gel Nimbus",
    "Velocity Nitro",
    "Endorphin",
    "Clifton",
    "Bondi",
    "Ghost",
    "Glycerin",
    "Cloudmonster",
    "Wave Rider",
    "Floatride",
    "Speedcross",
    "Old Skool",
    "Chuck Taylor",
    "Hovr",
    "Torin",
    "Mach",
    "Novablast",
    "Superblast",
    "Kinvara",
    "Ride",
    "Triumph",
    "Launch",
    "Adios",
    "Samba",
    "Gazelle",
    "Air Max",
    "Air Force",
    "Dunk",
    "Suede",
    "Club C",
    "Speedgoat",
    "Arahi",
    "Cloudsurfer",
    "Hyperion",
]
CATEGORIES = [
    ("running", "ריצה", "Running"),
    ("trail", "שטח", "Trail"),
    ("lifestyle", "אופנה", "Lifestyle"),
    ("basketball", "כדורסל", "Basketball"),
    ("tennis", "טניס", "Tennis"),
    ("kids", "ילדים", "Kids"),
]
COLOURS = [
    ("שחור/לבן", "Black/White"),
    ("אפור", "Grey"),
    ("כחול", "Navy"),
    ("אדום", "Red"),
    ("לבן", "Triple White"),
]


# --- Data set ----------------------------------------------------------------------------------


def build_dataset() -> dict[str, float]:
    """Empty the catalogue and stock tables and load the data set. Returns seconds per step."""
    rng = random.Random(SEED)
    now = datetime.now(UTC).isoformat()
    timings: dict[str, float] = {}
    start_loading(
        truncate=[
            "inventory_stockmovement",
            "inventory_stocklevel",
            "inventory_tilltoken",
            "inventory_inboundshipmentline",
            "inventory_inboundshipment",
            "inventory_transfer",
            "inventory_hold",
            "inventory_staffprofile",
            "inventory_store",
            "catalog_variant",
            "catalog_productimage",
            "catalog_product",
            "catalog_brand",
            "catalog_category",
        ]
    )

    started = time.perf_counter()
    copy_rows(
        "catalog_brand",
        ["id", "name", "slug", "website"],
        ((i, name, name.lower().replace(" ", "-"), "") for i, name in enumerate(BRANDS, 1)),
    )
    copy_rows(
        "catalog_category",
        ["id", "slug", "name_he", "name_en", "position"],
        ((i, slug, he, en, i) for i, (slug, he, en) in enumerate(CATEGORIES, 1)),
    )

    def products() -> Iterator[tuple[Any, ...]]:
        for p in range(1, PRODUCTS + 1):
            model = MODELS[p % len(MODELS)]
            colour_he, colour_en = COLOURS[p % len(COLOURS)]
            yield (
                p,
                f"{model} {p}",
                f"p-{p}",
                f"BX{p:06d}-{p % 900 + 100}",
                colour_he,
                colour_en,
                "",
                "",
                "",
                "",
                f"{rng.randint(300, 900)}.90",
                "unisex",
                None,
                "t",
                now,
                p % len(BRANDS) + 1,
                p % len(CATEGORIES) + 1,
            )

    copy_rows(
        "catalog_product",
        [
            "id",
            "name",
            "slug",
            "style_code",
            "colourway_he",
            "colourway_en",
            "description_he",
            "description_en",
            "specs_he",
            "specs_en",
            "price",
            "gender",
            "release_date",
            "is_active",
            "created_at",
            "brand_id",
            "category_id",
        ],
        products(),
    )
    # What the search reads (`Product.search_text`), written by the catalogue's own code: the
    # rows above came past save().
    from catalog.models import Product
    from catalog.search import refresh_search_text

    refresh_search_text(Product.objects.all())

    def variants() -> Iterator[tuple[Any, ...]]:
        for p in range(1, PRODUCTS + 1):
            for s, size in enumerate(SIZES):
                v = (p - 1) * len(SIZES) + s + 1
                yield (v, size, "", "", f"BX{p:06d}-{size}", ean13(v), p)

    copy_rows(
        "catalog_variant",
        ["id", "eu_size", "us_label", "uk_label", "sku", "barcode", "product_id"],
        variants(),
    )

    def stores() -> Iterator[tuple[Any, ...]]:
        for i in range(1, STORES + 1):
            lat = 29.55 + (i * 0.0377) % 3.7
            lon = 34.30 + (i * 0.0131) % 1.3
            yield (
                i,
                f"bench-{i:03d}",
                f"סניף {i}",
                f"Branch {i}",
                "עיר",
                "City",
                "רחוב 1",
                "1 Street",
                f"{lat:.6f}",
                f"{lon:.6f}",
                "",
                "",
                "",
                "t",
                "t" if i == STORES else "f",
            )

    copy_rows(
        "inventory_store",
        [
            "id",
            "code",
            "name_he",
            "name_en",
            "city_he",
            "city_en",
            "address_he",
            "address_en",
            "latitude",
            "longitude",
            "phone",
            "opening_hours_he",
            "opening_hours_en",
            "is_active",
            "is_warehouse",
        ],
        stores(),
    )
    timings["catalogue and stores"] = time.perf_counter() - started

    # Stock and its opening ledger: load without the plain indexes, then build them once.
    dropped = drop_secondary_indexes(["inventory_stocklevel", "inventory_stockmovement"])
    variant_count = PRODUCTS * len(SIZES)
    quantities = [
        rng.choices([0, 1, 2, 3, 4, 6], weights=[40, 20, 15, 12, 8, 5])[0] for _ in range(10_007)
    ]

    def levels() -> Iterator[tuple[Any, ...]]:
        n = 0
        for store_id in range(1, STORES + 1):
            for variant_id in range(1, variant_count + 1):
                n += 1
                on_hand = quantities[(n * 7919) % len(quantities)]
                yield (n, store_id, variant_id, on_hand, 0, now)

    started = time.perf_counter()
    copy_rows(
        "inventory_stocklevel",
        ["id", "store_id", "variant_id", "on_hand", "reserved", "updated_at"],
        levels(),
    )
    timings["stock rows (COPY)"] = time.perf_counter() - started

    started = time.perf_counter()
    opening_ledger()
    timings["opening ledger"] = time.perf_counter() - started

    started = time.perf_counter()
    finish_loading(
        dropped=dropped,
        tables=[
            "catalog_brand",
            "catalog_category",
            "catalog_product",
            "catalog_variant",
            "inventory_store",
            "inventory_stocklevel",
            "inventory_stockmovement",
        ],
    )
    timings["indexes"] = time.perf_counter() - started

    started = time.perf_counter()
    vacuum_analyze()
    mark_loaded(DATASET)
    timings["vacuum analyze"] = time.perf_counter() - started
    return timings
