"""The stores' till API (django-ninja), mounted at /api/: OpenAPI at /api/openapi.json, docs at
/api/docs.

Every request carries `Authorization: Bearer <till key>`; the key decides the store. Every
error, whatever raised it, answers in one shape:

    {"detail": "...", "errors": [{"line": 3, "field": "quantity", "code": "...", "message": "..."}]}

`line` is the index of the line in the posted batch (from 0), or null for the request as a whole.
"""

import re
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Annotated, Any, Literal

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import HttpBearer
from pydantic import StrictInt, WithJsonSchema, field_validator

from catalog.selectors import variant_by_code

from . import selectors
from .models import StockLevel, TillToken
from .tills import (
    MAX_BATCH_LINES,
    MAX_LINE_QUANTITY,
    REFERENCE_MAX_LENGTH,
    TillBatchInsufficient,
    TillBatchRejected,
    TillLine,
    TillReferenceConflict,
    stock_ingest,
    till_authenticate,
)


def _docs_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """/api/docs and the OpenAPI schema: for anyone where `API_DOCS_PUBLIC` is on (the
    embedded default), for logged-in staff only otherwise (production)."""
    for_staff = staff_member_required(view)

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.API_DOCS_PUBLIC:
            return view(request, *args, **kwargs)
        return for_staff(request, *args, **kwargs)

    return guarded


