"""Money as the site writes it: `Shekels` writes every amount as `floatformat:"-2g"` does."""

from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.templatetags.money import Shekels, shekels

AMOUNTS = st.one_of(
    st.decimals(min_value=-(10**16), max_value=10**16, places=2, allow_nan=False),
    st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False),
    st.integers(min_value=-(10**16), max_value=10**16),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
)


@pytest.mark.parametrize("language", ["he", "en"])
@given(amount=AMOUNTS)
def test_shekels_writes_the_number_as_floatformat_does(language, amount):
    with translation.override(language):
        assert Shekels().number(amount) == floatformat(amount, "-2g")


@pytest.mark.parametrize(
    ("language", "amount", "written"),
    [
        ("he", Decimal("1234.5"), "1,234.50 ₪"),
        ("he", Decimal("599.00"), "599 ₪"),
        ("en", Decimal("1234567.891"), "₪1,234,567.89"),
        ("en", Decimal("-0.001"), "₪0.00"),
        ("en", None, ""),
    ],
)
def test_shekels_in_each_language(language, amount, written):
    with translation.override(language):
        assert shekels(amount) == written
        assert Shekels()(amount) == written
