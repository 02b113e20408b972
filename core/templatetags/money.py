"""Money as the site writes it: `{% load money %}{{ amount|shekels }}`."""

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat
from django.utils import translation

register = template.Library()


@register.filter
def shekels(amount: Decimal | int | float | None) -> str:
    """599.9 → "599.90 ₪" in Hebrew, "₪599.90" in English; whole prices without agorot."""
    if amount is None or amount == "":
        return ""
    number = floatformat(amount, "-2g")
    if translation.get_language() == "en":
        return f"₪{number}"
    return f"{number} ₪"
