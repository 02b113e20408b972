"""Row locks on stock levels, always taken in primary-key order so writers never deadlock."""

from collections.abc import Iterable

from django.db.models import Q

from .models import StockLevel

LevelKey = tuple[int, int]  # (store_id, variant_id)


def lock_levels(keys: Iterable[LevelKey]) -> dict[LevelKey, StockLevel]:
    """Lock the stock levels for these (store, variant) pairs, creating missing ones at zero.

    Must run inside `transaction.atomic()`. Returns the locked rows by key.
    """
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    match = Q()
    for store_id, variant_id in wanted:
        match |= Q(store_id=store_id, variant_id=variant_id)
    locked = _select(match)
    missing = [key for key in wanted if key not in locked]
    if missing:
        # A concurrent creator wins harmlessly thanks to the unique constraint. Locking again
        # (all rows, in pk order) keeps one order for every writer.
        StockLevel.objects.bulk_create(
            [StockLevel(store_id=s, variant_id=v) for s, v in missing], ignore_conflicts=True
        )
        locked = _select(match)
    return locked


def _select(match: Q) -> dict[LevelKey, StockLevel]:
    rows = StockLevel.objects.select_for_update().filter(match).order_by("pk")
    return {(row.store_id, row.variant_id): row for row in rows}
