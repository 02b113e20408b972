"""Launch draws on the production stack: the draw of 50,000 entries, its fairness over many
seeds, and entering under 200 concurrent clients against Django's hello-world in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/base \
    REDIS_URL=redis://127.0.0.1:6379/5 \
    python benchmarks/launch_bench.py [--entries 50000] [--seeds 2000] [--seconds 10] \
        [--workers 4] [--connections 200] [--rounds 2]

Production settings (as benchmarks/pages_bench.py sets them), a scratch database
`<name>_launch_bench` dropped on exit, REDIS_URL's database emptied (the cache and the Celery
broker: give the run a database of its own). Three parts:

- **Draw**: the page benchmark's data set at 12 shops (benchmarks/pages_dataset.py), its
  busiest model in 10 sizes, 10 pairs a shop and size (1,200 pairs) reserved by
  `launch_create`; 50,000 entries written directly (demand skewed towards some shops and
  sizes, half asking for the result text). Timed: `launch_draw` — every winner's hold placed,
  every text written to the outbox and its send queued on the broker (no worker consumes it).
  Then the published result is read back and every store's size's order recomputed from the
  seed alone (and the seed checked against the commitment).
- **Fairness**: `drawn_order` over --seeds different seeds for one store's size of 100
  entrants and 10 pairs: each entrant's wins against seeds × 10 / 100, Pearson's chi-square
  with 99 degrees of freedom and its p-value; and the place each entrant draws (uniform
  over 1..100), the same way.
- **Entering**: gunicorn with --workers sync workers for the project and for the hello-world
  (benchmarks/helloworld), both on core 0; wrk on core 1 with --connections connections.
  Each request is a confirmed number entering from a browser that confirmed it before (its
  signed cookie), a different number each time: the form, the number's gate, one entry in
  one short transaction, the session, the redirect. Figures: entries per second, p95
  latency, and the ratio to the hello-world's requests per second measured just before in
  the same round; and the launch's product page (kept-page cache) under the same load.

Prints the figures with the load average and writes benchmarks/results/launch-<stamp>.json.
"""

import argparse
import atexit
import hashlib
import json
import math
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _private_broker() -> str:
    """The broker on a redis-server of its own, as production demands (it must never evict a
    task; the cache's Redis evicts pages), for this run only; stopped at exit."""
    if os.environ.get("CELERY_BROKER_URL"):
        return os.environ["CELERY_BROKER_URL"]
    binary = shutil.which("redis-server")
    if binary is None:
        print("The launch benchmark needs redis-server for its broker (or CELERY_BROKER_URL).")
        sys.exit(2)
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    atexit.register(process.terminate)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    return f"redis://127.0.0.1:{port}/0"


os.environ["CELERY_BROKER_URL"] = _private_broker()

from django.conf import settings  # noqa: E402
from django.core import signing  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.dataset import database_url  # noqa: E402
from benchmarks.pages_bench import (  # noqa: E402 (sets the production environment, then django.setup())
    FORWARDED,
    LOAD_CORE,
    RESULTS_DIR,
    STATIC_ROOT,
    WRK,
    Server,
    _raise_exit,
    fetch,
    start,
    stop,
)
from benchmarks.pages_dataset import build_dataset, busiest_product  # noqa: E402
from core.phones import phone_digest  # noqa: E402
from demand import selectors, services  # noqa: E402
from demand.models import Launch, LaunchEntry  # noqa: E402
from demand.views.session import KNOWN_COOKIE, KNOWN_SALT  # noqa: E402
from inventory import policy  # noqa: E402
from inventory.models import Hold, StockMovement, Store  # noqa: E402
from inventory.services import StockChange, stock_apply  # noqa: E402
from notifications.models import ConfirmedNumber, Message  # noqa: E402

STORES, SIZES, PAIRS = 12, 10, 10
CSRF = "b" * 32
# Limits a real crowd from one address would hit: the load comes from one loopback address.
UNLIMITED = {
    "SMS_SIGNUPS_PER_NUMBER_HOUR": "100000000",
    "SMS_SIGNUPS_PER_IP_HOUR": "100000000",
    "LAUNCH_ENTERS_PER_IP_HOUR": "100000000",
    "LAUNCH_ENTRIES_PER_CLIENT": "100000000",
}
LUA = """
local rows = {}
local i = 0
init = function(args)
  for line in io.lines(args[1]) do rows[#rows + 1] = line end
end
request = function()
  i = i % #rows + 1
  local cookie, body = rows[i]:match("([^\\t]+)\\t(.+)")
  wrk.headers["Cookie"] = cookie
  return wrk.format("POST", nil, nil, body)
end
done = function(summary, latency, requests)
  io.write(string.format("P95_US %d\\n", latency:percentile(95)))
  io.write(string.format("P50_US %d\\n", latency:percentile(50)))
end
"""
GET_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("P95_US %d\\n", latency:percentile(95)))
  io.write(string.format("P50_US %d\\n", latency:percentile(50)))
