"""What a cold product page is built from says what the page built whole says: the kept frame
and its stock parts (`storefront.frames`), after stock and catalogue writes too, and shut size
lines from their shops with pairs only."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from inventory import services
from inventory.geo import CITIES
from inventory.models import Store
from inventory.selectors import product_availability
from storefront import pages
from storefront.shops import size_status
from tests.factories import (
    ProductFactory,
    ReviewLinkFactory,
    StoreFactory,
    VariantFactory,
    put_stock,
)
from tests.storefront.helpers import en, text

pytestmark = pytest.mark.django_db(transaction=True)

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')


@pytest.fixture
def shop():
    product = ProductFactory(name="Pegasus 41", slug="pegasus-41", price=Decimal("599.90"))
    size_42 = VariantFactory(product=product, eu_size=Decimal("42"))
    size_43 = VariantFactory(product=product, eu_size=Decimal("43"))
    tlv = StoreFactory(name_en="Dizengoff", code="tlv")
    StoreFactory(name_en="Malha", code="jlm")
    put_stock(tlv, size_42, on_hand=3)
    put_stock(tlv, size_43, on_hand=1)
    return product, size_42, size_43, tlv


def kept_and_whole(path: str, monkeypatch) -> tuple[str, str]:
    """`path` as a new visitor gets it (assembled from kept parts) and as built whole for a
    visitor who is served uncached; each visitor's CSRF token blanked."""
    kept = Client().get(path).content.decode()
    with monkeypatch.context() as patch:
        patch.setattr(pages, "_same_for_everyone", lambda request: False)
        whole = Client().get(path).content.decode()
    return CSRF.sub(r'\1"', kept), CSRF.sub(r'\1"', whole)


def test_product_html_assembled_page_equals_the_page_built_whole(shop, monkeypatch):
    product, _size_42, _size_43, _tlv = shop
    path = en("storefront:product", kwargs={"slug": product.slug})
    for query in ["", "?size=42", f"?size=43&city={CITIES[0].slug}"]:
        kept, whole = kept_and_whole(path + query, monkeypatch)
        assert kept == whole
        # The language links and the feedback form's way back carry the address's query.
        if query:
            assert query.replace("&", "&amp;") in kept


def test_product_html_after_a_sale_shows_the_new_numbers_and_equals_the_whole_page(
    shop, monkeypatch
):
    product, size_42, _size_43, tlv = shop
    path = en("storefront:product", kwargs={"slug": product.slug}) + "?size=42"
    assert "Dizengoff Tel Aviv 3 pairs" in text(Client().get(path).content.decode())

    services.stock_sell(store=tlv, variant=size_42, quantity=1)

    kept, whole = kept_and_whole(path, monkeypatch)
    assert "Dizengoff Tel Aviv 2 pairs" in text(kept)
    assert kept == whole


def test_product_html_after_a_catalogue_edit_shows_it(shop, monkeypatch):
    product, _size_42, _size_43, _tlv = shop
    path = en("storefront:product", kwargs={"slug": product.slug})
    assert "Pegasus 41" in text(Client().get(path + "?size=43").content.decode())

    product.name = "Pegasus 41 Premium"
    product.save()
    ReviewLinkFactory(product=product, title="Pegasus 41 after 100 km")

    # Another address of the product, whose frame was kept by the first visit.
    kept, whole = kept_and_whole(path + "?size=42", monkeypatch)
    assert "Pegasus 41 Premium" in text(kept) and "Pegasus 41 after 100 km" in text(kept)
    assert kept == whole


def test_product_availability_summaries_give_shut_lines_the_same_status(shop):
    product, size_42, size_43, tlv = shop
    jlm = Store.objects.get(code="jlm")
    put_stock(jlm, size_42, on_hand=2)
    sell_out = VariantFactory(product=product, eu_size=Decimal("44"))
    put_stock(tlv, sell_out, on_hand=1)
    services.stock_sell(store=tlv, variant=sell_out, quantity=1)  # out everywhere
    variants = [size_42, size_43, sell_out]
    whole = product_availability(product=product, sizes=variants)
    brief = product_availability(
        product=product, sizes=variants, summaries={v.pk for v in variants}
    )
    assert [size_status(size) for size in brief] == [size_status(size) for size in whole]
    # An in-stock size lists only its shops with pairs; one sold out is answered whole.
    assert [len(size.shops) for size in brief] == [2, 1, 2]
    assert size_status(brief[0]).pairs.startswith("5 ")  # 3 at Dizengoff, 2 at Malha
