"""The stock benchmark's read measurements: the stock finder and the product page's
availability, timed call by call."""

import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import benchmarks.stock_setup  # noqa: F401  (Django is set up before the models below)
from benchmarks.stock_dataset import MODELS, PRODUCTS, SIZES
from catalog.selectors import product_for_page
from inventory.geo import point_of
from inventory.models import Store
from inventory.selectors import product_availability, stock_finder

# --- Timing helpers ----------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def timed(label: str, calls: list[Callable[[], Any]], warmup: int = 5) -> dict[str, Any]:
    for call in calls[:warmup]:
        call()
    samples, cpu = [], []
    for call in calls:
        started, cpu_started = time.perf_counter(), time.process_time()
        call()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    # CPU is this process's own (Python) time: the part a busy machine inflates least.
    return {"measurement": label, "samples": len(samples),
            "p50_ms": round(statistics.median(samples), 2),
            "p95_ms": round(percentile(samples, 95), 2),
            "max_ms": round(max(samples), 2),
            "python_cpu_p50_ms": round(statistics.median(cpu), 2)}


# --- Reads ------------------------------------------------------------------------------------

def measure_reads(samples: int, rng: random.Random) -> list[dict[str, Any]]:
    stores = list(Store.objects.filter(is_warehouse=False).order_by("pk"))
    products = PRODUCTS
    results = []

    def finder(query: str, home: Store) -> Callable[[], Any]:
        def run() -> Any:
            result = stock_finder(query=query, origin=point_of(home), home_store_id=home.pk)
            assert result.total >= 1, query
            return result
        return run

    sku_calls = []
    for _ in range(samples):
        p, size = rng.randint(1, products), rng.choice(SIZES)
        sku_calls.append(finder(f"BX{p:06d}-{size}", rng.choice(stores)))
    results.append(timed("stock finder: exact SKU (10 sizes x 100 stores grid)", sku_calls))

    name_calls = []
    for _ in range(samples):
        p = rng.randint(1, products)
        name_calls.append(finder(f"{MODELS[p % len(MODELS)]} {p}", rng.choice(stores)))
    results.append(timed("stock finder: model name + number (one product)", name_calls))

    word_calls = [finder(rng.choice(MODELS), rng.choice(stores))
                  for _ in range(max(samples // 4, 20))]
    results.append(timed("stock finder: model name only (first page of 10 products)",
                         word_calls))

    def page(slug: str) -> Callable[[], Any]:
        def run() -> Any:
            product = product_for_page(slug=slug)
            return product_availability(product=product)
        return run

    page_calls = [page(f"p-{rng.randint(1, products)}") for _ in range(samples)]
    results.append(timed("product page availability (10 sizes x 99 shops)", page_calls))
    return results
