"""Reads of the reviews app: a product's external reviews."""

from dataclasses import dataclass, field

from catalog.models import Product
from core.language import current_language

from .models import ReviewLink


@dataclass
class ProductReviews:
    featured: list[ReviewLink] = field(default_factory=list)
    articles: list[ReviewLink] = field(default_factory=list)
    videos: list[ReviewLink] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.featured or self.articles or self.videos)


def product_reviews(*, product: Product) -> ProductReviews:
    """The product's reviews: featured first, then articles and videos, each group putting
    the page's language first and keeping the editors' display order. One query."""
    language = current_language()
    links = list(product.review_links.visible().select_related("source"))
    links.sort(key=lambda link: (link.language != language, link.position, link.id))
    reviews = ProductReviews()
    for link in links:
        if link.is_featured:
            reviews.featured.append(link)
        elif link.kind == ReviewLink.Kind.VIDEO:
            reviews.videos.append(link)
        else:
            reviews.articles.append(link)
    return reviews
