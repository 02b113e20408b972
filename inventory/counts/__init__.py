"""Stock-count files: read a CSV of (store code, SKU or barcode, counted quantity), show the
differences, and apply one COUNT movement per line whose number changed.

A file is all-or-nothing: if any line is wrong (unknown store or size, a bad number, a count
below the pairs held for customers, a size listed twice), nothing is applied and every wrong
line is listed, so staff fix the file and import it again rather than wonder what went in.
Files come from Excel as often as not: a BOM, semicolons or tabs, Windows-1255 Hebrew text
and barcodes turned into numbers (7.29E+12) are all handled or explained.

`reading` turns the file into lines, `compare` checks them against the stock now (a
`CountPlan`, from `plan`), `apply` writes the movements.
"""

from .apply import CHUNK_SIZE, stock_count_import
from .compare import stock_count_plan
from .plan import CountFileError, CountFileInvalid, CountPlan, CountProblem, CountRow
from .reading import MAX_COUNTED, decode_count_file

__all__ = [
    "CHUNK_SIZE",
    "MAX_COUNTED",
    "CountFileError",
    "CountFileInvalid",
    "CountPlan",
    "CountProblem",
    "CountRow",
    "decode_count_file",
    "stock_count_import",
    "stock_count_plan",
]
