"""The catalogue search as customers type it, on PostgreSQL (pg_trgm): Hebrew and Latin
spellings of the same name, typos, joined and split words, a size, a category or audience word,
a brand with a model, and what an empty result offers."""

import pytest
from django.db import connection

from catalog.search import closest_names, read
from inventory.selectors import stock_finder
from storefront.selectors import ProductFilters, product_list, suggestions
from tests.catalog import search_catalog

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

KAYANO = {"Gel-Kayano 31"}


@pytest.fixture
def catalog():
    if connection.vendor != "postgresql":
        pytest.skip("the search's trigram matching is PostgreSQL's")
    return search_catalog.build()


def names(query: str) -> list[str]:
    return [p.name for p in product_list(filters=ProductFilters(q=query)).products]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("נייקי", {"Pegasus 41", "Pegasus Trail 5", "Vomero 18", "Revolution 7 (GS)"}),
        ("אדידס", {"Samba OG", "Ultraboost 5"}),  # no spelling entered: by sound
        ("סאקוני", {"Ride 17"}),
        ("הוקה", {"Clifton 9", "Clifton 9 Youth"}),
        ("ניו באלאנס", {"9060"}),  # two Hebrew words, one brand
        ("ניו בלנס", {"9060"}),
        ("און", {"Cloudmonster 2"}),
    ],
)
def test_find_hebrew_spelling_of_a_brand(catalog, query, expected):
    assert set(names(query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("פגסוס", "Pegasus 41"),  # an entered spelling
        ("פגזוס", "Pegasus 41"),  # a spelling nobody entered
        ("וומרו", "Vomero 18"),
        ("קליפטון", "Clifton 9"),  # the line has no spellings
        ("סמבה", "Samba OG"),
        ("אולטרה בוסט", "Ultraboost 5"),
        ("קלאוד מונסטר", "Cloudmonster 2"),
    ],
)
def test_find_hebrew_spelling_of_a_model_lists_it_first(catalog, query, expected):
    assert names(query)[0] == expected


def test_find_latin_spelling_of_a_hebrew_name(catalog):
    brand = search_catalog.BrandFactory(name="גלי", slug="gali")
    search_catalog.ProductFactory(brand=brand, name="נעלי בית רכות", slug="gali-home")
    assert names("gali") == ["נעלי בית רכות"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nikee", "Vomero 18"),  # the brand's newest
        ("addidas", "Ultraboost 5"),
        ("pegasos", "Pegasus 41"),
        ("clifon", "Clifton 9"),
        ("kayano31", "Gel-Kayano 31"),
        ("ultra boost", "Ultraboost 5"),
        ("cloud monster", "Cloudmonster 2"),
        ("newbalance", "9060"),
        ("vomero18", "Vomero 18"),
    ],
)
def test_find_typos_and_joined_or_split_words(catalog, query, expected):
    found = names(query)
    assert (found[0] if found else None) == expected


