"""`seed_demo` step: a launch draw taking entries. A model's pairs at three shops go into the
draw (reserved through the stock services, as head office's page does), entries stay open for
two more days, and a few dozen confirmed numbers have entered — more for the Tel Aviv shop than
it has pairs — so the draw page, its published commitment, head office's demand-against-pairs
page (/staff/launches/) and the entrants' "My requests" have something to show.

Through the launch services the pages call; nothing is drawn or texted until the draw time.
"""

from datetime import timedelta

from django.utils import timezone

from catalog.models import Product
from demand import services
from demand.models import Launch
from inventory import policy
from inventory.models import StockLevel
from notifications.models import ConfirmedNumber

from .context import SeedContext

DEMO_LAUNCH_PREFIX = "+97254557"  # the entrants' numbers: +972 54-557-xxxx
SHOPS = 3
SIZES = 4
ENTRANTS = 36


def _draw_pairs() -> tuple[int, dict[tuple[int, int], int]] | None:
    """The first model with a pair to spare in `SIZES` sizes at each of `SHOPS` shops: one
    pair of each goes into the draw."""
    levels = (
        StockLevel.objects.filter(policy.in_stock_q(at_least=2))
        .filter(policy.customer_store_q("store__"))
        .select_related("variant")
        .order_by("variant__product_id", "store_id", "variant__eu_size")
    )
    found: dict[int, dict[int, list[int]]] = {}
    for level in levels:
        shops = found.setdefault(level.variant.product_id, {})
        shops.setdefault(level.store_id, []).append(level.variant_id)
        full = {store: sizes[:SIZES] for store, sizes in shops.items() if len(sizes) >= SIZES}
        if len(full) >= SHOPS:
            chosen = dict(sorted(full.items())[:SHOPS])
            pairs = {(store, size): 1 for store, sizes in chosen.items() for size in sizes}
            return level.variant.product_id, pairs
    return None


def seed_launch(ctx: SeedContext) -> None:
    if Launch.objects.exists():
        ctx.summary.append("A launch draw already there")
        return
    chosen = _draw_pairs()
    if chosen is None:
        ctx.summary.append("No launch draw: no model has pairs to spare at enough shops")
        return
    product_id, pairs = chosen
    now = timezone.now()
    launch = services.launch_create(
        product=Product.objects.get(pk=product_id),
        times=services.LaunchTimes(
            opens_at=now - timedelta(hours=20),
            closes_at=now + timedelta(days=2),
            draw_at=now + timedelta(days=2),
        ),
        pairs=pairs,
    )
    places = sorted(pairs)
    for n in range(ENTRANTS):
        phone = f"{DEMO_LAUNCH_PREFIX}{n:04d}"
        ConfirmedNumber.objects.get_or_create(
            phone=phone,
            defaults={
                "language": "he" if n % 4 else "en",
                "confirmed_at": now,
                "last_used_at": now,
            },
        )
        # Half of them want the first shop's sizes: that shop has far more entrants than pairs.
        store, size = places[n % SIZES] if n % 2 else places[n % len(places)]
        services.launch_enter(
            launch=launch,
            store=store,
            variant=size,
            phone=phone,
            client_ip=f"10.57.{n // 200}.{n % 200 + 1}",
            result_text=n % 3 != 0,
            language="he" if n % 4 else "en",
        )
    ctx.summary.append(
        f"A launch draw taking entries: {len(pairs)} pairs at {SHOPS} shops, {ENTRANTS} entrants "
        f"(/draws/{launch.pk}/, head office: /staff/launches/)."
    )
