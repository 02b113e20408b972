"""The sizes' stock summaries (`SizeStock`): written with every stock write, rebuilt on demand.

A write sets, for each level it changed, that store's entry in its size's summary — the pairs
`policy.available` counts on the locked row after the change, and when it was confirmed —
or takes the entry out when nothing is left for sale. The summary rows are locked (in size
order, after the levels, which every writer locks first) before they are read, so two writers
of one size at different stores both land, one after the other, and never deadlock.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction

from catalog.models import Variant

from .. import policy
from ..models import SizeStock, StockLevel

# (variant id, store id, pairs available after the write)
Entry = tuple[int, int, int]


def size_stock_write(entries: Iterable[Entry], *, confirmed_at: datetime) -> None:
    """Set each (size, store)'s entry in its size's summary, in the current transaction (three
    queries, whatever the number of sizes)."""
    changed: dict[int, dict[str, int]] = defaultdict(dict)
    for variant_id, store_id, available in entries:
        changed[variant_id][str(store_id)] = available
    if not changed:
        return
    variant_ids = sorted(changed)
    SizeStock.objects.bulk_create(
        [
            SizeStock(variant_id=pk, product_id=product_id)
            for pk, product_id in Variant.objects.filter(pk__in=variant_ids).values_list(
                "pk", "product_id"
            )
        ],
        ignore_conflicts=True,
    )
    rows = list(
        SizeStock.objects.select_for_update().filter(variant_id__in=variant_ids).order_by("pk")
    )
    stamp = confirmed_at.isoformat()
    for row in rows:
        for store, available in changed[row.pk].items():
            if available > 0:
                row.shops[store] = [available, stamp]
            else:
                row.shops.pop(store, None)
    SizeStock.objects.bulk_update(rows, ["shops"])


def size_stock_from_levels(variant_ids: Iterable[int] | None = None) -> dict[int, dict]:
    """What each size's summary must say, read from its stock levels (every size when
    `variant_ids` is None): variant id → its `shops`. Sizes with nothing for sale are absent."""
    levels = StockLevel.objects.filter(policy.in_stock_q())
    if variant_ids is not None:
        levels = levels.filter(variant_id__in=list(variant_ids))
    shops: dict[int, dict] = defaultdict(dict)
    for variant_id, store_id, on_hand, reserved, updated_at in levels.values_list(
        "variant_id", "store_id", "on_hand", "reserved", "updated_at"
    ).iterator(chunk_size=5000):
        available = policy.available(on_hand=on_hand, reserved=reserved)
        shops[variant_id][str(store_id)] = [available, updated_at.isoformat()]
    return dict(shops)


def size_stock_rebuild() -> int:
    """Write every size's summary again from the levels; returns the number of sizes.

    Writers of stock wait meanwhile (every summary row is locked first), so none is lost
    between the read of the levels and the summaries written from them."""
    with transaction.atomic():
        list(SizeStock.objects.select_for_update().order_by("pk").values_list("pk"))
        shops = size_stock_from_levels()
        rows = [
            SizeStock(variant_id=pk, product_id=product_id, shops=shops.get(pk, {}))
            for pk, product_id in Variant.objects.values_list("pk", "product_id")
        ]
        SizeStock.objects.bulk_create(
            rows,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["variant"],
            update_fields=["shops"],
        )
        return len(rows)
