"""CSV files that spreadsheets open as data, never as formulas."""

import csv
from collections.abc import Iterable, Sequence
from typing import Any

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets
# (=HYPERLINK(...), +cmd|..., @SUM(...)); a leading apostrophe makes it plain text.
# https://owasp.org/www-community/attacks/CSV_Injection
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """`value` as it is, unless it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(stream: Any, rows: Iterable[Sequence[Any]]) -> None:
    """Write `rows` to `stream` (a file or an HttpResponse), every cell made safe."""
    writer = csv.writer(stream)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
