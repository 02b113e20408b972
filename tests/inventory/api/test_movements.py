"""POST /api/v1/movements: applying a batch of till lines, resends, conflicts and refusals."""

import pytest
from django.test import Client

from inventory import services
from inventory.models import StockLevel, StockMovement
from inventory.tills import MAX_BATCH_LINES, till_token_create
from tests.factories import StoreFactory, VariantFactory
from tests.inventory.api.helpers import URL, ledger, level, line, post

# --- Posting movements -------------------------------------------------------------------------


@pytest.mark.django_db
def test_post_movements_applies_each_type_and_reports_new_levels(till, api, store, variant):
    other = VariantFactory()
    services.stock_receive(store=store, variant=variant, quantity=5)
    services.stock_reserve(store=store, variant=variant, quantity=1)
    response = post(
        api,
        {
            "lines": [
                line(variant, "sale", 2, "S-1"),
                line(variant, "return", 1, "S-2"),
                {"type": "receipt", "barcode": other.barcode, "quantity": 6, "reference": "S-3"},
                line(other, "count", 4, "S-4"),
            ]
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["store"] == store.code
    assert (body["applied"], body["duplicates"]) == (4, 0)
    assert [(r["line"], r["status"], r["sku"]) for r in body["lines"]] == [
        (0, "applied", variant.sku),
        (1, "applied", variant.sku),
        (2, "applied", other.sku),
        (3, "applied", other.sku),
    ]
    assert (body["lines"][0]["on_hand"], body["lines"][0]["available"]) == (4, 3)
    assert (body["lines"][3]["on_hand"], body["lines"][3]["available"]) == (4, 4)
    assert level(store, variant) == (4, 1)
    assert level(store, other) == (4, 0)
    assert ledger(store, variant) == 4 and ledger(store, other) == 4
    movements = StockMovement.objects.filter(till=till)
    assert sorted(movements.values_list("external_reference", "reason", "delta")) == [
        ("S-1", "sale", -2),
        ("S-2", "return", 1),
        ("S-3", "receipt", 6),
        ("S-4", "count", -2),
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
    body = post(
        api, {"lines": [line(variant, "receipt", 3, "R-1"), line(variant, "sale", 1, "R-2")]}
    ).json()
    assert [r["status"] for r in body["lines"]] == ["duplicate", "applied"]
    assert level(store, variant) == (2, 0)


@pytest.mark.django_db
def test_post_movements_reused_reference_for_another_line_is_a_conflict(api, store, variant):
    post(api, {"lines": [line(variant, "receipt", 3, "R-1")]})
    response = post(
        api, {"lines": [line(variant, "sale", 1, "R-2"), line(variant, "sale", 2, "R-1")]}
    )
    assert response.status_code == 409
    error = response.json()["errors"][0]
    assert (error["line"], error["field"], error["code"]) == (1, "reference", "reference_conflict")
    assert error["original"]["type"] == "receipt" and error["original"]["delta"] == 3
    assert error["original"]["sku"] == variant.sku
    assert level(store, variant) == (3, 0)  # nothing applied, not even the good line
    assert StockMovement.objects.filter(store=store).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "again"),
    [
        (
            {"occurred_at": "2025-03-01T10:15:00+02:00"},
            {"occurred_at": "2025-03-01T10:16:00+02:00"},
        ),
        ({}, {"occurred_at": "2025-03-01T10:15:00+02:00"}),
        ({}, {"store": "{store}"}),
    ],
    ids=["another-time", "a-time-added", "a-store-added"],
)
def test_post_movements_same_reference_with_another_field_is_a_conflict(
    api, store, variant, first, again
):
    again = {k: v.format(store=store.code) for k, v in again.items()}
    assert post(api, {"lines": [line(variant, "receipt", 3, "R-1", **first)]}).status_code == 200
    response = post(api, {"lines": [line(variant, "receipt", 3, "R-1", **again)]})
    assert response.status_code == 409
    body = response.json()
    assert body["detail"] and "R-1" in body["errors"][0]["message"]
    assert body["errors"][0]["code"] == "reference_conflict"
    assert level(store, variant) == (3, 0)
    assert StockMovement.objects.filter(store=store).count() == 1


@pytest.mark.django_db
def test_post_movements_resend_naming_the_same_instant_in_another_offset_is_a_duplicate(
    api, store, variant
):
    post(
        api,
        {"lines": [line(variant, "receipt", 3, "R-1", occurred_at="2025-03-01T10:15:00+02:00")]},
    )
    response = post(
        api, {"lines": [line(variant, "receipt", 3, "R-1", occurred_at="2025-03-01T08:15:00Z")]}
    )
    assert response.status_code == 200
    assert response.json()["lines"][0]["status"] == "duplicate"
    assert level(store, variant) == (3, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["line", "batch"])
def test_post_movements_unknown_field_is_refused(api, store, variant, where):
    body = {"lines": [line(variant, "receipt", 3, "R-1")]}
    if where == "line":
        body["lines"][0]["colour"] = "red"
    else:
        body["till_note"] = "hi"
    response = post(api, body)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["line"], error["field"]) == ((0, "lines") if where == "line" else (None, "body"))
    assert "colour" in error["message"] or "till_note" in error["message"]
    assert level(store, variant) == (0, 0)
    assert not StockMovement.objects.exists()


