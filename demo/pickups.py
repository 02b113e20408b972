"""`seed_demo` step: a day at the Dizengoff branch's holds desk. Pairs held for customers who
were texted over the last day; some chose when they will come from their text's page, one
asked for one more day, one is close to running out (its reminder is due).

Everything goes through the services customers' own clicks use: the allocation holds the pairs
and writes the texts, `hold_plan_pickup` and `hold_extend` record the choices.
"""

from datetime import timedelta

from django.utils import timezone

from demand import services as notifications
from demand.models import WaitlistEntry
from inventory import selectors as inventory_selectors
from inventory import services as inventory
from inventory.models import StockLevel

from .context import SeedContext

DEMO_PICKUP_PREFIX = "+97254556"  # these customers' numbers: +972 54-556-xxxx
STORE = "tlv"
# (hours since the customer was texted, which offered slot they chose (None: not yet),
#  asked for one more day?, language)
CUSTOMERS = [
    (3, 1, False, "he"),
    (20, 0, False, "he"),
    (22, None, False, "he"),  # two hours left: the store's reminder is due
    (23, None, True, "en"),
    (6, None, False, "he"),
    (1, 4, False, "en"),
]


def seed_pickups(ctx: SeedContext) -> None:
    if WaitlistEntry.objects.filter(phone__startswith=DEMO_PICKUP_PREFIX).exists():
        return
    store = ctx.stores[STORE]
    # Sizes with pairs to spare, so the shelf still shows them on sale.
    sizes = list(
        StockLevel.objects.filter(store=store)
        .in_stock(at_least=3)
        .order_by("variant__sku")
        .values_list("variant_id", flat=True)
    )
    now = timezone.now()
    planned = 0
    for serial, (told_ago, slot, extend, language) in enumerate(CUSTOMERS):
        if not sizes:
            break
        variant_id = sizes[(serial * 7) % len(sizes)]
        sizes.remove(variant_id)
        WaitlistEntry.objects.create(
            phone=f"{DEMO_PICKUP_PREFIX}{serial:04d}",
            variant_id=variant_id,
            store=store,
            language=language,
            status=WaitlistEntry.Status.ACTIVE,
            activated_at=now,
        )
        holds = notifications.waitlist_allocate(store_id=store.pk, variant_id=variant_id)
        if not holds:
            continue
        hold = inventory.hold_start_clock(hold=holds[0], at=now - timedelta(hours=told_ago))
        if extend:
            hold = inventory.hold_extend(hold=hold, now=now)
        if slot is not None and hold.expires_at is not None:
            days = inventory_selectors.pickup_slots(store=store, until=hold.expires_at, now=now)
            offered = [s for day in days for s in day.slots]
            if offered:
                inventory.hold_plan_pickup(
                    hold=hold, at=offered[min(slot, len(offered) - 1)].start, now=now
                )
                planned += 1
    ctx.summary.append(
        f"{len(CUSTOMERS)} pairs held at {store.code} for pick-up, {planned} with a time chosen"
    )
