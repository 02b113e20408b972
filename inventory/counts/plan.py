"""What a count file would change (`CountPlan`), the problems found in it, and the errors that
stop an import."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Variant

from ..errors import StockError
from ..models import Store


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


def chunked(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    """Slices of at most `size` items: lookups and locks take a file a slice at a time."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
