from decimal import Decimal

import pytest

from inventory.permissions import ROLE_SALESPEOPLE, ROLE_STORE_MANAGERS
from tests.factories import ProductFactory, VariantFactory
from tests.inventory.views.helpers import staff, stock, store_in


@pytest.fixture
def shop():
    """Tel Aviv (the salesperson's store), Haifa, Jerusalem, the warehouse; one shoe, two sizes."""
    tel_aviv, haifa, jerusalem = store_in("tel-aviv"), store_in("haifa"), store_in("jerusalem")
    warehouse = store_in(
        "rishon-lezion",
        code="warehouse",
        name_en="Central warehouse",
        name_he="מחסן מרכזי",
        is_warehouse=True,
    )
    product = ProductFactory(name="Pegasus 41", style_code="FD2722-002")
    size_42 = VariantFactory(product=product, eu_size=Decimal("42"), sku="FD2722-002-42")
    size_43 = VariantFactory(product=product, eu_size=Decimal("43"), sku="FD2722-002-43")
    stock(haifa, size_42, 2)
    stock(jerusalem, size_42, 1)
    stock(warehouse, size_43, 30)

    class Shop:
        pass

    s = Shop()
    s.tel_aviv, s.haifa, s.jerusalem, s.warehouse = tel_aviv, haifa, jerusalem, warehouse
    s.product, s.size_42, s.size_43 = product, size_42, size_43
    return s


@pytest.fixture
def salesperson(shop):
    return staff(ROLE_SALESPEOPLE, shop.tel_aviv, "dana")


@pytest.fixture
def haifa_manager(shop):
    return staff(ROLE_STORE_MANAGERS, shop.haifa, "haifa_boss")


@pytest.fixture
def tel_aviv_manager(shop):
    return staff(ROLE_STORE_MANAGERS, shop.tel_aviv, "tlv_boss")
