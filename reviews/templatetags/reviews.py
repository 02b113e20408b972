from typing import Any

from django import template

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
