"""What a till posts (a batch of `TillLine`s) and what it gets back: a result per line, or the
batch refused with an error per line and field at fault."""

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from ..errors import StockError
from ..models import StockMovement, Store

MAX_BATCH_LINES = 500
# One line never moves more pairs than this; it also keeps counters far from integer overflow.
MAX_LINE_QUANTITY = 100_000
REFERENCE_MAX_LENGTH = StockMovement._meta.get_field("external_reference").max_length or 100


class LineType:
    SALE = "sale"
    RETURN = "return"
    RECEIPT = "receipt"
    COUNT = "count"

    REASONS = {
        SALE: StockMovement.Reason.SALE,
        RETURN: StockMovement.Reason.RETURN,
        RECEIPT: StockMovement.Reason.RECEIPT,
        COUNT: StockMovement.Reason.COUNT,
    }


@dataclass(frozen=True)
class TillLine:
    """One line as the till sent it. `quantity` is the counted number for a count."""

    type: str
    reference: str
    quantity: int | None
    sku: str = ""
    barcode: str = ""
    store: str = ""  # optional: a till may name its store; it must be the token's
    occurred_at: datetime | None = None


@dataclass(frozen=True)
class LineError:
    line: int | None  # index in the batch; None for the batch as a whole
    field: str
    code: str
    message: str
    data: dict[str, Any] = dataclass_field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "field": self.field,
            "code": self.code,
            "message": self.message,
            **self.data,
        }


class TillBatchRejected(StockError):
    """The batch was refused as a whole; `errors` names each line and field at fault."""

    def __init__(self, errors: Sequence[LineError]) -> None:
        self.errors = list(errors)
        super().__init__(_("The batch was refused; nothing was applied."))


class TillBatchInsufficient(TillBatchRejected):
    """Some lines would take stock below zero or below the pairs held for customers."""

    def __init__(self, errors: Sequence[LineError]) -> None:
        super().__init__(errors)
        self.message = _("Not enough stock; nothing was applied.")


class TillReferenceConflict(TillBatchRejected):
    """A line reuses a reference this store already recorded for a different movement: the
    same request again is a duplicate, a different one under a used reference is a conflict."""

    def __init__(self, errors: Sequence[LineError]) -> None:
        super().__init__(errors)
        self.message = _(
            "A reference was already used for a different movement; nothing was applied."
        )


@dataclass(frozen=True)
class LineResult:
    line: int
    reference: str
    status: str  # "applied" or "duplicate"
    sku: str
    on_hand: int
    available: int


@dataclass(frozen=True)
class IngestResult:
    store: Store
    lines: list[LineResult]

    @property
    def applied(self) -> int:
        return sum(1 for line in self.lines if line.status == "applied")

    @property
    def duplicates(self) -> int:
        return sum(1 for line in self.lines if line.status == "duplicate")
