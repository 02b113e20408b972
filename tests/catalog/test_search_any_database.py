"""The catalogue search on any database (SQLite in development): the spellings editors enter
and the categories' names in both languages are found exactly; an edit to a brand's or a model
line's spellings reaches its products' search text."""

import pytest

from catalog.models import Product
from catalog.search import find
from storefront.selectors import ProductFilters, product_list
from tests.catalog import search_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    return search_catalog.build()


def names(query: str) -> set[str]:
    return {p.name for p in product_list(filters=ProductFilters(q=query)).products}


def test_find_brand_by_an_entered_hebrew_spelling(catalog):
    assert names("נייקי") == {"Pegasus 41", "Pegasus Trail 5", "Vomero 18", "Revolution 7 (GS)"}
    assert names("נייק") == names("נייקי")


def test_find_model_line_by_an_entered_hebrew_spelling_with_points_and_finals(catalog):
    assert names("פגסוס") == {"Pegasus 41", "Pegasus Trail 5"}
    assert names("פֶּגָסוּס") == {"Pegasus 41", "Pegasus Trail 5"}  # with niqqud


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "ריצה",
            {
                "Pegasus 41",
                "Vomero 18",
                "Ultraboost 5",
                "Ride 17",
                "Clifton 9",
                "Cloudmonster 2",
                "Gel-Kayano 31",
            },
        ),
        (
            "Running",
            {
                "Pegasus 41",
                "Vomero 18",
                "Ultraboost 5",
                "Ride 17",
                "Clifton 9",
                "Cloudmonster 2",
                "Gel-Kayano 31",
            },
        ),
        ("ריצת שטח", {"Pegasus Trail 5"}),
        ("ילדים", {"Revolution 7 (GS)", "Clifton 9 Youth"}),
        ("לייפסטייל", {"Samba OG", "9060"}),
    ],
)
def test_find_category_by_its_name_in_either_language(catalog, query, expected):
    assert names(query) == expected


def test_spellings_edited_on_a_line_reach_its_products(catalog, django_capture_on_commit_callbacks):
    line = catalog["pegasus"].line
    with django_capture_on_commit_callbacks(execute=True):
        line.spellings = "פגסוס, פגי"
        line.save()
    assert "פגי" in Product.objects.get(pk=catalog["pegasus"].pk).search_text
    assert names("פגי") == {"Pegasus 41", "Pegasus Trail 5"}


def test_find_brand_renamed_is_found_by_its_new_name(catalog, django_capture_on_commit_callbacks):
    nike = catalog["nike"]
    with django_capture_on_commit_callbacks(execute=True):
        nike.spellings = "נייקי, נאייקי"
        nike.save()
    assert {p.name for p in find(Product.objects.all(), "נאייקי").products} >= {"Vomero 18"}


def test_words_that_each_name_something_are_not_read_as_one_close_name(catalog):
    """ "women running" is an audience and a category, not a near miss of the brand "On Running"
    the two words make when joined; a name the words truly spell together is still one name."""
    catalog["on"].spellings = "On Running, און"
    catalog["on"].save()

    assert names("women running") == names("running women")
    assert {"Vomero 18", "Ultraboost 5", "Ride 17"} <= names("women running")
    assert names("on running") == {"Cloudmonster 2"}
