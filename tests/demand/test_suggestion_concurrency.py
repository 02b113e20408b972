"""Approving a suggested transfer on separate PostgreSQL connections: never an oversell."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections

from demand import services
from demand.models import TransferSuggestion
from inventory import services as inventory
from inventory.models import StockLevel, StockMovement, Transfer
from tests.factories import StoreFactory, VariantFactory, WaitlistEntryFactory, put_stock

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent writers need PostgreSQL")


def run_together(calls: list[Callable[[], Any]]) -> list[Any]:
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        try:
            start.wait()
            return call()
        except Exception as error:  # the test decides which errors are expected
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


@pytest.fixture
def suggestion():
    tel_aviv = StoreFactory()
    ramat_gan = StoreFactory(latitude=Decimal("32.0684"), longitude=Decimal("34.8248"))
    size = VariantFactory()
    put_stock(ramat_gan, size, on_hand=2)  # one spare pair beyond the safety stock
    WaitlistEntryFactory(store=tel_aviv, variant=size)
    [proposed] = services.transfer_suggestions_refresh()
    return proposed


def test_two_managers_approving_at_once_make_one_transfer(suggestion):
    results = run_together(
        [
            lambda: services.transfer_suggestion_approve(suggestion=suggestion.pk, user=None)
            for _ in range(2)
        ]
    )
    made = [r for r in results if isinstance(r, list)]
    refused = [r for r in results if isinstance(r, services.SuggestionUnavailable)]
    assert len(made) == 1 and len(made[0]) == 1 and len(refused) == 1
    assert Transfer.objects.count() == 1
    level = StockLevel.objects.get(store=suggestion.from_store, variant=suggestion.variant)
    assert (level.on_hand, level.reserved) == (2, 1)


def test_approve_racing_a_sale_of_the_surplus_never_oversells(suggestion):
    source, size = suggestion.from_store, suggestion.variant
    results = run_together(
        [
            lambda: services.transfer_suggestion_approve(suggestion=suggestion.pk, user=None),
            lambda: inventory.stock_sell(store=source.pk, variant=size.pk),
            lambda: inventory.stock_sell(store=source.pk, variant=size.pk),
        ]
    )
    approved = [r for r in results if isinstance(r, list)]
    sold = [r for r in results if isinstance(r, StockMovement)]
    others = [r for r in results if not isinstance(r, list | StockMovement)]
    assert all(
        isinstance(r, services.SuggestionUnavailable | inventory.InsufficientStock) for r in others
    ), others
    level = StockLevel.objects.get(store=source, variant=size)
    assert level.on_hand == 2 - len(sold) and 0 <= level.reserved <= level.on_hand
    assert Transfer.objects.count() == len(approved) == level.reserved
    assert len(sold) + len(approved) <= 2


def test_two_refreshes_at_once_keep_one_suggestion_per_route(suggestion):
    WaitlistEntryFactory(store=suggestion.to_store, variant=suggestion.variant)
    results = run_together([services.transfer_suggestions_refresh for _ in range(2)])
    assert not [r for r in results if isinstance(r, Exception)]
    [proposed] = TransferSuggestion.objects.filter(status=TransferSuggestion.Status.PROPOSED)
    assert proposed.entries.count() == 1  # the source has one pair to spare
