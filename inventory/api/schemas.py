"""What the till API reads and answers, as the OpenAPI schema documents it."""

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StrictInt, WithJsonSchema, field_validator, model_validator

from ..models import StockLevel
from ..tills import MAX_BATCH_LINES, MAX_LINE_QUANTITY, REFERENCE_MAX_LENGTH


class ErrorItem(Schema):
    line: int | None = Field(None, description="Index of the line in the batch, from 0.")
    field: str
    code: str
    message: str
    requested: int | None = None
    available: int | None = None
    shortfall: int | None = None
    other_line: int | None = None
    original: dict[str, Any] | None = Field(
        None, description="For reference_conflict: the movement already recorded under it."
    )


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


# Printable text: no control characters (NUL cannot even be stored), nothing blank.
CODE_PATTERN = r"^[^\x00-\x1f\x7f]+$"
# A till's clock may be off, but not by years: later than this is a typo, not a sale.
_LATEST_YEAR = 2100


class _KnownFieldsOnly(Schema):
    """Refuses a field the API does not know, rather than dropping it: a till that sends one
    expects it to count, and a resend must be the same request to count as one. (Pydantic's
    extra="forbid" would do it too, but changes how ninja reports a body that is not an
    object at all.)"""

    @model_validator(mode="before")
    @classmethod
    def _refuse_unknown_fields(cls, data: Any) -> Any:
        given = getattr(data, "_obj", data)  # ninja wraps the input in a DjangoGetter
        if isinstance(given, dict):
            unknown = sorted(str(name) for name in set(given) - set(cls.model_fields))
            if unknown:
                raise ValueError(f"unknown field {', '.join(map(repr, unknown))}")
        return data


class MovementLineIn(_KnownFieldsOnly):
    type: Literal["sale", "return", "receipt", "count"]
    sku: str | None = Field(
        None,
        min_length=1,
        max_length=40,
        pattern=CODE_PATTERN,
        description="The size's SKU (or give barcode).",
    )
    barcode: str | None = Field(
        None,
        min_length=1,
        max_length=40,
        pattern=CODE_PATTERN,
        description="The size's EAN-13 barcode.",
    )
    # Documented as the integer it must be; the till checks (tills.py) give the precise
    # refusal (missing_quantity, negative_quantity, quantity_too_large...) for anything else.
    quantity: Annotated[
        StrictInt | None,
        WithJsonSchema({"type": "integer", "minimum": 0, "maximum": MAX_LINE_QUANTITY}),
    ] = Field(
        ...,
        description="Pairs sold, returned or received (at least 1); for a count, the number "
        "counted (0 or more).",
    )
    reference: str = Field(
        ...,
        min_length=1,
        max_length=REFERENCE_MAX_LENGTH,
        pattern=CODE_PATTERN,
        description="The till's own reference for this line, unique per store. Resending the "
        "same line is a no-op; a different line under a used reference is a "
        "conflict (409).",
    )
    occurred_at: datetime | None = Field(
        None, description="When it happened at the till (ISO 8601 with its offset)."
    )
    store: str | None = Field(
        None,
        max_length=20,
        pattern=CODE_PATTERN,
        description="Optional; must be the key's own store code.",
    )

    @field_validator("occurred_at")
    @classmethod
    def _plausible_time(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("give the time with its UTC offset")
        if not 2000 <= value.year < _LATEST_YEAR:
            raise ValueError(f"must be between the years 2000 and {_LATEST_YEAR}")
        return value


class MovementBatchIn(_KnownFieldsOnly):
    store: str | None = Field(
        None,
        max_length=20,
        pattern=CODE_PATTERN,
        description="Optional; must be the key's own store code.",
    )
    lines: list[MovementLineIn] = Field(..., description=f"At most {MAX_BATCH_LINES} lines.")


class LineResultOut(Schema):
    line: int
    reference: str
    status: Literal["applied", "duplicate"]
    sku: str
    on_hand: int = Field(..., description="Pairs at the store after the batch.")
    available: int = Field(..., description="Pairs free to sell after the batch.")


class BatchOut(Schema):
    store: str
    applied: int
    duplicates: int
    lines: list[LineResultOut]


class TillOut(Schema):
    store: str
    store_name: str
    till: str


class StoreAvailabilityOut(Schema):
    code: str
    name: str
    city: str
    is_own: bool
    available: int
    updated_at: datetime | None


class SkuStockOut(Schema):
    sku: str
    barcode: str
    product: str
    brand: str
    size: str
    stores: list[StoreAvailabilityOut]


class StockRowOut(Schema):
    sku: str
    barcode: str
    product: str
    size: str
    on_hand: int
    reserved: int
    available: int
    updated_at: datetime

    @staticmethod
    def resolve_sku(obj: StockLevel) -> str:
        return obj.variant.sku

    @staticmethod
    def resolve_barcode(obj: StockLevel) -> str:
        return obj.variant.barcode

    @staticmethod
    def resolve_product(obj: StockLevel) -> str:
        return f"{obj.variant.product.brand} {obj.variant.product.name}"

    @staticmethod
    def resolve_size(obj: StockLevel) -> str:
        return obj.variant.size_label

    @staticmethod
    def resolve_available(obj: StockLevel) -> int:
        return obj.available
