"""Reading stock through the till API: one size across stores, a store's own stock."""

import pytest
from django.test import Client

from inventory import services
from tests.factories import StoreFactory, VariantFactory
from tests.inventory.api.helpers import level, line, post

# --- Reading stock -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_get_stock_of_a_sku_lists_every_open_store(api, store, variant):
    near = StoreFactory(code="b-near")
    StoreFactory(code="c-empty")
    StoreFactory(code="closed", is_active=False)
    warehouse = StoreFactory(code="warehouse", is_warehouse=True)
    services.stock_receive(store=store, variant=variant, quantity=2)
    services.stock_receive(store=near, variant=variant, quantity=4)
    services.stock_reserve(store=near, variant=variant, quantity=1)
    services.stock_receive(store=warehouse, variant=variant, quantity=50)

    response = api.get(f"/api/v1/stock/{variant.sku}")
    assert response.status_code == 200
    body = response.json()
    assert (body["sku"], body["barcode"], body["size"]) == (
        variant.sku,
        variant.barcode,
        variant.size_label,
    )
    stores = {row["code"]: row for row in body["stores"]}
    assert set(stores) == {store.code, "b-near", "c-empty"}
    assert stores["b-near"]["available"] == 3
    assert stores[store.code]["is_own"] and not stores["b-near"]["is_own"]
    assert stores["c-empty"]["available"] == 0 and stores["c-empty"]["updated_at"] is None
    assert stores["b-near"]["updated_at"] is not None

    by_barcode = api.get(f"/api/v1/stock/{variant.barcode}")
    assert by_barcode.json()["sku"] == variant.sku


@pytest.mark.django_db
def test_get_stock_of_a_sku_with_a_slash(api):
    VariantFactory(sku="AB/12-42")
    assert api.get("/api/v1/stock/AB/12-42").json()["sku"] == "AB/12-42"


@pytest.mark.django_db
def test_sku_in_any_case_finds_the_size_for_lines_and_stock(api, store, variant):
    services.stock_receive(store=store, variant=variant, quantity=2)
    sale = {**line(variant, reference="L-1"), "sku": variant.sku.lower()}
    assert post(api, {"lines": [sale]}).json()["applied"] == 1
    assert level(store, variant) == (1, 0)
    assert api.get(f"/api/v1/stock/{variant.sku.lower()}").json()["sku"] == variant.sku


@pytest.mark.django_db
def test_get_stock_of_an_unknown_sku_is_404(api):
    response = api.get("/api/v1/stock/NO-SUCH")
    assert response.status_code == 404
    assert "NO-SUCH" in response.json()["detail"]


@pytest.mark.django_db
def test_get_store_stock_pages_through_own_store(api, store):
    variants = VariantFactory.create_batch(5)
    for n, variant in enumerate(variants):
        services.stock_receive(store=store, variant=variant, quantity=n + 1)
    services.stock_receive(store=StoreFactory(), variant=variants[0], quantity=9)

    first = api.get(f"/api/v1/stores/{store.code}/stock?limit=2").json()
    rest = api.get(f"/api/v1/stores/{store.code}/stock?limit=2&offset=2").json()
    assert first["count"] == 5
    rows = (
        first["items"]
        + rest["items"]
        + api.get(f"/api/v1/stores/{store.code}/stock?limit=2&offset=4").json()["items"]
    )
    assert [r["sku"] for r in rows] == sorted(v.sku for v in variants)
    assert {r["sku"]: r["on_hand"] for r in rows} == {v.sku: n + 1 for n, v in enumerate(variants)}


@pytest.mark.django_db
def test_get_store_stock_bad_paging_is_a_422_naming_the_parameter(api, store):
    response = api.get(f"/api/v1/stores/{store.code}/stock?limit=many")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "limit"


@pytest.mark.django_db
def test_get_store_stock_of_another_store_is_403(api):
    other = StoreFactory()
    response = api.get(f"/api/v1/stores/{other.code}/stock")
    assert response.status_code == 403
    assert response.json()["detail"]


@pytest.mark.django_db
def test_get_till_names_the_keys_store(api, store):
    body = api.get("/api/v1/till").json()
    assert (body["store"], body["till"]) == (store.code, "Till 1")


@pytest.mark.django_db
def test_read_endpoints_need_a_key(till, variant):
    anonymous = Client()
    assert anonymous.get(f"/api/v1/stock/{variant.sku}").status_code == 401
    assert anonymous.get(f"/api/v1/stores/{till.store.code}/stock").status_code == 401
