"""Reading a count file: its encoding, its header (whatever Excel or staff named the
columns), and each line's store code, SKU or barcode and counted number."""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .plan import CountFileError, CountProblem

MAX_COUNTED = 100_000

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


@dataclass(frozen=True)
class CountLine:
    """A line that reads well: its row number, store code (lower-cased), codes and count."""

    number: int
    store_code: str
    sku: str
    barcode: str
    counted: int


def parse_count_file(text: str, problems: list[CountProblem]) -> list[CountLine]:
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
) -> CountLine | None:
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
    return CountLine(number, store_code, sku, barcode, counted)
