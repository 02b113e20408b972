"""The sizes' stock summaries say what the availability policy counts from the levels, after
every kind of stock write, and the rebuild writes the same."""

import io
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from inventory import services
from inventory.models import SizeStock, StockLevel
from tests.factories import StoreFactory, UserFactory, VariantFactory, put_stock

pytestmark = pytest.mark.django_db


def summary(variant) -> dict[str, int]:
    row = SizeStock.objects.filter(variant=variant).first()
    return {store: available for store, (available, _) in (row.shops if row else {}).items()}


def from_levels(variant) -> dict[str, int]:
    expected = services.size_stock_from_levels([variant.pk]).get(variant.pk, {})
    return {store: available for store, (available, _) in expected.items()}


def agrees(variant) -> bool:
    return summary(variant) == from_levels(variant)


@pytest.fixture
def shops(db):
    return StoreFactory(name_en="Dizengoff"), StoreFactory(name_en="Haifa")


def test_size_stock_write_every_kind_of_write_agrees_with_the_policy(shops):
    tlv, haifa = shops
    variant, other = VariantFactory(), VariantFactory()
    staff = UserFactory()

    put_stock(tlv, variant, on_hand=3)
    put_stock(haifa, other, on_hand=1)
    assert summary(variant) == {str(tlv.pk): 3} and agrees(other)

    services.stock_sell(store=tlv, variant=variant, quantity=1)
    assert summary(variant) == {str(tlv.pk): 2}
    services.stock_return(store=tlv, variant=variant, quantity=1)
    assert agrees(variant)
    services.stock_count(store=haifa, variant=variant, counted=4)
    assert summary(variant) == {str(tlv.pk): 3, str(haifa.pk): 4}

    hold = services.hold_place(store=haifa, variant=variant)
    assert summary(variant)[str(haifa.pk)] == 3  # a held pair is not for sale
    services.hold_release(hold=hold)
    assert agrees(variant)

    transfer = services.transfer_request(
        variant=variant, from_store=haifa, to_store=tlv, quantity=4, user=staff
    )
    assert str(haifa.pk) not in summary(variant)  # all four reserved for the transfer
    services.transfer_dispatch(transfer=transfer, user=staff)
    services.transfer_receive(transfer=transfer, user=staff)
    assert summary(variant) == {str(tlv.pk): 7}

    shipment = services.shipment_create(
        reference="PO-1", store=haifa, expected_date=timezone.localdate(), lines=[(variant, 2)]
    )
    services.shipment_receive(shipment=shipment)
    assert summary(variant) == {str(tlv.pk): 7, str(haifa.pk): 2}

    services.stock_count(store=tlv, variant=variant, counted=0)
    assert summary(variant) == {str(haifa.pk): 2}
    assert agrees(variant) and agrees(other)


def test_size_stock_write_confirms_the_shop_entry_when_written(shops):
    tlv, _haifa = shops
    variant = VariantFactory()
    put_stock(tlv, variant, on_hand=2)
    before = timezone.now()
    services.stock_count(store=tlv, variant=variant, counted=2)  # the same number, confirmed
    _pairs, confirmed_at = SizeStock.objects.get(variant=variant).shops[str(tlv.pk)]
    level = StockLevel.objects.get(store=tlv, variant=variant)
    assert datetime.fromisoformat(confirmed_at) == level.updated_at
    assert level.updated_at >= before - timedelta(seconds=1)


def test_size_stock_write_rolled_back_write_leaves_the_summary(shops):
    tlv, _haifa = shops
    variant = VariantFactory()
    put_stock(tlv, variant, on_hand=1)
    with pytest.raises(services.InsufficientStock):
        services.stock_sell(store=tlv, variant=variant, quantity=2)
    assert summary(variant) == {str(tlv.pk): 1}


def test_rebuild_size_stock_writes_what_the_levels_say(shops):
    tlv, haifa = shops
    variant, untouched = VariantFactory(), VariantFactory()
    put_stock(tlv, variant, on_hand=2, reserved=1)
    put_stock(haifa, variant, on_hand=1, reserved=1)
    # Levels loaded in bulk, past the services (an import): the summary does not know them.
    StockLevel.objects.filter(store=haifa, variant=variant).update(on_hand=5)
    SizeStock.objects.filter(variant=variant).update(shops={})

    call_command("rebuild_size_stock", stdout=io.StringIO())

    assert summary(variant) == {str(tlv.pk): 1, str(haifa.pk): 4}
    assert SizeStock.objects.get(variant=untouched).shops == {}
