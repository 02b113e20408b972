"""Stock-count files: read a CSV of (store code, SKU or barcode, counted quantity), show the
differences, and apply one COUNT movement per line whose number changed.

A file is all-or-nothing: if any line is wrong (unknown store or size, a bad number, a count
below the pairs held for customers, a size listed twice), nothing is applied and every wrong
line is listed, so staff fix the file and import it again rather than wonder what went in.
Files come from Excel as often as not: a BOM, semicolons or tabs, Windows-1255 Hebrew text
and barcodes turned into numbers (7.29E+12) are all handled or explained.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Variant
from catalog.selectors import variants_by_codes

from .errors import InsufficientStock, InvalidQuantity, StockError
from .models import StockLevel, StockMovement, Store
from .services import StockChange, stock_apply, stock_lock

CHUNK_SIZE = 500
MAX_COUNTED = 100_000
_LOOKUP_CHUNK = 500

# Header names staff actually write, compared without case, spaces, dashes or underscores.
_STORE_HEADERS = {"store", "storecode", "branch", "branchcode", "code", "סניף", "קודסניף"}
_SKU_HEADERS = {"sku", "מקט", 'מק"ט', "מק״ט", "item", "itemcode"}
_BARCODE_HEADERS = {"barcode", "ean", "ean13", "ברקוד"}
_ITEM_HEADERS = {"skuorbarcode", "barcodeorsku", "skubarcode", "מקטאוברקוד", "פריט"}
_COUNTED_HEADERS = {
    "counted",
    "countedquantity",
    "quantity",
    "qty",
    "count",
    "counted_qty",
    "כמות",
    "כמותשנספרה",
    "נספר",
    "ספירה",
}


class CountFileError(StockError):
    """The file as a whole cannot be read (encoding, no header, missing columns)."""


_FIELD_LABELS = {
    "store": gettext_lazy("store"),
    "sku": gettext_lazy("SKU"),
    "barcode": gettext_lazy("barcode"),
    "counted": gettext_lazy("counted quantity"),
}


@dataclass(frozen=True)
class CountProblem:
    line: int  # row number as a spreadsheet shows it: the header is row 1
    field: str  # store, sku, barcode or counted
    message: str

    @property
    def label(self) -> str:
        return str(_FIELD_LABELS.get(self.field, self.field))


@dataclass(frozen=True)
class CountRow:
    line: int
    store: Store
    variant: Variant
    current: int
    reserved: int
    counted: int
    level_id: int | None

    @property
    def delta(self) -> int:
        return self.counted - self.current


@dataclass
class CountPlan:
    """What a count file would change. Reading it writes nothing."""

    name: str = ""
    rows: list[CountRow] = field(default_factory=list)
    problems: list[CountProblem] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.problems

    @property
    def changes(self) -> list[CountRow]:
        return [row for row in self.rows if row.delta != 0]

    @property
    def unchanged(self) -> int:
        return len(self.rows) - len(self.changes)


class CountFileInvalid(StockError):
    """Some lines are wrong; `problems` lists them. Nothing was applied."""

    def __init__(self, problems: Sequence[CountProblem]) -> None:
        self.problems = list(problems)
        super().__init__(
            _("%(count)d lines of the count file are wrong; nothing was applied.")
            % {"count": len({p.line for p in self.problems})}
        )


# --- Reading ---------------------------------------------------------------------------------


def decode_count_file(data: bytes) -> str:
    """Text of an uploaded file: UTF-8 (with or without a BOM), else Windows-1255 (Hebrew
    Excel's "CSV"). Raises `CountFileError` for anything else."""
    for encoding in ("utf-8-sig", "cp1255"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CountFileError(_("The file is not text in UTF-8 or Windows Hebrew: save it as CSV."))


def _header_key(name: str) -> str:
    return re.sub(r"[\s_\-.'׳]+", "", name.strip().lower())


def _columns(header: Sequence[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _header_key(name)
        for role, names in (
            ("store", _STORE_HEADERS),
            ("sku", _SKU_HEADERS),
            ("barcode", _BARCODE_HEADERS),
            ("item", _ITEM_HEADERS),
            ("counted", _COUNTED_HEADERS),
        ):
            if key in {_header_key(n) for n in names}:
                columns.setdefault(role, index)
    if (
        "store" not in columns
        or "counted" not in columns
        or not ({"sku", "barcode", "item"} & columns.keys())
    ):
        raise CountFileError(
            _(
                "The first row must name the columns: store, SKU (or barcode) and counted. "
                "Found: %(found)s."
            )
            % {"found": ", ".join(h.strip() for h in header if h.strip()) or _("nothing")}
        )
    return columns


def _rows(text: str) -> Iterable[tuple[int, list[str]]]:
    # The header row decides the separator: Excel writes ";" or a tab in some locales.
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    yield from enumerate(reader, start=1)


def _cell(row: Sequence[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def _parse_counted(raw: str) -> int | str:
    """The counted number, or the reason it is not one."""
    if not raw:
        return _("The counted quantity is missing.")
    if re.fullmatch(r"\d{1,3}(,\d{3})+", raw):
        raw = raw.replace(",", "")  # thousands separators
    try:
        number = Decimal(raw)
    except InvalidOperation:
        return _("%(value)r is not a number.") % {"value": raw}
    if not number.is_finite() or number != number.to_integral_value():
        return _("%(value)r is not a whole number of pairs.") % {"value": raw}
    if number < 0:
        return _("A counted quantity cannot be negative.")
    if number > MAX_COUNTED:
        return _("%(value)s pairs is more than a count can hold.") % {"value": raw}
    return int(number)


def _looks_mangled(code: str) -> bool:
    # Excel shows a 13-digit barcode as 7.29012E+12 and saves it that way.
    return bool(re.fullmatch(r"\d+(\.\d+)?[eE]\+\d+", code))


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class _Line:
    """A line that reads well: its row number, store code (lower-cased), codes and count."""

    number: int
    store_code: str
    sku: str
    barcode: str
    counted: int


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
    lines = _parse(text, plan.problems)
    resolved = _resolve(lines, plan.problems, allowed_store_ids)
    _compare(resolved, plan)
    plan.problems.sort(key=lambda p: (p.line, p.field))
    return plan


def _parse(text: str, problems: list[CountProblem]) -> list[_Line]:
    """Step 1: the lines of the file that read well; a problem for each that does not."""
    rows = _rows(text)
    header = next(((n, r) for n, r in rows if any(c.strip() for c in r)), None)
    if header is None:
        raise CountFileError(_("The file is empty."))
    columns = _columns(header[1])
    lines = []
    for number, row in rows:
        if any(cell.strip() for cell in row):
            line = _parse_row(number, row, columns, problems)
            if line is not None:
                lines.append(line)
    return lines


def _parse_row(
    number: int, row: Sequence[str], columns: dict[str, int], problems: list[CountProblem]
) -> _Line | None:
    store_code = _cell(row, columns.get("store")).lower()
    sku, barcode = _cell(row, columns.get("sku")), _cell(row, columns.get("barcode"))
    item = _cell(row, columns.get("item"))
    if item and not (sku or barcode):
        sku = barcode = item
    counted = _parse_counted(_cell(row, columns.get("counted")))
    problems_before = len(problems)
    if not store_code:
        problems.append(CountProblem(number, "store", _("The store code is missing.")))
    if not (sku or barcode):
        problems.append(CountProblem(number, "sku", _("The SKU or barcode is missing.")))
    elif _looks_mangled(sku or barcode):
        problems.append(
            CountProblem(
                number,
                "barcode",
                _(
                    "%(value)r is a barcode Excel turned into a number: format the column as text "
                    "and export again."
                )
                % {"value": sku or barcode},
            )
        )
    if isinstance(counted, str):
        problems.append(CountProblem(number, "counted", counted))
    if len(problems) > problems_before:
        return None
    assert isinstance(counted, int)
    return _Line(number, store_code, sku, barcode, counted)


def _resolve(
    lines: Sequence[_Line], problems: list[CountProblem], allowed_store_ids: set[int] | None
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
    line: _Line, store: Store | None, allowed_store_ids: set[int] | None
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
    for chunk in _chunks(variant_ids, _LOOKUP_CHUNK):
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


# --- Applying --------------------------------------------------------------------------------


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
        for chunk in _chunks(rows, chunk_size):
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
