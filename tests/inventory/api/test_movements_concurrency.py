"""Tills posting at the same moment (PostgreSQL row locks): each line applies once, no oversell."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from inventory import services
from inventory.models import StockMovement
from tests.factories import VariantFactory
from tests.inventory.api.helpers import ledger, level, line, post

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

    responses = _run_together(
        [(lambda v=v: post(client, {"lines": [line(v, "receipt", 1, "SAME")]})) for v in variants]
    )

    # One applies; the others reuse its reference for another size: a conflict, not a copy.
    assert sorted(r.status_code for r in responses) == [200] + [409] * 5
    assert [r.json()["lines"][0]["status"] for r in responses if r.status_code == 200] == [
        "applied"
    ]
    assert {r.json()["errors"][0]["code"] for r in responses if r.status_code == 409} == {
        "reference_conflict"
    }
    assert StockMovement.objects.filter(store=store).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_post_movements_concurrent_sales_of_the_last_pairs_never_oversell(till, store):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    variant = VariantFactory()
    services.stock_receive(store=store, variant=variant, quantity=3)
    client = Client(headers={"authorization": f"Bearer {till.raw_key}"})

    responses = _run_together(
        [
            (lambda n=n: post(client, {"lines": [line(variant, "sale", 1, f"S-{n}")]}))
            for n in range(10)
        ]
    )

    assert sorted(r.status_code for r in responses) == [200] * 3 + [409] * 7
    assert level(store, variant) == (0, 0)
    assert ledger(store, variant) == 0
