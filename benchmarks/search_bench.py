"""Catalogue search at 5,000 products on PostgreSQL: the storefront's list and suggestions and the
staff finder, beside a primary-key product lookup timed in the same interleaved rounds.

    DJANGO_SETTINGS_MODULE=config.settings.local \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<own database> \
    python benchmarks/search_bench.py [--products 5000] [--samples 150]

(`make bench` runs it too, through benchmarks/bench_search.py, with the defaults.)

The list without a search is measured too: the first page's cards (their in-stock flags) cost
the same with or without one. The catalogue is built inside a transaction that is rolled back
at the end, so the database is left as it was: 30 brands (some with Hebrew spellings), 600
model lines with made-up names, each line's models with a number and colourways, 8 sizes each
and stock at 6 shops for a third of the sizes. Each query is measured as a customer meets it:
the first page of the list (its count and 24 cards) and the search box's suggestions, with the
catalogue's vocabulary already built (it is built once per catalogue version; its build time is
reported apart). Prints a table and writes benchmarks/results/search_bench-<timestamp>.json
with the load average before and after.
"""

import argparse
import functools
import json
import os
import random
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

PROJECT_ROOT = str(Path(__file__).resolve().parent.parent)  # for `python benchmarks/...py`
if PROJECT_ROOT not in sys.path:
    sys.path.insert(0, PROJECT_ROOT)

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

import benchmarks.stock_setup  # noqa: E402,F401  (Django is set up before the models below)
from benchmarks.stock_reads import interleaved  # noqa: E402
from benchmarks.stock_setup import RESULTS_DIR  # noqa: E402
from catalog import search  # noqa: E402
from catalog.models import Brand, Category, Product, ProductLine, Variant  # noqa: E402
from inventory.models import StockLevel, Store  # noqa: E402
from inventory.selectors import stock_finder  # noqa: E402
from storefront.selectors import (  # noqa: E402
    PAGE_SIZE,
    ProductFilters,
    cards,
    product_list,
    suggestions,
)

SEED = 20261206
SYLLABLES = [
    "ka",
    "ve",
    "lo",
    "ri",
    "ta",
    "mo",
    "su",
    "ne",
    "pi",
    "ga",
    "do",
    "ba",
    "zu",
    "fe",
    "li",
    "ra",
    "no",
    "si",
    "te",
    "ma",
]
COLOURS = [("Black", "שחור"), ("White", "לבן"), ("Grey", "אפור"), ("Navy", "כחול כהה")]
BRANDS = [
    ("Nike", "נייקי, נייק"),
    ("adidas", "אדידס"),
    ("New Balance", "ניו באלאנס, ניו בלנס"),
    ("ASICS", "אסיקס"),
    ("HOKA", "הוקה"),
    ("Saucony", "סאקוני"),
    ("PUMA", "פומה"),
    ("On", "און"),
] + [(f"Brand{chr(65 + n)}{chr(75 + n)}", "") for n in range(22)]
# What customers type, in both languages: brands, lines, typos, sizes, categories, colours.
QUERIES = [
    "נייקי",
    "pegasus",
    "פגסוס",
    "pegasos",
    "נייקי פגסוס 42",
    "נעלי ריצה",
    "running women",
    "שחור",
    "ניו באלאנס",
    "xyzzy",
]


