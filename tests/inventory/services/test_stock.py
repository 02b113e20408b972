"""The stock core: every change in the ledger, no oversell, clear refusals that write nothing."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import translation

from inventory import services
from inventory.models import StockLevel, StockMovement
from inventory.services import StockChange
from tests.factories import ProductFactory, StoreFactory, UserFactory, VariantFactory

Reason = StockMovement.Reason


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; the site's default language is Hebrew."""
    with translation.override("en"):
        yield


def ledger_sum(store, variant) -> int:
    total = StockMovement.objects.filter(store=store, variant=variant).aggregate(s=Sum("delta"))
    return total["s"] or 0


def level_of(store, variant) -> tuple[int, int]:
    level = StockLevel.objects.get(store=store, variant=variant)
    return level.on_hand, level.reserved


@pytest.mark.django_db
def test_stock_receive_then_sell_keeps_ledger_equal_to_on_hand(store, variant):
    services.stock_receive(store=store, variant=variant, quantity=5, reference="PO-1")
    services.stock_sell(store=store, variant=variant, quantity=2)
    assert level_of(store, variant) == (3, 0)
    assert ledger_sum(store, variant) == 3


@pytest.mark.django_db
def test_stock_receive_records_who_why_and_running_total(store, variant):
    user = UserFactory()
    first = services.stock_receive(
        store=store, variant=variant, quantity=4, reference="PO-7", user=user
    )
    second = services.stock_sell(store=store, variant=variant, quantity=1, reference="R-1")
    assert (first.delta, first.on_hand_after, first.reason, first.reference, first.user) == (
        4,
        4,
        Reason.RECEIPT,
        "PO-7",
        user,
    )
    assert (second.delta, second.on_hand_after, second.reason, second.user) == (
        -1,
        3,
        Reason.SALE,
        None,
    )


@pytest.mark.django_db
def test_stock_receive_rejects_quantities_that_are_not_positive_whole_numbers(store, variant):
    for quantity in (0, -2, True, 1.5, "3"):
        with pytest.raises(services.InvalidQuantity):
            services.stock_receive(store=store, variant=variant, quantity=quantity)
    assert not StockMovement.objects.exists()


@pytest.mark.django_db
def test_stock_sell_below_reserved_fails_and_writes_nothing(store, variant):
    services.stock_receive(store=store, variant=variant, quantity=2)
    services.stock_reserve(store=store, variant=variant, quantity=1)
    with pytest.raises(services.InsufficientStock) as info:
        services.stock_sell(store=store, variant=variant, quantity=2)
    shortfall = info.value.shortfalls[0]
    assert (shortfall.requested, shortfall.available, shortfall.missing) == (2, 1, 1)
    assert level_of(store, variant) == (2, 1)
    assert not StockMovement.objects.filter(reason=Reason.SALE).exists()


@pytest.mark.django_db
def test_stock_sell_shortfall_message_names_store_size_and_shortfall(store):
    variant = VariantFactory(
        product=ProductFactory(name="Cloud Runner"), eu_size=42.5, sku="CR-425"
    )
    services.stock_receive(store=store, variant=variant, quantity=1)
    with pytest.raises(services.InsufficientStock) as info:
        services.stock_sell(store=store, variant=variant, quantity=4)
    message = info.value.message
    assert str(store) in message
    assert "Cloud Runner" in message and "42.5" in message and "CR-425" in message
    assert "3" in message  # pairs short
    assert info.value.shortfalls[0].sku == "CR-425"


@pytest.mark.django_db
def test_stock_sell_of_a_size_never_stocked_fails_and_leaves_no_level(store, variant):
    with pytest.raises(services.InsufficientStock):
        services.stock_sell(store=store, variant=variant)
    assert not StockLevel.objects.exists()
    assert not StockMovement.objects.exists()


@pytest.mark.django_db
def test_stock_apply_batch_names_every_failing_line_and_writes_nothing(store):
    a, b, c = VariantFactory.create_batch(3)
    services.stock_receive(store=store, variant=a, quantity=1)
    services.stock_receive(store=store, variant=c, quantity=5)
    before = list(StockMovement.objects.values_list("pk", flat=True))
    with pytest.raises(services.InsufficientStock) as info:
        services.stock_apply(
            changes=[
                StockChange(store.pk, c.pk, reason=Reason.SALE, delta=-2),
                StockChange(store.pk, a.pk, reason=Reason.SALE, delta=-3),
                StockChange(store.pk, b.pk, reason=Reason.SALE, delta=-1),
            ]
        )
    assert [(s.line, s.variant_id, s.missing) for s in info.value.shortfalls] == [
        (1, a.pk, 2),
        (2, b.pk, 1),
    ]
    assert info.value.line == 1
    assert list(StockMovement.objects.values_list("pk", flat=True)) == before
    assert level_of(store, c) == (5, 0)


@pytest.mark.django_db
def test_stock_apply_later_lines_see_earlier_lines_of_the_same_batch(store, variant):
    movements = services.stock_apply(
        changes=[
            StockChange(store.pk, variant.pk, reason=Reason.RECEIPT, delta=3),
            StockChange(store.pk, variant.pk, reason=Reason.SALE, delta=-2),
            StockChange(store.pk, variant.pk, reserve=1),
            StockChange(store.pk, variant.pk, reason=Reason.RETURN, delta=1),
        ]
    )
    assert [m.on_hand_after for m in movements] == [3, 1, 2]
    assert level_of(store, variant) == (2, 1)
    assert ledger_sum(store, variant) == 2


