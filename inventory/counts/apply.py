"""Applying a count plan: one COUNT movement per line whose number changed, all or nothing."""

from collections.abc import Callable
from typing import Any

from django.db import transaction

from ..errors import InsufficientStock, InvalidQuantity
from ..models import StockMovement
from ..services import StockChange, stock_apply, stock_lock
from .plan import CountFileInvalid, CountPlan, CountProblem, chunked

CHUNK_SIZE = 500


def stock_count_import(
    *,
    plan: CountPlan,
    user: Any = None,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[int], None] | None = None,
) -> list[StockMovement]:
    """Apply a valid plan: one COUNT movement for each line whose number differs from on-hand.

    One transaction, all or nothing; rows are locked a chunk at a time in primary-key order and
    compared again under the lock (a till may have sold a pair since the preview: the count
    still sets the number counted, and a line that now matches writes nothing). `progress` is
    called with the number of lines done after each chunk. Raises `CountFileInvalid` for a plan
    with problems, or when a count falls below pairs held since the preview.
    """
    if not plan.is_valid:
        raise CountFileInvalid(plan.problems)
    # Ledger text, like the other services' references: the same whatever the staff language.
    reference = f"count file {plan.name}".strip()[:100]
    # Existing rows in primary-key order first, so every chunk locks rows in the same order
    # as any other writer.
    rows = sorted(
        plan.rows, key=lambda r: (r.level_id is None, r.level_id or 0, r.store.pk, r.variant.pk)
    )
    movements: list[StockMovement] = []
    with transaction.atomic():
        for chunk in chunked(rows, chunk_size):
            changes = [
                StockChange(
                    store_id=row.store.pk,
                    variant_id=row.variant.pk,
                    reason=StockMovement.Reason.COUNT,
                    set_on_hand=row.counted,
                    reference=reference,
                )
                for row in chunk
            ]
            # Locked (holds, then levels) before comparing: a line that now matches is skipped.
            locked = stock_lock(changes)
            changed = [
                (row, change)
                for row, change in zip(chunk, changes, strict=True)
                if locked.levels[change.key].on_hand != row.counted
            ]
            if changed:
                try:
                    movements.extend(
                        stock_apply(changes=[c for _row, c in changed], user=user, locked=locked)
                    )
                except (InsufficientStock, InvalidQuantity) as exc:
                    position = getattr(exc, "line", None)
                    line = (
                        changed[position][0].line
                        if position is not None and 0 <= position < len(changed)
                        else 0
                    )
                    raise CountFileInvalid([CountProblem(line, "counted", exc.message)]) from exc
            if progress is not None:
                progress(len(chunk))
    return movements