class TillKey(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> TillToken | None:
        return till_authenticate(raw_key=token)


api = NinjaAPI(
    title="Till API",
    version="1",
    description=(
        "Stores' tills post their sales, returns, receipts and counts, and read stock. "
        "Authenticate with `Authorization: Bearer <till key>`; keys are made per till in the "
        "admin (Till tokens) and can be revoked there. Posting the same line reference twice "
        "is harmless: the second time it is reported as a duplicate and changes nothing; a "
        "different line under a used reference is refused as a conflict (409)."
    ),
    auth=TillKey(),
    urls_namespace="api",
    docs_decorator=_docs_access,
)


# --- Schemas ---------------------------------------------------------------------------------


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
_CODE = r"^[^\x00-\x1f\x7f]+$"
# A till's clock may be off, but not by years: later than this is a typo, not a sale.
_LATEST_YEAR = 2100


class MovementLineIn(Schema):
    type: Literal["sale", "return", "receipt", "count"]
    sku: str | None = Field(
        None,
        min_length=1,
        max_length=40,
        pattern=_CODE,
        description="The size's SKU (or give barcode).",
    )
    barcode: str | None = Field(
        None, min_length=1, max_length=40, pattern=_CODE, description="The size's EAN-13 barcode."
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
        pattern=_CODE,
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
        pattern=_CODE,
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


class MovementBatchIn(Schema):
    store: str | None = Field(
        None,
        max_length=20,
        pattern=_CODE,
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


# --- Errors ----------------------------------------------------------------------------------


def _error(
    request: HttpRequest, status: int, detail: str, errors: list[dict[str, Any]] | None = None
) -> HttpResponse:
    response = api.create_response(
        request, {"detail": detail, "errors": errors or []}, status=status
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="till"'
    return response


def _pydantic_error(raw: dict[str, Any]) -> dict[str, Any]:
    loc = list(raw.get("loc", ()))
    # ("body", "batch", "lines", 3, "quantity") → line 3, field "quantity"
    if loc and loc[0] in ("body", "query", "path"):
        loc = loc[2:] if loc[0] == "body" else loc[1:]
    line = None
    if len(loc) >= 2 and loc[0] == "lines" and isinstance(loc[1], int):
        line, loc = loc[1], loc[2:]
    field = ".".join(str(part) for part in loc) or ("lines" if line is not None else "body")
    code = "missing" if raw.get("type") == "missing" else "invalid"
    if code == "missing" and field == "quantity":
        code = "missing_quantity"  # the same code the till checks give a null quantity
    return {"line": line, "field": field, "code": code, "message": raw.get("msg", "")}


@api.exception_handler(ValidationError)
def _on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [_pydantic_error(raw) for raw in exc.errors]
    return _error(request, 422, _("The request is not valid; nothing was applied."), errors)


@api.exception_handler(AuthenticationError)
def _on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, _("A valid till key is required: Authorization: Bearer <key>."))


@api.exception_handler(HttpError)
def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        return _error(
            request,
            400,
            _("The request body is not valid JSON."),
            [{"line": None, "field": "body", "code": "malformed_json", "message": str(exc)}],
        )
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(Http404)
def _on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, str(exc) or _("Not found."))


@api.exception_handler(RequestDataTooBig)
def _on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(
        request,
        413,
        _("The request is too large. A batch holds at most %(max)d lines.")
        % {"max": MAX_BATCH_LINES},
    )


@api.exception_handler(TillBatchRejected)
def _on_batch_rejected(request: HttpRequest, exc: TillBatchRejected) -> HttpResponse:
    status = 409 if isinstance(exc, TillBatchInsufficient | TillReferenceConflict) else 422
    return _error(request, status, exc.message, [error.as_dict() for error in exc.errors])


def not_found(request: HttpRequest) -> HttpResponse:
    """Any address under /api/ that no endpoint matches (a path with a newline, a typo)
    answers in the API's own error shape, not with the storefront's HTML page."""
    return _error(request, 404, _("Not found."))


# --- Endpoints -------------------------------------------------------------------------------


def _till(request: HttpRequest) -> TillToken:
    till = request.auth  # type: ignore[attr-defined]
    assert isinstance(till, TillToken)
    return till


@api.get(
    "/v1/till",
    response={200: TillOut, 401: ErrorOut},
    summary="Who am I",
    description="The store and till this key belongs to: a quick check of a till's setup.",
)
def till_info(request: HttpRequest) -> dict[str, Any]:
    till = _till(request)
    return {"store": till.store.code, "store_name": str(till.store.name), "till": till.name}


@api.post(
    "/v1/movements",
    response={
        200: BatchOut,
        400: ErrorOut,
        401: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        422: ErrorOut,
    },
    summary="Post a batch of stock movements",
    description=(
        "Applies every line or none. Lines whose reference this store already has are skipped "
        "and reported as `duplicate`. 422: a line is invalid (each error names the line and "
        "field); 409: a sale would take stock below what is available (each error gives the "
        "shortfall), or a line reuses a reference already recorded for a different movement "
        "(`reference_conflict`, with the `original`)."
    ),
)
def post_movements(request: HttpRequest, batch: MovementBatchIn) -> dict[str, Any]:
    till = _till(request)
    lines = [
        TillLine(
            type=line.type,
            reference=line.reference,
            quantity=line.quantity,
            sku=line.sku or "",
            barcode=line.barcode or "",
            store=line.store or batch.store or "",
            occurred_at=line.occurred_at,
        )
        for line in batch.lines
    ]
    result = stock_ingest(token=till, lines=lines)
    return {
        "store": result.store.code,
        "applied": result.applied,
        "duplicates": result.duplicates,
        "lines": [vars(line) for line in result.lines],
    }


@api.get(
    "/v1/stock/{path:sku}",
    response={200: SkuStockOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="One size at every store",
    description="Available pairs of one size (by SKU or barcode) at every open store, so "
    "the till can tell a customer where to find it.",
)
def sku_stock(request: HttpRequest, sku: str) -> dict[str, Any]:
    till = _till(request)
    variant = variant_by_code(sku) if re.match(_CODE, sku) else None
    if variant is None:
        raise Http404(_("No size has the SKU or barcode %(code)r.") % {"code": sku})
    rows = selectors.variant_availability(variant=variant, own_store_id=till.store_id)
    return {
        "sku": variant.sku,
        "barcode": variant.barcode,
        "product": variant.product.name,
        "brand": variant.product.brand.name,
        "size": variant.size_label,
        "stores": [
            {
                "code": row.store.code,
                "name": str(row.store.name),
                "city": str(row.store.city),
                "is_own": row.store.pk == till.store_id,
                "available": row.available,
                "updated_at": row.updated_at,
            }
            for row in rows
        ],
    }


class StockPagination(LimitOffsetPagination):
    """limit (default 100, at most 500) and offset (at most a million rows in)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=500)
        offset: int = Field(0, ge=0, le=1_000_000)


@api.get(
    "/v1/stores/{code}/stock",
    response={200: list[StockRowOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Stock of this till's store",
    description="Every size the store has a stock row for, in SKU order, a page at a "
    "time. A key reads only its own store.",
)
@paginate(StockPagination, max_limit=500)
def store_stock(request: HttpRequest, code: str) -> Any:
    till = _till(request)
    if code != till.store.code:
        raise HttpError(
            403,
            _("This till belongs to store %(own)s; it cannot read %(other)s.")
            % {"own": till.store.code, "other": code},
        )
    return selectors.store_stock(store=till.store)
