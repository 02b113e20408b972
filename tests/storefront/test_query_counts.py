"""Every storefront page makes the same number of queries with 3 stores as with 30."""

from decimal import Decimal
from typing import cast

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Product
from catalog.search import lexicon
from inventory.models import StockMovement, Store
from inventory.services import StockChange, shipment_create, stock_apply, transfer_dispatch
from inventory.services import transfer_request as request_transfer
from tests.factories import ProductFactory, StoreFactory, UserFactory, VariantFactory
from tests.storefront.helpers import days

pytestmark = pytest.mark.django_db


# --- Fixed number of queries ------------------------------------------------------------------


def _bench_product() -> Product:
    """A product in 12 sizes with photos, other products beside it, and a warehouse."""
    product = cast(Product, ProductFactory(slug="bench-shoe"))
    product.images.create(image="products/a.png")
    product.images.create(image="products/b.png", position=1)
    for n in range(12):
        VariantFactory(product=product, eu_size=Decimal(36 + n))
    for n in range(5):
        VariantFactory(product=ProductFactory(), eu_size=Decimal(40 + n))
    warehouse = cast(Store, StoreFactory(is_warehouse=True))
    stock_apply(
        changes=[
            StockChange(warehouse.pk, v.pk, reason=StockMovement.Reason.RECEIPT, delta=50)
            for v in product.variants.all()
        ]
    )
    return product


def _add_shops(product: Product, count: int) -> None:
    """`count` more shops with uneven stock, a shipment and a transfer on the way to each."""
    variants = list(product.variants.order_by("eu_size"))
    warehouse = Store.objects.get(is_warehouse=True)
    user = UserFactory.create(is_staff=True)
    shops = StoreFactory.create_batch(count)
    stock_apply(
        changes=[
            StockChange(
                store.pk,
                variant.pk,
                reason=StockMovement.Reason.RECEIPT,
                delta=1 + (store.pk + variant.pk) % 3,
            )
            for store in shops
            for variant in variants
            if (store.pk + variant.pk) % 3
        ]
    )
    for i, store in enumerate(shops):
        shipment_create(
            reference=f"PO-{store.pk}",
            store=store,
            expected_date=days(i % 7 - 2),
            lines=[(variants[i % 12], 2)],
        )
        transfer = request_transfer(
            variant=variants[i % 12], from_store=warehouse, to_store=store, user=user
        )
        if i % 2:
            transfer_dispatch(transfer=transfer, user=user, expected_date=days(3))


def _measure(client, url: str) -> tuple[int, int]:
    """(queries, bytes of HTML) of one request."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.content)


PAGES = [
    ("product page", lambda: reverse("storefront:product", kwargs={"slug": "bench-shoe"})),
    (
        "product page, a size open",
        lambda: (
            reverse("storefront:product", kwargs={"slug": "bench-shoe"}) + "?size=40&city=haifa"
        ),
    ),
    ("catalog list", lambda: reverse("storefront:product_list")),
    (
        "filtered list",
        lambda: (
            reverse("storefront:product_list")
            + "?brand=none&size=40&store=x&in_stock=on&q=runner&sort=price"
        ),
    ),
    ("home", lambda: reverse("storefront:home")),
    ("stores", lambda: reverse("storefront:stores")),
]
# Uncompressed HTML. The product page's budget at 12 stores x 14 sizes is 60 KB and 100 KB at
# 100 stores (benchmarks/bench_pages.py measures those); with 12 sizes and 30 stores here a
# page must stay well inside it, and must not grow with the chain beyond one open size's list.
MAX_BYTES = 60_000


@pytest.mark.parametrize(("page", "url"), PAGES, ids=[name for name, _url in PAGES])
def test_storefront_queries_and_weight_do_not_grow_with_stores(client, page, url):
    product = _bench_product()
    _add_shops(product, 3)
    # The search's vocabulary is kept apart, built once per catalogue version: not the page's.
    lexicon()
    few, few_bytes = _measure(client, url())
    assert _measure(client, url())[0] <= 1, f"{page}: a cached page still queries"

    _add_shops(product, 27)
    cache.clear()
    lexicon()
    many, many_bytes = _measure(client, url())

    assert many == few, f"{page}: {few} queries with 3 stores, {many} with 30"
    assert few <= 12
    assert many_bytes <= MAX_BYTES, f"{page}: {many_bytes} bytes with 30 stores"
    if page in ("product page", "catalog list", "home"):
        # Nothing on these grows with the number of stores (store names vary in length).
        assert many_bytes - few_bytes < 2_000, f"{page}: {few_bytes} → {many_bytes} bytes"
