"""The batches of stock movements store tills post.

A batch is applied all-or-nothing through `stock_apply`, with each line's till reference
stored as the movement's `external_reference` with a fingerprint of the whole line: a line
the store already has under its reference is skipped and reported as a duplicate, so a till
that resends a batch after a timeout never counts anything twice; a line that differs in any
field (its time, its store, its code...) under a used reference is a conflict.
"""

import logging
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Variant
from core import metrics

from .. import policy
from ..errors import InsufficientStock, InvalidQuantity, StockError
from ..models import StockMovement, Store, TillToken
from ..services import StockChange, stock_apply, stock_lock
from .batch import (
    MAX_BATCH_LINES,
    IngestResult,
    LineError,
    LineResult,
    LineType,
    TillBatchInsufficient,
    TillBatchRejected,
    TillLine,
    TillReferenceConflict,
)
from .checks import check_lines, fingerprint, normalized, resolve_variants

logger = logging.getLogger(__name__)


def stock_ingest(*, token: TillToken, lines: Sequence[TillLine]) -> IngestResult:
    """Apply a till's batch to its own store, all lines or none (`_stock_ingest`), counting its
    lines by result for the metrics."""
    code = token.store.code
    try:
        result = _stock_ingest(token=token, lines=lines)
    except TillBatchRejected as exc:
        refused = (
            "conflict"
            if isinstance(exc, TillReferenceConflict)
            else "insufficient"
            if isinstance(exc, TillBatchInsufficient)
            else "rejected"
        )
        metrics.TILL_LINES.labels(store=code, result=refused).inc(len(lines))
        raise
    for status in ("applied", "duplicate"):
        count = sum(1 for line in result.lines if line.status == status)
        if count:
            metrics.TILL_LINES.labels(store=code, result=status).inc(count)
    return result


def _stock_ingest(*, token: TillToken, lines: Sequence[TillLine]) -> IngestResult:
    """Apply a till's batch to its own store, all lines or none.

    Lines whose reference the store already recorded are skipped and reported as duplicates
    (checked after the levels are locked, so a batch resent while the first attempt is still
    running waits for it and then sees its lines). Raises `TillBatchRejected` listing every
    line and field at fault (bad input, duplicate reference inside the batch, unknown SKU),
    or `TillBatchInsufficient` for lines that would sell more than is available; in both
    cases nothing is written.
    """
    store = token.store
    lines = [normalized(line) for line in lines]
    if not lines:
        raise TillBatchRejected(
            [LineError(None, "lines", "empty_batch", _("The batch has no lines."))]
        )
    if len(lines) > MAX_BATCH_LINES:
        raise TillBatchRejected(
            [
                LineError(
                    None,
                    "lines",
                    "batch_too_large",
                    _("A batch holds at most %(max)d lines; send the rest in another batch.")
                    % {"max": MAX_BATCH_LINES},
                )
            ]
        )
    errors = check_lines(lines, store)
    variants, unknown = resolve_variants(lines)
    errors.extend(unknown)
    if errors:
        raise TillBatchRejected(sorted(errors, key=lambda e: (e.line or 0, e.field)))
    resolved = [v for v in variants if v is not None]

    # A concurrent request with a reference for a size this batch does not touch is not
    # serialised by the level locks; the unique constraint catches it, and a second pass
    # reports those lines as duplicates.
    attempts = 3
    for attempt in range(attempts):
        try:
            return _ingest_locked(token, store, lines, resolved)
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _ingest_locked(
    token: TillToken, store: Store, lines: Sequence[TillLine], variants: Sequence[Variant]
) -> IngestResult:
    changes = [_change(store, line, variant) for line, variant in zip(lines, variants, strict=True)]
    with transaction.atomic():
        # The levels are locked before the references are read, so a batch resent while the
        # first attempt is still running waits for it and then sees its lines.
        # Lapsed holds end at every level of the batch: each line reports what is available.
        locked = stock_lock(changes, expire=[change.key for change in changes])
        known = {
            movement.external_reference: movement
            for movement in StockMovement.objects.filter(
                store=store, external_reference__in=[line.reference for line in lines]
            ).select_related("variant")
        }
        _refuse_conflicts(store, lines, changes, known)
        change_lines = [index for index, line in enumerate(lines) if line.reference not in known]
        fresh = [changes[index] for index in change_lines]
        # stock_apply checks every line against the state the earlier ones leave and names
        # each line that fails; nothing is written then.
        try:
            movements = stock_apply(changes=fresh, till=token, locked=locked) if fresh else []
        except (InsufficientStock, InvalidQuantity) as exc:
            raise TillBatchInsufficient(_errors_from(exc, fresh, change_lines)) from exc

    levels = locked.levels
    on_hand = {key: level.on_hand for key, level in levels.items()}
    for movement in movements:  # in batch order: the last one of a level is its final count
        on_hand[(movement.store_id, movement.variant_id)] = movement.on_hand_after
    return IngestResult(
        store=store,
        lines=[
            LineResult(
                line=index,
                reference=line.reference,
                status="duplicate" if line.reference in known else "applied",
                sku=variant.sku,
                on_hand=on_hand[change.key],
                available=policy.available(
                    on_hand=on_hand[change.key], reserved=levels[change.key].reserved
                ),
            )
            for index, (line, variant, change) in enumerate(
                zip(lines, variants, changes, strict=True)
            )
        ],
    )


