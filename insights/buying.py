"""The buying report: per model and size, the demand the system sees, and what to order.

Read over the last `BUYING_REPORT_WEEKS` weeks (waiting customers: now):

- waiting now — confirmed alerts still waiting, and how long the longest has waited;
- holds that lapsed — pairs held for a customer who never came;
- "did you find it? — no" — answers on the model's page (per model: the question is asked there);
- net sales — sales minus returns, from the stock ledger;
- pairs available now in every store and the warehouse, and pairs on order from suppliers.

Suggested order = max(0, ⌈net sales ÷ weeks read × `BUYING_COVER_WEEKS`⌉ + waiting now
− available now − on order): enough to cover the customers already waiting and the weeks
ahead at the recent rate of sale, less what the shop already has or has ordered.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Min, Q, Sum
from django.utils import timezone

from catalog.models import Product, Variant
from demand.models import WaitlistEntry
from inventory import policy
from inventory.models import Hold, InboundShipment, InboundShipmentLine, StockLevel, StockMovement
from reviews.models import SiteFeedback

PAGE_MODELS = 100


@dataclass
class SizeDemand:
    variant: Variant
    waiting: int = 0
    oldest: datetime | None = None
    lapsed: int = 0
    net_sales: int = 0
    available: int = 0
    on_order: int = 0
    suggested: int = 0
    wait_days: int | None = None  # how long the longest waiting customer has waited

    @property
    def to_act_on(self) -> bool:
        """Something for the buyer to do: pairs to order, or customers waiting."""
        return self.suggested > 0 or self.waiting > 0


@dataclass
class ModelDemand:
    product: Product
    not_found: int = 0
    sizes: list[SizeDemand] = field(default_factory=list)

    @property
    def suggested(self) -> int:
        return sum(size.suggested for size in self.sizes)

    @property
    def waiting(self) -> int:
        return sum(size.waiting for size in self.sizes)

    @property
    def sizes_to_act_on(self) -> list[SizeDemand]:
        return [size for size in self.sizes if size.to_act_on]

    @property
    def to_act_on(self) -> bool:
        """A size to act on, or visitors who did not find the model on its page."""
        return bool(self.sizes_to_act_on) or self.not_found > 0


@dataclass
class BuyingReport:
    since: datetime
    now: datetime
    weeks: int
    cover_weeks: int
    models: list[ModelDemand]


def suggested_order(
    *, net_sales: int, weeks: int, cover_weeks: int, waiting: int, available: int, on_order: int
) -> int:
    """The formula the report states (see the module)."""
    rate = max(net_sales, 0) / weeks if weeks > 0 else 0
    return max(0, math.ceil(rate * cover_weeks) + waiting - available - on_order)


def buying_report(*, now: datetime | None = None) -> BuyingReport:
    """Every model and size with some demand, most to order first (a fixed number of queries,
    whatever the size of the catalogue)."""
    now = now or timezone.now()
    weeks = max(int(settings.BUYING_REPORT_WEEKS), 1)
    cover = max(int(settings.BUYING_COVER_WEEKS), 0)
    since = now - timedelta(weeks=weeks)

    waiting: dict[int, dict[str, Any]] = {
        row["variant_id"]: dict(row)
        for row in WaitlistEntry.objects.filter(status=WaitlistEntry.Status.ACTIVE)
        .values("variant_id")
        .annotate(n=Count("id"), oldest=Min("created_at"))
    }
    lapsed = dict(
        Hold.objects.filter(status=Hold.Status.EXPIRED, ended_at__gte=since)
        .values("variant_id")
        .annotate(n=Count("id"))
        .values_list("variant_id", "n")
    )
    sales = dict(
        StockMovement.objects.filter(
            created_at__gte=since,
            reason__in=[StockMovement.Reason.SALE, StockMovement.Reason.RETURN],
        )
        .values("variant_id")
        .annotate(n=-Sum("delta"))
        .values_list("variant_id", "n")
    )
    not_found = dict(
        SiteFeedback.objects.filter(found=False, created_at__gte=since, product__isnull=False)
        .values("product_id")
        .annotate(n=Count("id"))
        .values_list("product_id", "n")
    )

    variant_ids = set(waiting) | set(lapsed) | {v for v, n in sales.items() if n}
    variants = list(
        Variant.objects.filter(Q(pk__in=variant_ids) | Q(product_id__in=not_found))
        .select_related("product__brand")
        .order_by("product_id", "eu_size", "pk")
    )
    ids = [variant.pk for variant in variants]
    available = dict(
        StockLevel.objects.filter(policy.staff_store_q("store__"), variant_id__in=ids)
        .values("variant_id")
        .annotate(n=Sum(policy.available_expression()))
        .values_list("variant_id", "n")
    )
    on_order = dict(
        InboundShipmentLine.objects.filter(
            variant_id__in=ids, shipment__status__in=InboundShipment.OPEN_STATUSES
        )
        .values("variant_id")
        .annotate(n=Sum(F("quantity") - F("received_quantity")))
        .values_list("variant_id", "n")
    )

    models: dict[int, ModelDemand] = {}
    for variant in variants:
        model = models.get(variant.product_id)
        if model is None:
            model = models[variant.product_id] = ModelDemand(
                product=variant.product, not_found=not_found.get(variant.product_id, 0)
            )
        if variant.pk not in variant_ids:
            continue  # a model asked about on its page, this size without demand of its own
        wait: dict[str, Any] = waiting.get(variant.pk, {})
        size = SizeDemand(
            variant=variant,
            waiting=wait.get("n", 0),
            oldest=wait.get("oldest"),
            lapsed=lapsed.get(variant.pk, 0),
            net_sales=sales.get(variant.pk) or 0,
            available=available.get(variant.pk) or 0,
            on_order=max(on_order.get(variant.pk) or 0, 0),
        )
        size.wait_days = None if size.oldest is None else (now - size.oldest).days
        size.suggested = suggested_order(
            net_sales=size.net_sales,
            weeks=weeks,
            cover_weeks=cover,
            waiting=size.waiting,
            available=size.available,
            on_order=size.on_order,
        )
        model.sizes.append(size)
    for model in models.values():  # most to order first, then by size
        model.sizes.sort(key=lambda size: (-size.suggested, -size.waiting))
    ranked = sorted(
        models.values(), key=lambda m: (-m.suggested, -m.waiting, -m.not_found, m.product.pk)
    )
    return BuyingReport(since=since, now=now, weeks=weeks, cover_weeks=cover, models=ranked)


def buying_rows(report: BuyingReport) -> list[list[Any]]:
    """The report as CSV rows, a header first: one row a size (a model asked about with no
    size in demand has one row without a size)."""
    rows: list[list[Any]] = [
        [
            "brand",
            "model",
            "style_code",
            "eu_size",
            "sku",
            "waiting_now",
            "longest_wait_days",
            "holds_lapsed",
            "not_found_answers_for_model",
            "net_sales",
            "available_now",
            "on_order",
            "suggested_order",
        ]
    ]
    for model in report.models:
        product = model.product
        head = [product.brand.name, product.name, product.style_code]
        if not model.sizes:
            rows.append([*head, "", "", 0, "", 0, model.not_found, 0, "", "", 0])
        for size in model.sizes:
            rows.append(
                [
                    *head,
                    size.variant.size_label,
                    size.variant.sku,
                    size.waiting,
                    "" if size.wait_days is None else size.wait_days,
                    size.lapsed,
                    model.not_found,
                    size.net_sales,
                    size.available,
                    size.on_order,
                    size.suggested,
                ]
            )
    return rows
