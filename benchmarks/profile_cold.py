"""Where a cold product page's time goes: cProfile over many cold builds at --stores shops.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch> REDIS_URL=redis://127.0.0.1:6379/<n> \
    python -m benchmarks.profile_cold [--stores 100] [--requests 200] [--load] [--plain] \
        [--kept-frames]

Production settings (as benchmarks/pages_bench.py sets them), Django's test client, every
request a miss (traffic_bench's cold builds: each product page with its own size and city).
DATABASE_URL's database is migrated and loaded with the page data set when --load is given
(it is emptied first: give it a scratch database; REDIS_URL's database is emptied too). Prints
ms a page (wall, and this process's CPU), SQL queries a page and, unless --plain (timings
without the profiler), the top of the profile by cumulative and by own time. Not part of
`make bench`: a tool for finding what a build spends its time on.
"""

import argparse
import cProfile
import pstats
import random
import shutil
import time

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.utils import translation

from benchmarks.pages_bench import (
    FORWARDED,
    STATIC_ROOT,
)  # sets the production environment, django.setup()
from benchmarks.pages_dataset import SIZES, build_dataset
from benchmarks.traffic_bench import cold_builds
from catalog.models import Product
from storefront.frames import kept_frame


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stores", type=int, default=100)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--load", action="store_true")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--plain", action="store_true", help="time without the profiler")
    parser.add_argument(
        "--kept-frames",
        action="store_true",
        help="keep every product's frame first (storefront.frames), as a busy shop has them",
    )
    args = parser.parse_args()
    if args.load:
        call_command("migrate", verbosity=0)
        print(build_dataset(stores=args.stores, sizes=len(SIZES)))
    call_command("collectstatic", interactive=False, verbosity=0)
    cache.clear()
    products = list(Product.objects.order_by("pk").prefetch_related("variants"))
    asks = cold_builds(products, random.Random(1))[: args.requests]
    client = Client(headers={**FORWARDED, "Host": "127.0.0.1"})
    client.get(asks[-1].path)  # imports, template loading
    if args.kept_frames:
        keep_frames(products)
    queries: list[str] = []

    def record(execute, sql, params, many, context):  # noqa: ANN001, ANN202
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        for ask in asks[:20]:
            client.get(ask.path)
    profile = cProfile.Profile()
    started, cpu = time.perf_counter(), time.process_time()
    if not args.plain:
        profile.enable()
    for ask in asks[20:]:
        response = client.get(ask.path)
        assert response.status_code == 200, (ask.path, response.status_code)
    profile.disable()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    count = len(asks) - 20
    print(
        f"{count} cold product pages: {elapsed / count * 1000:.1f} ms a page "
        f"({cpu / count * 1000:.1f} ms of this process's CPU), "
        f"{len(queries) / 20:.1f} SQL queries a page"
    )
    if args.plain:
        return
    stats = pstats.Stats(profile).strip_dirs()
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


def keep_frames(products: list[Product]) -> None:
    """Every product's frame kept in both languages, and nothing else: its size lines and
    pages are still built on their first request."""
    factory = RequestFactory(headers={**FORWARDED, "Host": "127.0.0.1"})
    for language in ("he", "en"):
        with translation.override(language):
            for product in products:
                kept_frame(factory.get(product.get_absolute_url()), product)


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(STATIC_ROOT, ignore_errors=True)
