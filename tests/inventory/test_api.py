import json
import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from inventory import services
from inventory.models import StockLevel, StockMovement, TillToken
from inventory.tills import MAX_BATCH_LINES, till_authenticate, till_token_create, till_token_revoke
from tests.factories import StoreFactory, VariantFactory

URL = "/api/v1/movements"


@pytest.fixture
def till(store):
    token, raw_key = till_token_create(store=store, name="Till 1")
    token.raw_key = raw_key
    return token


@pytest.fixture
def api(till):
    return Client(headers={"authorization": f"Bearer {till.raw_key}"})


def post(client, body, **kwargs):
    return client.post(URL, data=json.dumps(body), content_type="application/json", **kwargs)


def line(variant, type="sale", quantity=1, reference="R-1", **extra):
    return {"type": type, "sku": variant.sku, "quantity": quantity, "reference": reference,
            **extra}


def level(store, variant):
    row = StockLevel.objects.filter(store=store, variant=variant).first()
    return (row.on_hand, row.reserved) if row else (0, 0)


def ledger(store, variant):
    return StockMovement.objects.filter(store=store, variant=variant).aggregate(
        s=Sum("delta"))["s"] or 0


# --- Keys --------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_till_token_create_keeps_only_a_hash_of_the_key(store):
    token, raw_key = till_token_create(store=store, name="Front till")
    prefix, secret = raw_key.split(".")
    token.refresh_from_db()
    assert token.prefix == prefix
    assert secret not in token.key_hash and raw_key not in token.key_hash
    assert till_authenticate(raw_key=raw_key) == token


@pytest.mark.django_db
@pytest.mark.parametrize("header", [
    None,
    "Bearer nosuchprefix.secret",
    "Bearer garbage",
    "Basic dXNlcjpwYXNz",
    "Bearer ",
])
def test_post_movements_without_a_valid_key_is_401(till, variant, header):
    client = Client(headers={"authorization": header} if header else {})
    response = post(client, {"lines": [line(variant, type="receipt")]})
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"]
    assert StockMovement.objects.count() == 0


@pytest.mark.django_db
def test_post_movements_with_a_wrong_secret_for_a_real_prefix_is_401(till, variant):
    client = Client(headers={"authorization": f"Bearer {till.prefix}.not-the-secret"})
    assert post(client, {"lines": [line(variant, type="receipt")]}).status_code == 401


@pytest.mark.django_db
def test_post_movements_with_a_revoked_key_is_401(till, api, variant):
    assert post(api, {"lines": [line(variant, type="receipt", reference="a")]}).status_code == 200
    till_token_revoke(token=till)
    response = post(api, {"lines": [line(variant, type="receipt", reference="b")]})
    assert response.status_code == 401
    assert level(till.store, variant) == (1, 0)


@pytest.mark.django_db
def test_till_authenticate_records_last_use_at_most_once_a_minute(till):
    assert till.last_used_at is None
    first = till_authenticate(raw_key=till.raw_key).last_used_at
    assert first is not None
    assert till_authenticate(raw_key=till.raw_key).last_used_at == first
    TillToken.objects.filter(pk=till.pk).update(last_used_at=first - timedelta(minutes=2))
    assert till_authenticate(raw_key=till.raw_key).last_used_at > first


# --- Posting movements -------------------------------------------------------------------------

