import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum

from inventory import services
from inventory.events import stock_became_available
from inventory.models import StockLevel, StockMovement


def ledger_sum(store, variant) -> int:
    total = StockMovement.objects.filter(store=store, variant=variant).aggregate(s=Sum("delta"))
    return total["s"] or 0


@pytest.fixture
def announced():
    seen: list[tuple[int, int, int]] = []

    def receiver(sender, store_id, variant_id, available, **kwargs):
        seen.append((store_id, variant_id, available))

    stock_became_available.connect(receiver)
    yield seen
    stock_became_available.disconnect(receiver)


@pytest.mark.django_db(transaction=True)
def test_stock_receive_then_sell_keeps_ledger_equal_to_on_hand(store, variant):
    services.stock_receive(store=store, variant=variant, quantity=5, reference="PO-1")
    services.stock_sell(store=store, variant=variant, quantity=2)
    level = StockLevel.objects.get(store=store, variant=variant)
    assert (level.on_hand, level.reserved) == (3, 0)
    assert ledger_sum(store, variant) == 3


@pytest.mark.django_db(transaction=True)
def test_stock_sell_below_available_fails_and_writes_nothing(store, variant):
    services.stock_receive(store=store, variant=variant, quantity=2)
    services.stock_reserve(store=store, variant=variant, quantity=1)
    with pytest.raises(services.InsufficientStock) as info:
        services.stock_sell(store=store, variant=variant, quantity=2)
    assert info.value.shortfalls[0].available == 1
    assert str(store) in info.value.message
    level = StockLevel.objects.get(store=store, variant=variant)
    assert (level.on_hand, level.reserved) == (2, 1)
    assert StockMovement.objects.filter(reason="sale").count() == 0


@pytest.mark.django_db(transaction=True)
def test_stock_receive_announces_once_after_commit(store, variant, announced):
    with transaction.atomic():
        services.stock_receive(store=store, variant=variant, quantity=1)
        services.stock_receive(store=store, variant=variant, quantity=2)
        assert announced == []
    assert announced == [(store.pk, variant.pk, 3)]


@pytest.mark.django_db(transaction=True)
def test_stock_receive_rolled_back_announces_nothing(store, variant, announced):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.stock_receive(store=store, variant=variant, quantity=1)
        raise RuntimeError
    services.stock_receive(store=store, variant=variant, quantity=1)
    assert announced == [(store.pk, variant.pk, 1)]


@pytest.mark.django_db
def test_stock_level_constraints_reject_negative_stock(store, variant):
    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.create(store=store, variant=variant, on_hand=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.create(store=store, variant=variant, on_hand=1, reserved=2)
