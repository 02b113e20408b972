"""The till API's operations: who am I, post movements, one size everywhere, a store's stock.

Each names its `operation_id`, so the published schema (and the clients generated from it)
do not change when the code moves between modules.
"""

import re
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from catalog.selectors import variant_by_code

from .. import selectors
from ..models import TillToken
from ..tills import TillLine, stock_ingest
from .schemas import (
    CODE_PATTERN,
    BatchOut,
    ErrorOut,
    MovementBatchIn,
    SkuStockOut,
    StockRowOut,
    TillOut,
)
from .site import api


def _till(request: HttpRequest) -> TillToken:
    till = request.auth  # type: ignore[attr-defined]
    assert isinstance(till, TillToken)
    return till


@api.get(
    "/v1/till",
    operation_id="inventory_api_till_info",
    response={200: TillOut, 401: ErrorOut},
    summary="Who am I",
    description="The store and till this key belongs to: a quick check of a till's setup.",
)
def till_info(request: HttpRequest) -> dict[str, Any]:
    till = _till(request)
    return {"store": till.store.code, "store_name": str(till.store.name), "till": till.name}


@api.post(
    "/v1/movements",
    operation_id="inventory_api_post_movements",
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
        "Applies every line or none. A line this store already has under its reference, "
        "identical in every field, is skipped and reported as `duplicate`. 422: a line is "
        "invalid or has a field the API does not know (each error names the line and field); "
        "409: a sale would take stock below what is available (each error gives the "
        "shortfall), or a line reuses a reference already recorded for a different line, "
        "even one differing only in its time or store (`reference_conflict`, with the "
        "`original`)."
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
    operation_id="inventory_api_sku_stock",
    response={200: SkuStockOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="One size at every store",
    description="Available pairs of one size (by SKU or barcode) at every open store, so "
    "the till can tell a customer where to find it.",
)
def sku_stock(request: HttpRequest, sku: str) -> dict[str, Any]:
    till = _till(request)
    variant = variant_by_code(sku) if re.match(CODE_PATTERN, sku) else None
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
    operation_id="inventory_api_store_stock",
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