def _same_movement(change: StockChange, original: StockMovement) -> bool:
    """Whether `change` is the line already recorded under its reference (a resend): the same
    fingerprint, or for a line recorded before fingerprints, the same movement."""
    if original.external_fingerprint:
        return original.external_fingerprint == change.external_fingerprint
    if change.variant_id != original.variant_id or change.reason != original.reason:
        return False
    if change.set_on_hand is not None:
        return original.on_hand_after == change.set_on_hand
    return original.delta == change.delta


def _refuse_conflicts(
    store: Store,
    lines: Sequence[TillLine],
    changes: Sequence[StockChange],
    known: dict[str, StockMovement],
) -> None:
    """Raise `TillReferenceConflict`, naming the original of each line that reuses a
    reference for something else, and log it for staff; a true resend passes."""
    errors = []
    for index, (line, change) in enumerate(zip(lines, changes, strict=True)):
        original = known.get(line.reference)
        if original is None or _same_movement(change, original):
            continue
        summary = {
            "type": original.reason,
            "sku": original.variant.sku,
            "delta": original.delta,
            "on_hand_after": original.on_hand_after,
            "recorded_at": original.created_at.isoformat(),
        }
        errors.append(
            LineError(
                index,
                "reference",
                "reference_conflict",
                _(
                    "Reference %(reference)s was already used on %(when)s for %(type)s of %(sku)s "
                    "(change %(delta)+d); this line is different."
                )
                % {
                    "reference": line.reference,
                    "when": timezone.localtime(original.created_at).strftime("%d/%m/%Y %H:%M"),
                    "type": original.get_reason_display(),
                    "sku": original.variant.sku,
                    "delta": original.delta,
                },
                {"original": summary},
            )
        )
        logger.warning(
            "Till reference conflict at store %s: %r reused for a different line "
            "(ledger movement #%s)",
            store.code,
            line.reference,
            original.pk,
        )
    if errors:
        raise TillReferenceConflict(errors)


def _change(store: Store, line: TillLine, variant: Variant) -> StockChange:
    assert line.quantity is not None  # checked by check_lines
    if line.type == LineType.COUNT:
        delta, counted = 0, line.quantity
    else:
        delta = -line.quantity if line.type == LineType.SALE else line.quantity
        counted = None
    return StockChange(
        store_id=store.pk,
        variant_id=variant.pk,
        reason=LineType.REASONS[line.type],
        delta=delta,
        set_on_hand=counted,
        reference=_occurred(line),
        external_reference=line.reference,
        external_fingerprint=fingerprint(line),
    )


def _occurred(line: TillLine) -> str:
    # The ledger's time is when the server recorded the line; the till's own time is kept in
    # the reference so an offline till's late batch can still be read in order.
    when = line.occurred_at
    if when is None:
        return ""
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return f"till time {timezone.localtime(when).isoformat(timespec='seconds')}"


def _errors_from(
    exc: StockError, changes: Sequence[StockChange], change_lines: Sequence[int]
) -> list[LineError]:
    def batch_line(position: int | None) -> int | None:
        if position is None or not 0 <= position < len(change_lines):
            return None
        return change_lines[position]

    if isinstance(exc, InsufficientStock):
        return [
            LineError(
                batch_line(s.line),
                "quantity",
                "insufficient_stock",
                _("Not enough stock of %(sku)s: %(requested)d requested, %(available)d available.")
                % {"sku": s.sku, "requested": s.requested, "available": s.available},
                {"requested": s.requested, "available": s.available, "shortfall": s.missing},
            )
            for s in exc.shortfalls
        ]
    position = getattr(exc, "line", None)
    is_count = position is not None and changes[position].set_on_hand is not None
    return [
        LineError(
            batch_line(position),
            "quantity",
            "count_below_reserved" if is_count else "invalid_quantity",
            exc.message,
        )
    ]