@pytest.mark.django_db
def test_post_movements_applies_each_type_and_reports_new_levels(till, api, store, variant):
    other = VariantFactory()
    services.stock_receive(store=store, variant=variant, quantity=5)
    services.stock_reserve(store=store, variant=variant, quantity=1)
    response = post(api, {"lines": [
        line(variant, "sale", 2, "S-1"),
        line(variant, "return", 1, "S-2"),
        {"type": "receipt", "barcode": other.barcode, "quantity": 6, "reference": "S-3"},
        line(other, "count", 4, "S-4"),
    ]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["store"] == store.code
    assert (body["applied"], body["duplicates"]) == (4, 0)
    assert [(r["line"], r["status"], r["sku"]) for r in body["lines"]] == [
        (0, "applied", variant.sku), (1, "applied", variant.sku),
        (2, "applied", other.sku), (3, "applied", other.sku),
    ]
    assert (body["lines"][0]["on_hand"], body["lines"][0]["available"]) == (4, 3)
    assert (body["lines"][3]["on_hand"], body["lines"][3]["available"]) == (4, 4)
    assert level(store, variant) == (4, 1)
    assert level(store, other) == (4, 0)
    assert ledger(store, variant) == 4 and ledger(store, other) == 4
    movements = StockMovement.objects.filter(till=till)
    assert sorted(movements.values_list("external_reference", "reason", "delta")) == [
        ("S-1", "sale", -2), ("S-2", "return", 1), ("S-3", "receipt", 6), ("S-4", "count", -2),
    ]


@pytest.mark.django_db
def test_post_movements_resent_batch_changes_nothing(api, store, variant):
    batch = {"lines": [line(variant, "receipt", 3, "R-1"), line(variant, "sale", 1, "R-2")]}
    first = post(api, batch).json()
    second = post(api, batch)
    assert second.status_code == 200
    body = second.json()
    assert (body["applied"], body["duplicates"]) == (0, 2)
    assert [r["status"] for r in body["lines"]] == ["duplicate", "duplicate"]
    assert body["lines"][1]["on_hand"] == first["lines"][1]["on_hand"] == 2
    assert level(store, variant) == (2, 0)
    assert StockMovement.objects.filter(store=store).count() == 2


@pytest.mark.django_db
def test_post_movements_applies_new_lines_and_skips_known_ones(api, store, variant):
    post(api, {"lines": [line(variant, "receipt", 3, "R-1")]})
    body = post(api, {"lines": [line(variant, "receipt", 3, "R-1"),
                                line(variant, "sale", 1, "R-2")]}).json()
    assert [r["status"] for r in body["lines"]] == ["duplicate", "applied"]
    assert level(store, variant) == (2, 0)


@pytest.mark.django_db
def test_post_movements_reused_reference_for_another_line_is_a_conflict(api, store, variant):
    post(api, {"lines": [line(variant, "receipt", 3, "R-1")]})
    response = post(api, {"lines": [line(variant, "sale", 1, "R-2"),
                                    line(variant, "sale", 2, "R-1")]})
    assert response.status_code == 409
    error = response.json()["errors"][0]
    assert (error["line"], error["field"], error["code"]) == (1, "reference", "reference_conflict")
    assert error["original"]["type"] == "receipt" and error["original"]["delta"] == 3
    assert error["original"]["sku"] == variant.sku
    assert level(store, variant) == (3, 0)  # nothing applied, not even the good line
    assert StockMovement.objects.filter(store=store).count() == 1


@pytest.mark.django_db
def test_post_movements_same_reference_at_another_store_is_not_a_duplicate(api, variant):
    other_store = StoreFactory()
    other_key = till_token_create(store=other_store, name="T")[1]
    other = Client(headers={"authorization": f"Bearer {other_key}"})
    assert post(api, {"lines": [line(variant, "receipt", 1, "R-1")]}).json()["applied"] == 1
    assert post(other, {"lines": [line(variant, "receipt", 1, "R-1")]}).json()["applied"] == 1


@pytest.mark.django_db
def test_post_movements_keeps_the_tills_time_in_the_reference(api, store, variant):
    post(api, {"lines": [line(variant, "receipt", 1, "R-1",
                              occurred_at="2025-03-01T10:15:00+02:00")]})
    movement = StockMovement.objects.get(store=store)
    assert movement.reference == "till time 2025-03-01T10:15:00+02:00"


@pytest.mark.django_db
def test_post_movements_one_bad_line_applies_nothing(api, store, variant):
    response = post(api, {"lines": [
        line(variant, "receipt", 5, "B-1"),
        line(variant, "sale", 1, "B-2"),
        {"type": "receipt", "sku": "NO-SUCH-SKU", "quantity": 1, "reference": "B-3"},
    ]})
    assert response.status_code == 422
    assert [(e["line"], e["field"], e["code"]) for e in response.json()["errors"]] == [
        (2, "sku", "unknown_sku"),
    ]
    assert level(store, variant) == (0, 0)
    assert StockMovement.objects.count() == 0
    # Nothing was recorded, so the corrected batch is applied in full.
    response = post(api, {"lines": [line(variant, "receipt", 5, "B-1"),
                                    line(variant, "sale", 1, "B-2")]})
    assert response.json()["applied"] == 2


BAD_LINES = [
    ({"type": "sale", "sku": "NOPE", "quantity": 1, "reference": "x"}, "sku", "unknown_sku"),
    ({"type": "sale", "barcode": "7290000000000", "quantity": 1, "reference": "x"}, "barcode",
     "unknown_barcode"),
    ({"type": "sale", "quantity": 1, "reference": "x"}, "sku", "missing_sku"),
    ({"type": "sale", "SKU": None, "quantity": -2, "reference": "x"}, "quantity",
     "non_positive_quantity"),
    ({"type": "receipt", "SKU": None, "quantity": 0, "reference": "x"}, "quantity",
     "non_positive_quantity"),
    ({"type": "count", "SKU": None, "quantity": -1, "reference": "x"}, "quantity",
     "negative_quantity"),
    ({"type": "sale", "SKU": None, "reference": "x"}, "quantity", "missing_quantity"),
    ({"type": "sale", "SKU": None, "quantity": "three", "reference": "x"}, "quantity", "invalid"),
    ({"type": "sale", "SKU": None, "quantity": 1.5, "reference": "x"}, "quantity", "invalid"),
    ({"type": "sale", "SKU": None, "quantity": True, "reference": "x"}, "quantity", "invalid"),
    ({"type": "sale", "SKU": None, "quantity": 10**12, "reference": "x"}, "quantity",
     "quantity_too_large"),
    ({"type": "steal", "SKU": None, "quantity": 1, "reference": "x"}, "type", "invalid"),
    ({"type": "sale", "SKU": None, "quantity": 1}, "reference", "missing"),
    ({"type": "sale", "SKU": None, "quantity": 1, "reference": "  "}, "reference",
     "missing_reference"),
    ({"type": "sale", "SKU": None, "quantity": 1, "reference": "x" * 101}, "reference",
     "invalid"),
    ({"type": "sale", "SKU": None, "quantity": 1, "reference": "x", "store": "elsewhere"},
     "store", "wrong_store"),
    ({"type": "sale", "SKU": None, "barcode": "7290000000000", "quantity": 1, "reference": "x"},
     "barcode", "barcode_mismatch"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("bad", "field", "code"), BAD_LINES)
def test_post_movements_error_names_line_and_field(api, store, variant, bad, field, code):
    services.stock_receive(store=store, variant=variant, quantity=5)
    if "SKU" in bad:
        bad = {**{k: v for k, v in bad.items() if k != "SKU"}, "sku": variant.sku}
    response = post(api, {"lines": [line(variant, "receipt", 1, "ok-0"), bad]})
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"]
    assert [(e["line"], e["field"], e["code"]) for e in body["errors"]] == [(1, field, code)]
    assert body["errors"][0]["message"]
    assert level(store, variant) == (5, 0)


@pytest.mark.django_db
def test_post_movements_repeated_reference_in_one_batch_names_both_lines(api, variant):
    response = post(api, {"lines": [line(variant, "receipt", 1, "R-1"),
                                    line(variant, "receipt", 1, "R-2"),
                                    line(variant, "receipt", 1, "R-1")]})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["line"], error["field"], error["code"]) == (2, "reference", "duplicate_in_batch")
    assert error["other_line"] == 0
    assert StockMovement.objects.count() == 0


@pytest.mark.django_db
def test_post_movements_for_another_store_by_name_is_refused(api, store, variant):
    StoreFactory(code="other-branch")
    response = post(api, {"store": "other-branch", "lines": [line(variant, "receipt", 1)]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "wrong_store"
    assert post(api, {"store": store.code, "lines": [line(variant, "receipt", 1)]}
                ).status_code == 200


@pytest.mark.django_db
def test_post_movements_oversell_is_refused_with_the_shortfall(api, store, variant):
    other = VariantFactory()
    services.stock_receive(store=store, variant=variant, quantity=3)
    services.stock_reserve(store=store, variant=variant, quantity=1)
    response = post(api, {"lines": [
        line(other, "receipt", 2, "O-1"),
        line(variant, "sale", 1, "O-2"),
        line(variant, "sale", 3, "O-3"),
    ]})
    assert response.status_code == 409
    [error] = response.json()["errors"]
    assert (error["line"], error["field"], error["code"]) == (2, "quantity", "insufficient_stock")
    assert (error["requested"], error["available"], error["shortfall"]) == (3, 1, 2)
    assert level(store, variant) == (3, 1)
    assert level(store, other) == (0, 0)


@pytest.mark.django_db
def test_post_movements_count_below_held_pairs_is_refused(api, store, variant):
    services.stock_receive(store=store, variant=variant, quantity=3)
    services.stock_reserve(store=store, variant=variant, quantity=2)
    response = post(api, {"lines": [line(variant, "count", 1, "C-1")]})
    assert response.status_code == 409
    error = response.json()["errors"][0]
    assert (error["line"], error["field"], error["code"]) == (0, "quantity",
                                                               "count_below_reserved")
    assert level(store, variant) == (3, 2)


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "status", "line", "field"), [
    ("{not json", 400, None, "body"),
    ("", 422, None, "body"),
    ("[]", 422, None, "lines"),
    ('{"lines": "many"}', 422, None, "lines"),
    ('{"lines": [42]}', 422, 0, "type"),
    ('{"lines": []}', 422, None, "lines"),
])
def test_post_movements_bad_body_answers_in_the_error_shape(api, body, status, line, field):
    response = api.post(URL, data=body, content_type="application/json")
    assert response.status_code == status, response.content
    payload = response.json()
    assert payload["detail"]
    assert (payload["errors"][0]["line"], payload["errors"][0]["field"]) == (line, field)


@pytest.mark.django_db
def test_post_movements_batch_over_the_cap_is_refused(api, variant):
    lines = [line(variant, "receipt", 1, f"R-{n}") for n in range(MAX_BATCH_LINES + 1)]
    response = post(api, {"lines": lines})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["line"], error["field"], error["code"]) == (None, "lines", "batch_too_large")
    assert str(MAX_BATCH_LINES) in error["message"]
    assert StockMovement.objects.count() == 0


@pytest.mark.django_db
def test_post_movements_full_batch_of_new_sizes_is_applied(api, store):
    variants = VariantFactory.create_batch(MAX_BATCH_LINES)
    lines = [line(v, "receipt", 2, f"R-{n}") for n, v in enumerate(variants)]
    response = post(api, {"lines": lines})
    assert response.status_code == 200
    assert response.json()["applied"] == MAX_BATCH_LINES
    assert StockLevel.objects.filter(store=store, on_hand=2).count() == MAX_BATCH_LINES


@pytest.mark.django_db
def test_post_movements_needs_no_csrf_token(till, variant):
    client = Client(enforce_csrf_checks=True,
                    headers={"authorization": f"Bearer {till.raw_key}"})
    assert post(client, {"lines": [line(variant, "receipt", 1)]}).status_code == 200


@pytest.mark.django_db
def test_post_movements_query_count_does_not_grow_per_line_beyond_the_level_writes(
        api, store, django_assert_max_num_queries):
    variants = VariantFactory.create_batch(60)
    for variant in variants:
        services.stock_receive(store=store, variant=variant, quantity=3)
    lines = [line(v, "sale", 1, f"Q-{n}") for n, v in enumerate(variants)]
    # Auth, sizes, locks, known references and the ledger insert are one query each, whatever
    # the batch size; stock_apply writes each level once.
    with django_assert_max_num_queries(len(variants) + 15):
        assert post(api, {"lines": lines}).json()["applied"] == 60


@pytest.mark.django_db
def test_post_movements_huge_body_is_refused_cleanly(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(api, {"lines": [{"type": "sale", "sku": "x" * 2000}]})
    assert response.status_code == 413
    assert response.json()["detail"]


# --- Concurrency (Postgres) ----------------------------------------------------------------------

def _run_together(functions):
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait()
            results[index] = function()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_post_movements_concurrent_identical_batches_apply_once(till, store):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    variants = VariantFactory.create_batch(5)
    for variant in variants:
        services.stock_receive(store=store, variant=variant, quantity=10)
    batch = {"lines": [line(v, "sale", 2, f"T-{n}") for n, v in enumerate(variants)]}
    client = Client(headers={"authorization": f"Bearer {till.raw_key}"})

    responses = _run_together([lambda: post(client, batch)] * 8)

    assert [r.status_code for r in responses] == [200] * 8
    applied = [r.json()["applied"] for r in responses]
    assert sorted(applied) == [0] * 7 + [5]
    for variant in variants:
        assert level(store, variant) == (8, 0)
        assert ledger(store, variant) == 8
    assert StockMovement.objects.filter(till=till).count() == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_post_movements_concurrent_same_reference_on_other_sizes_applies_once(till, store):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    # Different sizes take different locks, so only the unique constraint sees the clash.
    variants = VariantFactory.create_batch(6)
    client = Client(headers={"authorization": f"Bearer {till.raw_key}"})

    responses = _run_together([
        (lambda v=v: post(client, {"lines": [line(v, "receipt", 1, "SAME")]}))
        for v in variants
    ])

    # One applies; the others reuse its reference for another size: a conflict, not a copy.
    assert sorted(r.status_code for r in responses) == [200] + [409] * 5
    assert [r.json()["lines"][0]["status"] for r in responses if r.status_code == 200] == [
        "applied"]
    assert {r.json()["errors"][0]["code"] for r in responses if r.status_code == 409} == {
        "reference_conflict"}
    assert StockMovement.objects.filter(store=store).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_post_movements_concurrent_sales_of_the_last_pairs_never_oversell(till, store):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    variant = VariantFactory()
    services.stock_receive(store=store, variant=variant, quantity=3)
    client = Client(headers={"authorization": f"Bearer {till.raw_key}"})

    responses = _run_together([
        (lambda n=n: post(client, {"lines": [line(variant, "sale", 1, f"S-{n}")]}))
        for n in range(10)
    ])

    assert sorted(r.status_code for r in responses) == [200] * 3 + [409] * 7
    assert level(store, variant) == (0, 0)
    assert ledger(store, variant) == 0


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
    assert (body["sku"], body["barcode"], body["size"]) == (variant.sku, variant.barcode,
                                                            variant.size_label)
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
    rows = first["items"] + rest["items"] + api.get(
        f"/api/v1/stores/{store.code}/stock?limit=2&offset=4").json()["items"]
    assert [r["sku"] for r in rows] == sorted(v.sku for v in variants)
    assert {r["sku"]: r["on_hand"] for r in rows} == {v.sku: n + 1 for n, v in
                                                       enumerate(variants)}


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


# --- Documentation -----------------------------------------------------------------------------

@pytest.mark.django_db
def test_openapi_description_is_served():
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert {"/api/v1/movements", "/api/v1/stock/{sku}", "/api/v1/stores/{code}/stock"} <= set(
        spec["paths"])
    assert spec["components"]["securitySchemes"]["TillKey"]["scheme"] == "bearer"


@pytest.mark.django_db
def test_api_docs_page_uses_no_cdn():
    response = Client().get("/api/docs")
    assert response.status_code == 200
    assert b"cdn." not in response.content and b"unpkg" not in response.content


@pytest.mark.django_db
def test_till_token_revoke_is_stamped_once(till):
    first = till_token_revoke(token=till).revoked_at
    assert first is not None and first <= timezone.now()
    assert till_token_revoke(token=till).revoked_at == first
