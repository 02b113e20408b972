"""The search on the storefront's pages: a size named in the search, an empty result that
offers the closest names and the categories, and the search box's suggestions (kept like every
storefront page, under the catalogue's version and its canonical address)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.catalog import search_catalog
from tests.storefront.helpers import en, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    return search_catalog.build()


def test_product_list_size_in_the_search_lists_that_size_in_stock(client, catalog):
    response = client.get(en("storefront:product_list"), {"q": "pegasus 42"})
    page = text(response.content.decode())

    assert "1 model · size EU 42 in stock" in page
    # The card opens the product with that size's stores.
    assert f'{catalog["pegasus"].get_absolute_url()}?size=42"' in response.content.decode()


def test_product_list_empty_search_says_what_was_searched_and_offers_names(client, catalog):
    response = client.get(en("storefront:product_list"), {"q": "vomero kids"})
    page = text(response.content.decode())

    assert "Nothing found for “vomero kids”." in page
    assert "Did you mean: Vomero 18" in page
    assert 'href="/en/sneakers/?category=running"' in response.content.decode()


def test_product_list_empty_search_for_a_size_says_so(client, catalog):
    response = client.get(en("storefront:product_list"), {"q": "pegasus 44"})

    assert "Nothing found for “pegasus 44” with a pair in size EU 44 for sale." in text(
        response.content.decode()
    )


def test_suggest_lists_the_models_being_typed(client, catalog):
    response = client.get(en("storefront:suggest"), {"q": "נייקי פג"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()

    assert 'role="listbox"' in html
    assert text(html).startswith("Nike Pegasus 41 Nike Pegasus Trail 5")
    assert catalog["pegasus"].get_absolute_url() in html
    assert "Vomero" not in html


def test_suggest_is_kept_and_served_again_without_the_database(client, catalog):
    url = en("storefront:suggest")
    client.get(url, {"q": "clif"}, HTTP_HX_REQUEST="true")
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(url, {"q": "clif"}, HTTP_HX_REQUEST="true")
    assert "Clifton 9" in again.content.decode()
    assert len(ctx.captured_queries) == 0


def test_suggest_drops_parameters_it_does_not_read(client, catalog):
    response = client.get(
        en("storefront:suggest"), {"q": "clif", "utm": "x"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 302
    assert response["Location"] == en("storefront:suggest") + "?q=clif"


def test_suggest_without_javascript_is_the_search(client, catalog):
    response = client.get(en("storefront:suggest"), {"q": "clif"})
    assert response.status_code == 302
    assert response["Location"] == en("storefront:product_list") + "?q=clif"


def test_suggest_for_nothing_is_empty_not_an_error(client, catalog):
    response = client.get(en("storefront:suggest"), {"q": "\x00" * 3}, HTTP_HX_REQUEST="true")
    assert response.status_code in (200, 302)
    response = client.get(en("storefront:suggest"), {"q": "zzzzqqq"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'role="option"' not in response.content.decode()


def test_product_list_exact_sku_barcode_or_style_code_opens_the_product(client, catalog):
    pegasus = catalog["pegasus"]
    variant = pegasus.variants.get(eu_size=42)
    url = en("storefront:product_list")

    by_sku = client.get(url, {"q": variant.sku.lower()})
    by_barcode = client.get(url, {"q": variant.barcode})
    by_style = client.get(url, {"q": pegasus.style_code})

    assert by_sku.status_code == by_barcode.status_code == 302
    assert by_sku["Location"].endswith(f"{pegasus.get_absolute_url()}?size=42")
    assert by_barcode["Location"] == by_sku["Location"]
    assert by_style["Location"].endswith(pegasus.get_absolute_url())
    # Part of a code is a search.
    assert client.get(url, {"q": pegasus.style_code[:5]}).status_code == 200