end
"""


# --- The draw ------------------------------------------------------------------------------


def _launch(product: Any, sizes: list[Any], shops: list[Store]) -> Launch:
    """A launch taking entries now, of 10 pairs at each shop and size, the pairs received
    first (no announcement: nobody waits for them)."""
    stock_apply(
        changes=[
            StockChange(
                shop.pk,
                size.pk,
                reason=StockMovement.Reason.RECEIPT,
                delta=PAIRS,
                reference="bench",
            )
            for shop in shops
            for size in sizes
        ],
        announce=False,
    )
    now = timezone.now()
    return services.launch_create(
        product=product,
        times=services.LaunchTimes(
            now - timedelta(hours=1), now + timedelta(hours=1), now + timedelta(hours=2)
        ),
        pairs={(shop.pk, size.pk): PAIRS for shop in shops for size in sizes},
    )


def _entries(launch: Launch, keys: list[tuple[int, int]], count: int) -> None:
    rng = random.Random(7)
    weights = [1 / (1 + i % 17) for i in range(len(keys))]  # some shops and sizes far hotter
    rows = [
        LaunchEntry(
            launch=launch,
            public_id=secrets.token_hex(6),
            phone=f"+97250{i:07d}",
            store_id=key[0],
            variant_id=key[1],
            result_text=rng.random() < 0.5,
            client_key=f"10.{i // 65536}.{i // 256 % 256}.{i % 256}",
        )
        for i, key in enumerate(rng.choices(keys, weights, k=count))
    ]
    LaunchEntry.objects.bulk_create(rows, batch_size=5000)


def measure_draw(entries: int) -> dict[str, Any]:
    product = busiest_product()
    sizes = sorted(product.variants.all(), key=lambda v: v.eu_size)[:SIZES]
    shops = list(Store.objects.filter(policy.customer_store_q()).order_by("pk")[:STORES])
    launch = _launch(product, sizes, shops)
    _entries(launch, [(s.pk, v.pk) for s in shops for v in sizes], entries)
    Launch.objects.filter(pk=launch.pk).update(
        closes_at=timezone.now() - timedelta(seconds=2),
        draw_at=timezone.now() - timedelta(seconds=1),
    )
    started = time.perf_counter()
    result = services.launch_draw(launch=launch.pk)
    drawn = time.perf_counter() - started
    again = time.perf_counter()
    repeat = services.launch_draw(launch=launch.pk)
    redraw = time.perf_counter() - again
    launch.refresh_from_db()
    started = time.perf_counter()
    public = selectors.launch_public(launch)
    assert hashlib.sha256(bytes.fromhex(public.seed or "")).hexdigest() == public.commitment
    published: dict[tuple[int, int], list[str]] = {}
    for store_id, variant_id, code, *_rest in selectors.launch_published_rows(launch):
        published.setdefault((store_id, variant_id), []).append(code)
    recomputed = sum(len(codes) for codes in published.values()) == entries and all(
        codes == services.drawn_order(public.seed or "", codes) for codes in published.values()
    )
    verify = time.perf_counter() - started
    return {
        "entries": entries,
        "stores": len(shops),
        "sizes": len(sizes),
        "pairs": len(shops) * len(sizes) * PAIRS,
        "winners": result.winners,
        "in_line": result.in_line,
        "holds_active": Hold.objects.filter(status=Hold.Status.ACTIVE).count(),
        "winner_texts": Message.objects.filter(purpose=Message.Purpose.HOLD_READY).count(),
        "result_texts": Message.objects.filter(purpose=Message.Purpose.LAUNCH_RESULT).count(),
        "draw_seconds": round(drawn, 2),
        "second_draw_seconds": round(redraw, 3),
        "second_draw_sizes": repeat.sizes_drawn,
        "order_recomputed_from_published_seed": recomputed,
        "recompute_seconds": round(verify, 2),
    }


# --- Fairness ------------------------------------------------------------------------------


def chi_square_p(chi2: float, df: int) -> float:
    """Upper tail of the chi-square distribution (Wilson–Hilferty; good to ~3 digits here)."""
    z = ((chi2 / df) ** (1 / 3) - (1 - 2 / (9 * df))) / math.sqrt(2 / (9 * df))
    return 0.5 * math.erfc(z / math.sqrt(2))


def measure_fairness(seeds: int, entrants: int = 100, pairs: int = 10) -> dict[str, Any]:
    codes = [secrets.token_hex(6) for _ in range(entrants)]
    wins: Counter[str] = Counter()
    places: Counter[tuple[str, int]] = Counter()
    firsts: Counter[str] = Counter()
    for n in range(seeds):
        seed = hashlib.sha256(f"bench-seed-{n}".encode()).hexdigest()
        order = services.drawn_order(seed, codes)
        wins.update(order[:pairs])
        firsts[order[0]] += 1
        for place, code in enumerate(order):
            places[(code, place // 10)] += 1
    expected = seeds * pairs / entrants
    chi2 = sum((wins[c] - expected) ** 2 / expected for c in codes)
    first_expected = seeds / entrants
    chi2_first = sum((firsts[c] - first_expected) ** 2 / first_expected for c in codes)
    rates = [wins[c] / seeds for c in codes]
    return {
        "seeds": seeds,
        "entrants": entrants,
        "pairs": pairs,
        "expected_win_rate": pairs / entrants,
        "win_rate_mean": round(statistics.mean(rates), 4),
        "win_rate_min": round(min(rates), 4),
        "win_rate_max": round(max(rates), 4),
        "chi_square_wins": round(chi2, 1),
        "degrees_of_freedom": entrants - 1,
        "p_value_wins": round(chi_square_p(chi2, entrants - 1), 3),
        "chi_square_first_place": round(chi2_first, 1),
        "p_value_first_place": round(chi_square_p(chi2_first, entrants - 1), 3),
    }


# --- Entering under load -------------------------------------------------------------------


def run_wrk(url: str, seconds: int, connections: int, script: str, data: str = "") -> dict:
    command = ["taskset", "-c", LOAD_CORE, WRK, "-t1", f"-c{connections}", f"-d{seconds}s"]
    command += ["--timeout", "30s", "-s", script]
    for name, value in FORWARDED.items():
        command += ["-H", f"{name}: {value}"]
    if data:
        command += ["-H", "Content-Type: application/x-www-form-urlencoded"]
        command += ["-H", f"Referer: {url.replace('http://', 'https://')}"]
    command.append(url)
    if data:
        command += ["--", data]
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 90)
    text = out.stdout

    def number(pattern: str) -> float:
        import re

        found = re.search(pattern, text)
        return float(found.group(1)) if found else 0.0

    return {
        "rps": number(r"Requests/sec:\s+([\d.]+)"),
        "requests": int(number(r"(\d+) requests in")),
        "bad": int(number(r"Non-2xx or 3xx responses: (\d+)")),
        "p50_ms": round(number(r"P50_US (\d+)") / 1000, 1),
        "p95_ms": round(number(r"P95_US (\d+)") / 1000, 1),
        "socket_errors": (
            text.split("Socket errors:")[1].splitlines()[0].strip()
            if "Socket errors:" in text
            else ""
        ),
    }


def _entry_rows(launch: Launch, count: int, path: Path) -> None:
    """`count` confirmed numbers, each with the signed cookie of a browser that confirmed it
    and the form that enters it, one a line for wrk's script."""
    now = timezone.now()
    phones = [f"+97250{5000000 + i:07d}" for i in range(count)]
    ConfirmedNumber.objects.bulk_create(
        [ConfirmedNumber(phone=p, confirmed_at=now, last_used_at=now) for p in phones],
        batch_size=5000,
        ignore_conflicts=True,
    )
    choices = selectors.launch_choices(launch)
    signer = signing.get_cookie_signer(salt=KNOWN_COOKIE + KNOWN_SALT)
    lines = []
    for i, phone in enumerate(phones):
        choice = choices[i % len(choices)]
        cookie = f"csrftoken={CSRF}; {KNOWN_COOKIE}={signer.sign(phone_digest(phone))}"
        body = (
            f"csrfmiddlewaretoken={CSRF}&variant={choice.variant_id}&store={choice.store_id}"
            f"&phone=%2B{phone[1:]}&language=he&result_text=on&channel=sms"
        )
        lines.append(f"{cookie}\t{body}")
    path.write_text("\n".join(lines) + "\n")


