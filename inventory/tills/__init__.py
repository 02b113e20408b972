"""Store tills: their API keys (`keys`) and the batches of stock movements they post (`batch`,
checked by `checks`, applied by `ingest`). Callers import from here:
`from inventory.tills import stock_ingest`."""

from .batch import (
    MAX_BATCH_LINES,
    MAX_LINE_QUANTITY,
    REFERENCE_MAX_LENGTH,
    IngestResult,
    LineError,
    LineResult,
    LineType,
    TillBatchInsufficient,
    TillBatchRejected,
    TillLine,
    TillReferenceConflict,
)
from .ingest import stock_ingest
from .keys import LAST_USED_RESOLUTION, till_authenticate, till_token_create, till_token_revoke

__all__ = [
    "LAST_USED_RESOLUTION",
    "MAX_BATCH_LINES",
    "MAX_LINE_QUANTITY",
    "REFERENCE_MAX_LENGTH",
    "IngestResult",
    "LineError",
    "LineResult",
    "LineType",
    "TillBatchInsufficient",
    "TillBatchRejected",
    "TillLine",
    "TillReferenceConflict",
    "stock_ingest",
    "till_authenticate",
    "till_token_create",
    "till_token_revoke",
]
