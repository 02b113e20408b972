"""One rule for finding a size by its SKU or barcode, used by tills, counts, staff and the API:
case and surrounding spaces are ignored."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.selectors import variant_by_code, variants_by_codes
from tests.factories import VariantFactory

pytestmark = pytest.mark.django_db


def test_variant_by_code_finds_a_sku_whatever_its_case_or_a_barcode():
    wanted = VariantFactory(sku="FD2722-002-42")
    VariantFactory()
    for code in ("FD2722-002-42", " fd2722-002-42 ", "Fd2722-002-42", wanted.barcode):
        assert variant_by_code(code) == wanted
    assert variant_by_code("FD2722-002") is None
    assert variant_by_code("  ") is None


def test_variants_by_codes_looks_many_up_in_one_query():
    one, two = VariantFactory(sku="AB-1"), VariantFactory(sku="AB-2")
    with CaptureQueriesContext(connection) as queries:
        found = variants_by_codes(["ab-1", two.barcode, "nope", ""])
    assert len(queries.captured_queries) == 1
    assert (found.by_sku("AB-1"), found.by_sku(" ab-1"), found.by_barcode(two.barcode)) == (
        one,
        one,
        two,
    )
    assert (found.by_code("ab-1"), found.by_code(two.barcode), found.by_code("nope")) == (
        one,
        two,
        None,
    )
    assert found.by_barcode("ab-1") is None  # a SKU is not a barcode
