"""Where a pair for a customer's store could come from ("Bring it to my store").

A source is an open store other than the customer's with pairs to spare (`policy.spare`: a
branch keeps its safety stock of each size for its own walk-in customers, the warehouse keeps
none — the same rule as suggested transfers). Sources are ranked by when their pair would
arrive (`leadtime.transfer_arrival_date`), then by distance.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone

from catalog.models import Product

from .. import policy
from ..geo import great_circle_km, point_of
from ..leadtime import transfer_arrival_date
from ..models import StockLevel, Store


@dataclass(frozen=True)
class TransferSource:
    store: Store
    spare: int
    arrival: date
    km: float


def transfer_sources(
    *, variant_id: int, destination: Store, today: date | None = None
) -> list[TransferSource]:
    """Stores that could send `destination` a pair of this size now, the soonest arrival first
    (then the nearest). One query. A read: the service locks and checks again."""
    today = today or timezone.localdate()
    levels = (
        StockLevel.objects.filter(
            policy.has_spare_q(), policy.staff_store_q("store__"), variant_id=variant_id
        )
        .exclude(store_id=destination.pk)
        .select_related("store")
    )
    here = point_of(destination)
    sources = [
        TransferSource(
            store=level.store,
            spare=policy.spare(available=level.available, store=level.store),
            arrival=transfer_arrival_date(level.store, destination, today),
            km=great_circle_km(point_of(level.store), here),
        )
        for level in levels
    ]
    return sorted(sources, key=lambda s: (s.arrival, s.km, s.store.pk))


@dataclass(frozen=True)
class _Spare:
    store_id: int
    code: str


def product_bring_dates(
    *,
    product: Product,
    destinations: list[Store],
    today: date | None = None,
    available: tuple[Mapping[tuple[int, int], tuple[int, Any]], Mapping[int, Store]] | None = None,
) -> dict[tuple[int, int], date]:
    """(destination id, variant id) → the earliest day a pair of that size could reach that
    shop from another store with pairs to spare, for every size of `product` and every shop in
    `destinations` that some other store could supply. One query, whatever the number of
    stores; the caller decides where it is offered (shops without pairs of their own).

    `available` — (store id, variant id) → (pairs available, …) at every store with pairs, as
    the sizes' summaries say, and the open stores by id (`availability.product_availability`
    has read both) — answers from those instead of the product's stock levels, without a
    query."""
    today = today or timezone.localdate()
    spares: dict[int, list[_Spare]] = defaultdict(list)
    for store_id, code, variant_id in (
        _spares_of(*available)
        if available is not None
        else StockLevel.objects.filter(
            policy.has_spare_q(), policy.staff_store_q("store__"), variant__product_id=product.pk
        )
        .values_list("store_id", "store__code", "variant_id")
        .order_by()
    ):
        spares[variant_id].append(_Spare(store_id, code))
    routed = bool(getattr(settings, "TRANSFER_ROUTE_LEAD_DAYS", None))
    arrivals: dict[tuple[str, str], date] = {}

    def arrival(source: str, destination: str) -> date:
        key = (source, destination) if routed else ("", "")
        if key not in arrivals:
            arrivals[key] = transfer_arrival_date(source, destination, today)
        return arrivals[key]

    dates: dict[tuple[int, int], date] = {}
    shops = [(shop.pk, shop.code) for shop in destinations]
    for variant_id, sources in spares.items():
        for shop_id, shop_code in shops:
            if not routed:
                # One lead time for every route: any other store with pairs will do, so the
                # page does not weigh every source for every shop (sizes x shops x shops).
                if len(sources) > 1 or sources[0].store_id != shop_id:
                    dates[(shop_id, variant_id)] = arrival(sources[0].code, shop_code)
                continue
            others = [s for s in sources if s.store_id != shop_id]
            if others:
                dates[(shop_id, variant_id)] = min(arrival(s.code, shop_code) for s in others)
    return dates


def _spares_of(
    available: Mapping[tuple[int, int], tuple[int, Any]], stores: Mapping[int, Store]
) -> list[tuple[int, str, int]]:
    """(store id, store code, variant id) of each level in `available` with pairs to spare at
    one of the open `stores` (`policy.spare`, the rule `policy.has_spare_q` spells in SQL)."""
    return [
        (store_id, stores[store_id].code, variant_id)
        for (store_id, variant_id), (pairs, _) in available.items()
        if store_id in stores and policy.spare(available=pairs, store=stores[store_id]) > 0
    ]
