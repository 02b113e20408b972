"""Row locks on stock levels, always taken in primary-key order so writers never deadlock."""

import operator
from collections import defaultdict
from collections.abc import Iterable
from functools import reduce

from django.db.models import Q

from .models import StockLevel

LevelKey = tuple[int, int]  # (store_id, variant_id)


def levels_matching(keys: Iterable[LevelKey]) -> Q:
    """A filter for exactly these (store, variant) levels: one term per store, so a till batch
    of many sizes at its store stays one short `store_id = … AND variant_id IN (…)`."""
    by_store: dict[int, set[int]] = defaultdict(set)
    for store_id, variant_id in keys:
        by_store[store_id].add(variant_id)
    terms = [
        Q(store_id=store_id, variant_id__in=sorted(variant_ids))
        for store_id, variant_ids in sorted(by_store.items())
    ]
    if not terms:
        return Q(pk__in=[])  # matches nothing
    return reduce(operator.or_, terms)


def lock_levels(keys: Iterable[LevelKey]) -> dict[LevelKey, StockLevel]:
    """Lock the stock levels for these (store, variant) pairs, creating missing ones at zero.

    Must run inside `transaction.atomic()`. Returns the locked rows by key.
    """
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    match = levels_matching(wanted)
    locked = _select(match)
    missing = [key for key in wanted if key not in locked]
    if missing:
        # A concurrent creator wins harmlessly thanks to the unique constraint (rows are
        # inserted in key order, so two creators wait on each other in one order). Locking
        # again (all rows, in pk order) keeps one order for every writer.
        StockLevel.objects.bulk_create(
            [StockLevel(store_id=s, variant_id=v) for s, v in missing], ignore_conflicts=True
        )
        locked = _select(match)
    return locked


def _select(match: Q) -> dict[LevelKey, StockLevel]:
    rows = StockLevel.objects.select_for_update().filter(match).order_by("pk")
    return {(row.store_id, row.variant_id): row for row in rows}