def test_find_colour_misspelt_or_inflected(catalog):
    assert set(names("pegasus blakc")) == {"Pegasus 41", "Pegasus Trail 5"}
    assert set(names("סמבה לבנות")) == {"Samba OG"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pegasus 42", ["Pegasus 41"]),  # 42 is a size: the Pegasus with a pair of 42
        ("פגסוס 43", ["Pegasus Trail 5"]),
        ("pegasus 44", []),  # made in 44, none for sale
        ("סמבה 40.5", ["Samba OG"]),
        ("EU 42", ["Pegasus 41"]),
        ("מידה 40.5", ["Samba OG"]),
        ("pegasus 41", ["Pegasus 41", "Pegasus Trail 5"]),  # 41 is the model's number
        ("וומרו 18", ["Vomero 18"]),  # so is 18, though children wear an 18
        ("קאיאנו 31", ["Gel-Kayano 31"]),  # the line's spelling, then its model's number
    ],
)
def test_find_size_in_the_query_filters_to_that_size_in_stock(catalog, query, expected):
    assert names(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "ריצה",
            {"Pegasus 41", "Vomero 18", "Ultraboost 5", "Ride 17", "Clifton 9", "Cloudmonster 2"}
            | KAYANO,
        ),
        (
            "נעלי ריצה",
            {"Pegasus 41", "Vomero 18", "Ultraboost 5", "Ride 17", "Clifton 9", "Cloudmonster 2"}
            | KAYANO,
        ),
        (
            "running",
            {"Pegasus 41", "Vomero 18", "Ultraboost 5", "Ride 17", "Clifton 9", "Cloudmonster 2"}
            | KAYANO,
        ),
        (
            "running shoes",
            {"Pegasus 41", "Vomero 18", "Ultraboost 5", "Ride 17", "Clifton 9", "Cloudmonster 2"}
            | KAYANO,
        ),
        ("ילדים", {"Revolution 7 (GS)", "Clifton 9 Youth"}),
        ("kids", {"Revolution 7 (GS)", "Clifton 9 Youth"}),
        ("נעלי ריצה לנשים", {"Vomero 18", "Ultraboost 5", "Ride 17"}),
        ("women running", {"Vomero 18", "Ultraboost 5", "Ride 17"}),
        ("נייקי ילדים", {"Revolution 7 (GS)"}),
    ],
)
def test_find_category_and_audience_words_in_both_languages(catalog, query, expected):
    assert set(names(query)) == expected


def test_find_brand_and_model_ranks_the_model_then_its_line_then_the_brand(catalog):
    assert names("נייקי פגסוס") == [
        "Pegasus 41",
        "Pegasus Trail 5",
        "Vomero 18",
        "Revolution 7 (GS)",
    ]
    assert names("samba adidas") == ["Samba OG", "Ultraboost 5"]


def test_find_model_alone_lists_the_model_and_its_line_only(catalog):
    assert names("pegasus trail") == ["Pegasus Trail 5", "Pegasus 41"]
    assert names("clifton 9 youth") == ["Clifton 9 Youth", "Clifton 9"]


def test_find_exact_style_code_and_part_of_one(catalog):
    assert names("B75806") == ["Samba OG"]
    assert names("7580") == ["Samba OG"]


def test_closest_names_offers_what_was_probably_meant(catalog):
    assert names("vomero kids") == []  # the Vomero is a women's shoe
    assert "Vomero 18" in closest_names("vomero kids")
    assert closest_names("zzzzqqq") == []


def test_suggestions_for_a_brand_and_the_start_of_a_model(catalog):
    found = [p.name for p in suggestions("נייקי פג")]
    assert found == ["Pegasus 41", "Pegasus Trail 5"]
    assert [p.name for p in suggestions("קליפ")] == ["Clifton 9", "Clifton 9 Youth"]


def test_read_tells_size_and_model_number_apart(catalog):
    assert read("pegasus 42").size is not None
    assert read("pegasus 41").size is None
    assert read("9060").size is None


def test_stock_finder_uses_the_same_search(catalog):
    result = stock_finder(query="נייקי פגסוס 42", origin=None)
    assert [item.product.name for item in result.products] == ["Pegasus 41"]
    assert result.products[0].total_available == 2

    typed = stock_finder(query="clifon", origin=None)
    assert [item.product.name for item in typed.products] == ["Clifton 9", "Clifton 9 Youth"]


def test_find_brand_and_colour_lists_that_brand_in_that_colour_only(catalog):
    assert set(names("נייקי שחור")) == {"Pegasus 41", "Pegasus Trail 5", "Revolution 7 (GS)"}
    assert names("samba white") == ["Samba OG"]


@pytest.mark.parametrize("query", ["הליכה", "forum", "xyzzy"])
def test_find_a_word_close_to_no_name_finds_nothing(catalog, query):
    # "הליכה" (walking) is one sound from "הוקה"; "forum" two from "Sail": not typos of them.
    assert names(query) == []