@pytest.mark.django_db
def test_stock_apply_second_sale_in_batch_cannot_use_pairs_the_first_took(store, variant):
    services.stock_receive(store=store, variant=variant, quantity=2)
    with pytest.raises(services.InsufficientStock) as info:
        services.stock_apply(
            changes=[
                StockChange(store.pk, variant.pk, reason=Reason.SALE, delta=-2),
                StockChange(store.pk, variant.pk, reason=Reason.SALE, delta=-1),
            ]
        )
    assert [(s.line, s.available) for s in info.value.shortfalls] == [(1, 0)]
    assert level_of(store, variant) == (2, 0)


@pytest.mark.django_db
def test_stock_apply_refuses_an_on_hand_change_without_a_ledger_reason(store, variant):
    with pytest.raises(ValueError):
        services.stock_apply(changes=[StockChange(store.pk, variant.pk, delta=3)])
    assert not StockLevel.objects.exists()


@pytest.mark.django_db
def test_stock_count_sets_on_hand_and_records_the_difference(store, variant):
    services.stock_receive(store=store, variant=variant, quantity=7)
    movement = services.stock_count(store=store, variant=variant, counted=4, reference="C-1")
    assert (movement.delta, movement.on_hand_after, movement.reason) == (-3, 4, Reason.COUNT)
    assert level_of(store, variant) == (4, 0)
    assert ledger_sum(store, variant) == 4


@pytest.mark.django_db
def test_stock_count_that_matches_writes_a_zero_confirmation(store, variant):
    services.stock_receive(store=store, variant=variant, quantity=2)
    movement = services.stock_count(store=store, variant=variant, counted=2)
    assert (movement.delta, movement.on_hand_after) == (0, 2)
    assert StockMovement.objects.filter(reason=Reason.COUNT).count() == 1


@pytest.mark.django_db
def test_stock_count_below_pairs_held_for_customers_is_refused(store, variant):
    services.stock_receive(store=store, variant=variant, quantity=5)
    services.stock_reserve(store=store, variant=variant, quantity=3)
    with pytest.raises(services.InvalidQuantity) as info:
        services.stock_count(store=store, variant=variant, counted=2)
    assert "held for customers" in info.value.message
    assert str(store) in info.value.message
    assert level_of(store, variant) == (5, 3)
    assert not StockMovement.objects.filter(reason=Reason.COUNT).exists()


@pytest.mark.django_db
def test_stock_count_negative_is_refused(store, variant):
    with pytest.raises(services.InvalidQuantity):
        services.stock_count(store=store, variant=variant, counted=-1)
    assert not StockLevel.objects.exists()


@pytest.mark.django_db
def test_stock_adjust_corrects_by_a_signed_amount(store, variant):
    services.stock_receive(store=store, variant=variant, quantity=3)
    services.stock_adjust(store=store, variant=variant, delta=-1, reference="damaged")
    services.stock_adjust(store=store, variant=variant, delta=2, reference="found")
    assert level_of(store, variant) == (4, 0)
    assert ledger_sum(store, variant) == 4


@pytest.mark.django_db
def test_stock_adjust_refuses_zero_and_going_below_zero(store, variant):
    services.stock_receive(store=store, variant=variant, quantity=1)
    with pytest.raises(services.InvalidQuantity):
        services.stock_adjust(store=store, variant=variant, delta=0)
    with pytest.raises(services.InsufficientStock):
        services.stock_adjust(store=store, variant=variant, delta=-2)
    assert level_of(store, variant) == (1, 0)


@pytest.mark.django_db
def test_stock_reserve_more_than_available_fails(store, variant):
    services.stock_receive(store=store, variant=variant, quantity=2)
    services.stock_reserve(store=store, variant=variant, quantity=2)
    with pytest.raises(services.InsufficientStock):
        services.stock_reserve(store=store, variant=variant)
    assert level_of(store, variant) == (2, 2)
    # A reservation moves no pair: the ledger only has the receipt.
    assert StockMovement.objects.count() == 1


@pytest.mark.django_db
def test_stock_release_more_than_reserved_is_refused(store, variant):
    services.stock_receive(store=store, variant=variant, quantity=2)
    services.stock_reserve(store=store, variant=variant, quantity=1)
    with pytest.raises(services.InvalidQuantity) as info:
        services.stock_release(store=store, variant=variant, quantity=2)
    assert "only 1" in info.value.message
    assert level_of(store, variant) == (2, 1)


@pytest.mark.django_db
def test_stock_apply_changes_only_the_levels_it_names(variant):
    here, there = StoreFactory(), StoreFactory()
    services.stock_receive(store=here, variant=variant, quantity=3)
    services.stock_receive(store=there, variant=variant, quantity=1)
    services.stock_sell(store=here, variant=variant)
    assert level_of(here, variant) == (2, 0)
    assert level_of(there, variant) == (1, 0)


@pytest.mark.django_db
def test_stock_level_constraints_reject_negative_stock(store, variant):
    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.create(store=store, variant=variant, on_hand=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.create(store=store, variant=variant, on_hand=1, reserved=2)
