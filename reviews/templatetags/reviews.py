from typing import Any

from django import template
from django.utils.translation import gettext, ngettext

from catalog.models import Product
from reviews.selectors import product_reviews as select_product_reviews

register = template.Library()


@register.inclusion_tag("reviews/_product_reviews.html", takes_context=True)
def product_reviews(context: template.Context, product: Product) -> dict[str, Any]:
    """The product page's reviews section: `{% load reviews %}{% product_reviews product %}`."""
    return {
        "reviews": select_product_reviews(product=product),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }


@register.inclusion_tag("reviews/_site_feedback_prompt.html", takes_context=True)
def site_feedback_prompt(
    context: template.Context, product: Product | None = None
) -> dict[str, Any]:
    """The dismissible "did you find what you were looking for?" prompt."""
    return {"product": product, "request": context.get("request")}


@register.filter
def duration(seconds: float | None) -> str:
    """A median duration for people: "3 h 20 min", "2 days 4 h", or "–" when there is none."""
    if seconds is None:
        return "–"
    minutes = int(round(seconds / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days} + (
            " " + gettext("%(n)d h") % {"n": hours} if hours else ""
        )
    if hours:
        return gettext("%(h)d h %(m)d min") % {"h": hours, "m": minutes}
    return gettext("%(n)d min") % {"n": minutes}