def measure_entering(args: argparse.Namespace, log: Path, scratch_env: dict[str, str]) -> dict:
    product = Launch.objects.get().product
    shops = list(Store.objects.filter(policy.customer_store_q()).order_by("pk")[:STORES])
    sizes = sorted(product.variants.all(), key=lambda v: v.eu_size)[:SIZES]
    launch = _launch(product, sizes, shops)  # the next release: a fresh 10 pairs a shop and size
    tmp = Path(tempfile.mkdtemp(prefix="launch-bench-"))
    rows, post, get = tmp / "rows.tsv", tmp / "post.lua", tmp / "get.lua"
    _entry_rows(launch, args.numbers, rows)
    post.write_text(LUA)
    get.write_text(GET_LUA)
    env = {**scratch_env, **UNLIMITED}
    hello = Server(
        "hello-world",
        "benchmarks.helloworld.wsgi:application",
        {**env, "DJANGO_SETTINGS_MODULE": "benchmarks.helloworld.settings"},
    )
    project = Server("project", "config.wsgi:application", env)
    rounds = []
    try:
        start(hello, log, workers=args.workers)
        start(project, log, workers=args.workers)
        entry_url = f"{project.url}/draws/{launch.pk}/"
        product_url = f"{project.url}{product.get_absolute_url()}"
        for url in (entry_url, product_url, hello.url + "/"):
            fetch(url)
        for _ in range(args.rounds):
            before = LaunchEntry.objects.filter(launch=launch).count()
            hello_run = run_wrk(hello.url + "/", args.seconds, args.connections, str(get))
            fetch(hello.url + "/")
            enter_run = run_wrk(
                entry_url, args.seconds, args.connections, str(post), data=str(rows)
            )
            fetch(product_url)  # after the requests still queued from the last run
            made = LaunchEntry.objects.filter(launch=launch).count() - before
            page_run = run_wrk(product_url, args.seconds, args.connections, str(get))
            fetch(product_url)
            rounds.append(
                {
                    "load_average": [round(x, 2) for x in os.getloadavg()],
                    "hello_world": hello_run,
                    "enter": {**enter_run, "new_entries": made},
                    "entries_vs_hello": round(enter_run["rps"] / hello_run["rps"], 3),
                    "product_page": page_run,
                    "product_page_vs_hello": round(page_run["rps"] / hello_run["rps"], 3),
                }
            )
            print(json.dumps(rounds[-1]))
    finally:
        stop(project)
        stop(hello)
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        "workers": args.workers,
        "connections": args.connections,
        "seconds": args.seconds,
        "numbers": args.numbers,
        "entries_total": LaunchEntry.objects.filter(launch=launch).count(),
        "rounds": rounds,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--seeds", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--numbers", type=int, default=30_000, help="numbers that enter")
    parser.add_argument("--skip-load", action="store_true", help="the draw and fairness only")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("The launch benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
        return 2
    signal.signal(signal.SIGTERM, _raise_exit)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    log = RESULTS_DIR / "launch-gunicorn.log"
    scratch = f"{connection.settings_dict['NAME']}_launch_bench"
    connection.settings_dict["TEST"]["NAME"] = scratch
    report: dict[str, Any] = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "settings": "config.settings.production",
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    created = False
    try:
        print(f"Scratch database {scratch}...")
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        created = True
        cache.clear()
        build_dataset(stores=STORES, sizes=14)
        report["fairness"] = measure_fairness(args.seeds)
        print("fairness", json.dumps(report["fairness"]))
        report["draw"] = measure_draw(args.entries)
        print("draw", json.dumps(report["draw"]))
        if not args.skip_load:
            call_command("collectstatic", interactive=False, verbosity=0)
            env = {
                **os.environ,
                "PYTHONDONTWRITEBYTECODE": "1",
                "DATABASE_URL": database_url(settings.DATABASES["default"]),
            }
            report["entering"] = measure_entering(args, log, env)
    except KeyboardInterrupt:
        print("\nInterrupted: dropping the scratch database.")
        return 130
    finally:
        connection.close()
        if created:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        cache.clear()
        shutil.rmtree(STATIC_ROOT, ignore_errors=True)
    report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"launch-{stamp}.json"
    path.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    print(f"Written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
