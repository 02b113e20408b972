"""A count file against the stock now: each line's store and size found, and its number
compared with on-hand and with the pairs held for customers. Writes nothing."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from catalog.models import Variant
from catalog.selectors import variants_by_codes

from ..models import StockLevel, Store
from .plan import CountPlan, CountProblem, CountRow, chunked
from .reading import CountLine, decode_count_file, parse_count_file

_LOOKUP_CHUNK = 500


@dataclass(frozen=True)
class _Resolved:
    """A line whose store and size were found."""

    number: int
    store: Store
    variant: Variant
    counted: int


def stock_count_plan(
    *, data: bytes | str, name: str = "", allowed_store_ids: set[int] | None = None
) -> CountPlan:
    """Read a count file and compare it with the stock now. Writes nothing.

    `allowed_store_ids` (None: every store) limits which stores the file may count; a line for
    another store is a problem. Raises `CountFileError` when the file cannot be read at all.
    """
    text = decode_count_file(data) if isinstance(data, bytes) else data.lstrip("\ufeff")
    plan = CountPlan(name=name)
    lines = parse_count_file(text, plan.problems)
    resolved = _resolve(lines, plan.problems, allowed_store_ids)
    _compare(resolved, plan)
    plan.problems.sort(key=lambda p: (p.line, p.field))
    return plan


def _resolve(
    lines: Sequence[CountLine], problems: list[CountProblem], allowed_store_ids: set[int] | None
) -> list[_Resolved]:
    """Step 2: each line's store and size (one query each, whatever the file's length); a
    problem for an unknown or forbidden store, an unknown size, or a size counted twice."""
    stores = {store.code.lower(): store for store in Store.objects.all()}
    found = variants_by_codes(code for line in lines for code in (line.sku, line.barcode))
    resolved: list[_Resolved] = []
    seen: dict[tuple[int, int], int] = {}
    for line in lines:
        store = stores.get(line.store_code)
        # A "SKU" column often holds barcodes (the scanner's output), and the other way round.
        variant = next(
            (v for code in (line.sku, line.barcode) if code for v in (found.by_code(code),) if v),
            None,
        )
        problems.extend(_store_problems(line, store, allowed_store_ids))
        if variant is None:
            problems.append(
                CountProblem(
                    line.number,
                    "sku",
                    _("No size has the SKU or barcode %(code)r.")
                    % {"code": line.sku or line.barcode},
                )
            )
        if store is None or variant is None:
            continue
        key = (store.pk, variant.pk)
        if key in seen:
            problems.append(
                CountProblem(
                    line.number,
                    "sku",
                    _("%(sku)s at %(store)s is already counted on row %(row)d: give one total.")
                    % {"sku": variant.sku, "store": store.code, "row": seen[key]},
                )
            )
            continue
        seen[key] = line.number
        resolved.append(_Resolved(line.number, store, variant, line.counted))
    return resolved


def _store_problems(
    line: CountLine, store: Store | None, allowed_store_ids: set[int] | None
) -> list[CountProblem]:
    if store is None:
        return [
            CountProblem(
                line.number,
                "store",
                _("No store has the code %(code)r.") % {"code": line.store_code},
            )
        ]
    if allowed_store_ids is not None and store.pk not in allowed_store_ids:
        return [
            CountProblem(
                line.number, "store", _("You may not count stock at %(store)s.") % {"store": store}
            )
        ]
    return []


def _compare(resolved: Sequence[_Resolved], plan: CountPlan) -> None:
    """Step 3: each line against its stock level now; a problem for a count below the pairs
    held for customers."""
    levels: dict[tuple[int, int], StockLevel] = {}
    store_ids = sorted({line.store.pk for line in resolved})
    variant_ids = sorted({line.variant.pk for line in resolved})
    for chunk in chunked(variant_ids, _LOOKUP_CHUNK):
        for stock in StockLevel.objects.filter(store_id__in=store_ids, variant_id__in=chunk):
            levels[(stock.store_id, stock.variant_id)] = stock

    for line in resolved:
        store, variant, counted = line.store, line.variant, line.counted
        level = levels.get((store.pk, variant.pk))
        current, reserved = (level.on_hand, level.reserved) if level else (0, 0)
        if counted < reserved:
            plan.problems.append(
                CountProblem(
                    line.number,
                    "counted",
                    _(
                        "%(sku)s at %(store)s: the count of %(counted)d is below the "
                        "%(reserved)d pairs "
                        "held for customers."
                    )
                    % {
                        "sku": variant.sku,
                        "store": store.code,
                        "counted": counted,
                        "reserved": reserved,
                    },
                )
            )
            continue
        plan.rows.append(
            CountRow(
                line=line.number,
                store=store,
                variant=variant,
                current=current,
                reserved=reserved,
                counted=counted,
                level_id=level.pk if level else None,
            )
        )
