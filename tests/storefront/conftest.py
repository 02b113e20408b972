from decimal import Decimal

import pytest

from tests.factories import (
    BrandFactory,
    CategoryFactory,
    ProductFactory,
    StoreFactory,
    VariantFactory,
    put_stock,
)
from tests.storefront.helpers import days


@pytest.fixture
def catalog():
    nike = BrandFactory(name="Nike", slug="nike")
    adidas = BrandFactory(name="Adidas", slug="adidas")
    running = CategoryFactory(slug="running", name_en="Running", name_he="ריצה")
    peg = ProductFactory(
        brand=nike,
        category=running,
        name="Pegasus 41",
        style_code="FD2722-002",
        price=Decimal("599.90"),
        release_date=days(-10),
    )
    ProductFactory(
        brand=adidas,
        name="Samba OG",
        style_code="B75806",
        price=Decimal("449"),
        release_date=days(-100),
    )
    store = StoreFactory(code="tlv", name_en="Dizengoff")
    put_stock(store, VariantFactory(product=peg, eu_size=Decimal("42")), on_hand=2)
    return {"nike": nike, "store": store}
