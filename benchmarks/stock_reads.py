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


# --- Reads ------------------------------------------------------------------------------------

ROUNDS = 3  # each measurement's calls are split into rounds, interleaved with the others'


def interleaved(
    measurements: list[tuple[str, list[Callable[[], Any]]]], warmup: int = 5
) -> list[dict[str, Any]]:
    """Time each measurement's calls in ROUNDS rounds, taking turns, so that a busy moment of
    the machine falls on all of them alike rather than on one."""
    for _label, calls in measurements:
        for call in calls[:warmup]:
            call()
    samples: dict[str, list[float]] = {label: [] for label, _calls in measurements}
    cpu: dict[str, list[float]] = {label: [] for label, _calls in measurements}
    for round_ in range(ROUNDS):
        for label, calls in measurements:
            chunk = -(-len(calls) // ROUNDS)
            for call in calls[round_ * chunk : (round_ + 1) * chunk]:
                started, cpu_started = time.perf_counter(), time.process_time()
                call()
                samples[label].append((time.perf_counter() - started) * 1000)
                cpu[label].append((time.process_time() - cpu_started) * 1000)
    # CPU is this process's own (Python) time: the part a busy machine inflates least.
    return [
        {
            "measurement": label,
            "samples": len(samples[label]),
            "p50_ms": round(statistics.median(samples[label]), 2),
            "p95_ms": round(percentile(samples[label], 95), 2),
            "max_ms": round(max(samples[label]), 2),
            "python_cpu_p50_ms": round(statistics.median(cpu[label]), 2),
        }
        for label, _calls in measurements
    ]


def with_ratios(rows: list[dict[str, Any]], reference: str) -> list[dict[str, Any]]:
    base = next(row for row in rows if row["measurement"] == reference)["p50_ms"]
    for row in rows:
        row["x_reference_p50"] = round(row["p50_ms"] / base, 1) if base else None
    return rows


def finder_queries(samples: int, rng: random.Random) -> dict[str, list[str]]:
    """The three searches a salesperson types: an exact SKU (one product's grid, its size
    marked), a model name with its number (a product or a few) and a model name alone (the
    first page of 10 products, each as a per-size summary)."""
    products = PRODUCTS
    skus, names = [], []
    for _ in range(samples):
        p, size = rng.randint(1, products), rng.choice(SIZES)
        skus.append(f"BX{p:06d}-{size}")
        p = rng.randint(1, products)
        names.append(f"{MODELS[p % len(MODELS)]} {p}")
    return {
        "exact SKU": skus,
        "model name + number": names,
        "model name only": [rng.choice(MODELS) for _ in range(samples)],
    }


def bench_salesperson(home: Store) -> Any:
    """A salesperson of the data set's, at `home` (created the first time)."""
    from django.contrib.auth.models import Group, User

    from inventory.models import StaffProfile
    from inventory.permissions import ROLE_SALESPEOPLE

    user, _created = User.objects.get_or_create(
        username="bench-salesperson", defaults={"is_staff": True}
    )
    user.groups.add(Group.objects.get(name=ROLE_SALESPEOPLE))
    StaffProfile.objects.update_or_create(user=user, defaults={"home_store": home})
    return user


def measure_reads(samples: int, rng: random.Random) -> list[dict[str, Any]]:
    """The finder's selector and its whole page (view, template, middleware, through Django's
    test client) for the three searches, and the product page's availability; each against a
    trivial reference measured in the same rounds (a primary-key lookup for the reads, the
    `/healthz/` view for the pages), as a ratio of p50s."""
    from django.test import Client

    stores = list(Store.objects.filter(is_warehouse=False).order_by("pk"))
    queries = finder_queries(samples, rng)

    def finder(query: str, home: Store) -> Callable[[], Any]:
        def run() -> Any:
            result = stock_finder(query=query, origin=point_of(home), home_store_id=home.pk)
            assert result.total >= 1, query
            return result

        return run

    def lookup(pk: int) -> Callable[[], Any]:
        return lambda: Store.objects.get(pk=pk)

    reads: list[tuple[str, list[Callable[[], Any]]]] = [
        (
            "reference: one primary-key lookup",
            [lookup(rng.choice(stores).pk) for _ in range(samples)],
        ),
    ]
    for search, typed in queries.items():
        reads.append(
            (
                f"stock finder selector: {search}",
                [finder(query, rng.choice(stores)) for query in typed],
            )
        )

    def page(slug: str) -> Callable[[], Any]:
        def run() -> Any:
            product = product_for_page(slug=slug)
            return product_availability(product=product)

        return run

    reads.append(
        (
            "product page availability (10 sizes x 99 shops)",
            [page(f"p-{rng.randint(1, PRODUCTS)}") for _ in range(samples)],
        )
    )

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(bench_salesperson(rng.choice(stores)))
    weights: dict[str, int] = {}

    def get(
        label: str,
        path: str,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Callable[[], Any]:
        def run() -> Any:
            response = client.get(path, params, headers=headers)
            assert response.status_code == 200, (path, params, response.status_code)
            weights[label] = len(response.content)
            return response

        return run

    pages: list[tuple[str, list[Callable[[], Any]]]] = [
        ("reference: GET /healthz/", [get("healthz", "/healthz/") for _ in range(samples)]),
    ]
    for search, typed in queries.items():
        label = f"stock finder page (he): {search}"
        pages.append((label, [get(label, "/staff/", {"q": query}) for query in typed]))
    # Opening one model of a name-only search: htmx fetches its grid.
    label = "stock finder page (he): a model opened (htmx)"
    pages.append(
        (
            label,
            [
                get(
                    label,
                    f"/staff/finder/products/{rng.randint(1, PRODUCTS)}/",
                    {"q": query},
                    headers={"HX-Request": "true"},
                )
                for query in queries["model name only"]
            ],
        )
    )

    results = with_ratios(interleaved(reads), "reference: one primary-key lookup")
    results += with_ratios(interleaved(pages), "reference: GET /healthz/")
    for row in results:
        if row["measurement"] in weights:
            row["html_bytes"] = weights[row["measurement"]]
    return results
