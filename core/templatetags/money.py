"""Money as the site writes it: `{% load money %}{{ amount|shekels }}`; a page that writes
hundreds of amounts builds one `Shekels` and calls it for each."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.template.defaultfilters import floatformat
from django.utils import numberformat, translation
from django.utils.formats import get_format

register = template.Library()

CENT = Decimal("0.01")
# Past this, and for anything but a Decimal or an int, `floatformat` itself writes the number.
_FAST_UP_TO = Decimal(10) ** 15


class Shekels:
    """599.9 → "599.90 ₪" in Hebrew, "₪599.90" in English; whole prices without agorot — as
    `floatformat:"-2g"` writes the number, with the language's separators looked up once rather
    than for every amount (about half of `floatformat`'s time)."""

    def __init__(self, language: str | None = None) -> None:
        self.language = language or translation.get_language()
        self.decimal = get_format("DECIMAL_SEPARATOR", self.language, use_l10n=True)
        self.grouping = get_format("NUMBER_GROUPING", self.language, use_l10n=True)
        self.thousand = get_format("THOUSAND_SEPARATOR", self.language, use_l10n=True)
        self.english = self.language == "en"

    def number(self, amount: Decimal | int | float) -> str:
        if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
            return str(floatformat(amount, "-2g"))
        value = Decimal(amount)
        if not value.is_finite() or abs(value) >= _FAST_UP_TO:
            return str(floatformat(amount, "-2g"))
        if value == value.to_integral_value():
            digits, places = str(int(value)), 0
        else:
            rounded = value.quantize(CENT, ROUND_HALF_UP)
            digits, places = f"{rounded if rounded else abs(rounded):f}", 2
        return numberformat.format(
            digits,
            self.decimal,
            places,
            self.grouping,
            self.thousand,
            force_grouping=True,
            use_l10n=True,
        )

    def __call__(self, amount: Decimal | int | float | None) -> str:
        if amount is None or amount == "":
            return ""
        number = self.number(amount)
        return f"₪{number}" if self.english else f"{number} ₪"


@register.filter
def shekels(amount: Decimal | int | float | None) -> str:
    """An amount in the page's language (see `Shekels`)."""
    return Shekels()(amount)
