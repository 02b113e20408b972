"""Every storefront page makes the same number of queries with 3 stores as with 30."""

from decimal import Decimal
from typing import cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Product
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
    stock_apply(changes=[
        StockChange(warehouse.pk, v.pk, reason=StockMovement.Reason.RECEIPT, delta=50)
        for v in product.variants.all()
    ])
    return product


def _add_shops(product: Product, count: int) -> None:
    """`count` more shops with uneven stock, a shipment and a transfer on the way to each."""
    variants = list(product.variants.order_by("eu_size"))
    warehouse = Store.objects.get(is_warehouse=True)
    user = UserFactory(is_staff=True)
    shops = StoreFactory.create_batch(count)
    stock_apply(changes=[
        StockChange(store.pk, variant.pk, reason=StockMovement.Reason.RECEIPT,
                    delta=1 + (store.pk + variant.pk) % 3)
        for store in shops for variant in variants if (store.pk + variant.pk) % 3
    ])
    for i, store in enumerate(shops):
        shipment_create(reference=f"PO-{store.pk}", store=store, expected_date=days(i % 7 - 2),
                        lines=[(variants[i % 12], 2)])
        transfer = request_transfer(variant=variants[i % 12], from_store=warehouse,
                                    to_store=store, user=user)
        if i % 2:
            transfer_dispatch(transfer=transfer, user=user, expected_date=days(3))


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


PAGES = [
    ("product page", lambda: reverse("storefront:product", kwargs={"slug": "bench-shoe"})),
    ("catalog list", lambda: reverse("storefront:product_list")),
    ("filtered list", lambda: reverse("storefront:product_list")
        + "?brand=none&size=40&store=x&in_stock=on&q=runner&sort=price"),
    ("home", lambda: reverse("storefront:home")),
    ("stores", lambda: reverse("storefront:stores")),
]


@pytest.mark.parametrize(("page", "url"), PAGES, ids=[name for name, _url in PAGES])
def test_storefront_query_count_is_the_same_for_3_and_30_stores(
    client, django_assert_max_num_queries, page, url
):
    product = _bench_product()
    _add_shops(product, 3)
    with django_assert_max_num_queries(12):
        few = _queries(client, url())

    _add_shops(product, 27)
    with django_assert_max_num_queries(12):
        many = _queries(client, url())

    assert many == few, f"{page}: {few} queries with 3 stores, {many} with 30"