@pytest.mark.django_db
def test_post_movements_same_reference_at_another_store_is_not_a_duplicate(api, variant):
    other_store = StoreFactory()
    other_key = till_token_create(store=other_store, name="T")[1]
    other = Client(headers={"authorization": f"Bearer {other_key}"})
    assert post(api, {"lines": [line(variant, "receipt", 1, "R-1")]}).json()["applied"] == 1
    assert post(other, {"lines": [line(variant, "receipt", 1, "R-1")]}).json()["applied"] == 1


@pytest.mark.django_db
def test_post_movements_keeps_the_tills_time_in_the_reference(api, store, variant):
    post(
        api,
        {"lines": [line(variant, "receipt", 1, "R-1", occurred_at="2025-03-01T10:15:00+02:00")]},
    )
    movement = StockMovement.objects.get(store=store)
    assert movement.reference == "till time 2025-03-01T10:15:00+02:00"


@pytest.mark.django_db
def test_post_movements_one_bad_line_applies_nothing(api, store, variant):
    response = post(
        api,
        {
            "lines": [
                line(variant, "receipt", 5, "B-1"),
                line(variant, "sale", 1, "B-2"),
                {"type": "receipt", "sku": "NO-SUCH-SKU", "quantity": 1, "reference": "B-3"},
            ]
        },
    )
    assert response.status_code == 422
    assert [(e["line"], e["field"], e["code"]) for e in response.json()["errors"]] == [
        (2, "sku", "unknown_sku"),
    ]
    assert level(store, variant) == (0, 0)
    assert StockMovement.objects.count() == 0
    # Nothing was recorded, so the corrected batch is applied in full.
    response = post(
        api, {"lines": [line(variant, "receipt", 5, "B-1"), line(variant, "sale", 1, "B-2")]}
    )
    assert response.json()["applied"] == 2


BAD_LINES = [
    ({"type": "sale", "sku": "NOPE", "quantity": 1, "reference": "x"}, "sku", "unknown_sku"),
    (
        {"type": "sale", "barcode": "7290000000000", "quantity": 1, "reference": "x"},
        "barcode",
        "unknown_barcode",
    ),
    ({"type": "sale", "quantity": 1, "reference": "x"}, "sku", "missing_sku"),
    (
        {"type": "sale", "SKU": None, "quantity": -2, "reference": "x"},
        "quantity",
        "non_positive_quantity",
    ),
    (
        {"type": "receipt", "SKU": None, "quantity": 0, "reference": "x"},
        "quantity",
        "non_positive_quantity",
    ),
    (
        {"type": "count", "SKU": None, "quantity": -1, "reference": "x"},
        "quantity",
        "negative_quantity",
    ),
    ({"type": "sale", "SKU": None, "reference": "x"}, "quantity", "missing_quantity"),
    ({"type": "sale", "SKU": None, "quantity": "three", "reference": "x"}, "quantity", "invalid"),
    ({"type": "sale", "SKU": None, "quantity": 1.5, "reference": "x"}, "quantity", "invalid"),
    ({"type": "sale", "SKU": None, "quantity": True, "reference": "x"}, "quantity", "invalid"),
    (
        {"type": "sale", "SKU": None, "quantity": 10**12, "reference": "x"},
        "quantity",
        "quantity_too_large",
    ),
    ({"type": "steal", "SKU": None, "quantity": 1, "reference": "x"}, "type", "invalid"),
    ({"type": "sale", "SKU": None, "quantity": 1}, "reference", "missing"),
    (
        {"type": "sale", "SKU": None, "quantity": 1, "reference": "  "},
        "reference",
        "missing_reference",
    ),
    ({"type": "sale", "SKU": None, "quantity": 1, "reference": "x" * 101}, "reference", "invalid"),
    (
        {"type": "sale", "SKU": None, "quantity": 1, "reference": "x", "store": "elsewhere"},
        "store",
        "wrong_store",
    ),
    (
        {"type": "sale", "SKU": None, "barcode": "7290000000000", "quantity": 1, "reference": "x"},
        "barcode",
        "barcode_mismatch",
    ),
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
    response = post(
        api,
        {
            "lines": [
                line(variant, "receipt", 1, "R-1"),
                line(variant, "receipt", 1, "R-2"),
                line(variant, "receipt", 1, "R-1"),
            ]
        },
    )
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
    assert (
        post(api, {"store": store.code, "lines": [line(variant, "receipt", 1)]}).status_code == 200
    )


@pytest.mark.django_db
def test_post_movements_oversell_is_refused_with_the_shortfall(api, store, variant):
    other = VariantFactory()
    services.stock_receive(store=store, variant=variant, quantity=3)
    services.stock_reserve(store=store, variant=variant, quantity=1)
    response = post(
        api,
        {
            "lines": [
                line(other, "receipt", 2, "O-1"),
                line(variant, "sale", 1, "O-2"),
                line(variant, "sale", 3, "O-3"),
            ]
        },
    )
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
    assert (error["line"], error["field"], error["code"]) == (0, "quantity", "count_below_reserved")
    assert level(store, variant) == (3, 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "status", "line", "field"),
    [
        ("{not json", 400, None, "body"),
        ("", 422, None, "body"),
        ("[]", 422, None, "lines"),
        ('{"lines": "many"}', 422, None, "lines"),
        ('{"lines": [42]}', 422, 0, "type"),
        ('{"lines": []}', 422, None, "lines"),
    ],
)
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
    client = Client(enforce_csrf_checks=True, headers={"authorization": f"Bearer {till.raw_key}"})
    assert post(client, {"lines": [line(variant, "receipt", 1)]}).status_code == 200


@pytest.mark.django_db
def test_post_movements_query_count_does_not_grow_per_line_beyond_the_level_writes(
    api, store, django_assert_max_num_queries
):
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