def build_catalogue(products: int, rng: random.Random) -> int:
    """The synthetic catalogue, in the current transaction; returns a product id."""
    running = Category.objects.create(slug="bench-running", name_he="ריצה", name_en="Running")
    lifestyle = Category.objects.create(
        slug="bench-lifestyle", name_he="לייפסטייל", name_en="Lifestyle"
    )
    brands = [
        Brand.objects.create(name=f"{name} ·", slug=f"bench-{n}", spellings=spellings)
        for n, (name, spellings) in enumerate(BRANDS)
    ]
    line_names: set[str] = {"Pegasus"}
    while len(line_names) < 600:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3))))
        line_names.add(word.capitalize())
    lines = ProductLine.objects.bulk_create(
        [
            ProductLine(brand=brands[0] if name == "Pegasus" else rng.choice(brands), name=name)
            for name in sorted(line_names)
        ]
    )
    made = []
    for n in range(products):
        line = lines[n % len(lines)]
        colour = COLOURS[n % len(COLOURS)]
        product = Product(
            brand=line.brand,
            line=line,
            category=running if n % 3 else lifestyle,
            name=f"{line.name} {n // len(lines) + 1}",
            slug=f"bench-{n}",
            style_code=f"BN{n:06d}",
            colourway_en=colour[0],
            colourway_he=colour[1],
            price=Decimal("499.90"),
            gender=rng.choice(["men", "women", "unisex", "kids"]),
        )
        product.brand, product.line = line.brand, line
        product.search_text = search.search_text(product)
        made.append(product)
    Product.objects.bulk_create(made, batch_size=1000)
    variants = Variant.objects.bulk_create(
        [
            Variant(
                product=product,
                eu_size=Decimal(38 + size),
                sku=f"{product.style_code}-{38 + size}",
                barcode=f"{290000000000 + product.pk * 10 + size:013d}",
            )
            for product in made
            for size in range(8)
        ],
        batch_size=2000,
    )
    stores = [
        Store.objects.create(
            code=f"bench-{n}",
            name_he=f"סניף {n}",
            name_en=f"Branch {n}",
            city_he="תל אביב",
            city_en="Tel Aviv",
            latitude=Decimal("32.08"),
            longitude=Decimal("34.78"),
        )
        for n in range(6)
    ]
    StockLevel.objects.bulk_create(
        [
            StockLevel(store=store, variant=variant, on_hand=rng.randint(1, 4))
            for variant in variants
            if variant.pk % 3 == 0
            for store in stores
            if rng.random() < 0.5
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        # Rows written in this transaction wait in the GIN index's pending list, which autovacuum
        # would have merged on a live database; merged, the planner sees the index as it is.
        cursor.execute(
            "SELECT gin_clean_pending_list(indexrelid) FROM pg_index JOIN pg_class c "
            "ON c.oid = indexrelid JOIN pg_am am ON am.oid = c.relam "
            "WHERE indrelid = 'catalog_product'::regclass AND am.amname = 'gin'"
        )
        cursor.execute("ANALYZE catalog_product, catalog_variant, inventory_stocklevel")
    return made[len(made) // 2].pk


def first_page(query: str) -> None:
    """What the list view reads: the count, the first page's ids, then their cards."""
    found = product_list(filters=ProductFilters(q=query)).products
    found.count()
    cards(list(found.values_list("pk", flat=True)[:PAGE_SIZE]))


def measure(products: int, samples: int) -> dict[str, Any]:
    rng = random.Random(SEED)
    report: dict[str, Any] = {"products": products, "queries": QUERIES}
    with transaction.atomic():
        started = time.perf_counter()
        pk = build_catalogue(products, rng)
        report["build_seconds"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        vocabulary = search.build_lexicon()
        report["vocabulary_build_ms"] = round((time.perf_counter() - started) * 1000, 1)
        report["vocabulary_entries"] = len(vocabulary.entries)
        search.lexicon()  # built once per catalogue version, as in production

        def rotate(call: Any) -> list[Any]:
            queries = [QUERIES[n % len(QUERIES)] for n in range(samples)]
            return [functools.partial(call, query) for query in queries]

        load_before = round(os.getloadavg()[0], 2)
        rows = interleaved(
            [
                ("primary-key product lookup", [lambda: Product.objects.get(pk=pk)] * samples),
                ("storefront list, no search", [lambda: first_page("")] * samples),
                ("storefront list, first page", rotate(first_page)),
                ("search box suggestions", rotate(suggestions)),
                ("staff finder", rotate(lambda q: stock_finder(query=q, origin=None))),
            ]
        )
        report["load_average"] = [load_before, round(os.getloadavg()[0], 2)]
        transaction.set_rollback(True)
    base = rows[0]
    for row in rows:
        row["p50_ratio"] = round(row["p50_ms"] / base["p50_ms"], 1)
        row["p95_ratio"] = round(row["p95_ms"] / base["p95_ms"], 1)
    report["reads"] = rows
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--samples", type=int, default=150, help="timed calls per measurement")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://.../<own database>")
        return 2
    call_command("migrate", interactive=False, verbosity=0)
    report = {
        "database": connection.settings_dict["NAME"],
        "started_at": datetime.now(UTC).isoformat(),
        "cpus": os.cpu_count(),
        **measure(args.products, args.samples),
    }
    print(
        f"{report['products']} products (built in {report['build_seconds']} s, rolled back); "
        f"vocabulary {report['vocabulary_entries']} names, built in "
        f"{report['vocabulary_build_ms']} ms; load average {report['load_average']}"
    )
    print(f"{'measurement':<30} {'p50 ms':>8} {'p95 ms':>8} {'p50 ×pk':>8} {'p95 ×pk':>8}")
    for row in report["reads"]:
        print(
            f"{row['measurement']:<30} {row['p50_ms']:>8} {row['p95_ms']:>8} "
            f"{row['p50_ratio']:>8} {row['p95_ratio']:>8}"
        )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"search_bench-{stamp}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"Wrote {path.relative_to(RESULTS_DIR.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
