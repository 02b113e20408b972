from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from catalog.admin import ProductAdmin
from catalog.models import Product

from .models import ReviewLink, ReviewSource


@admin.register(ReviewSource)
class ReviewSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "language", "is_active", "link_count"]
    list_filter = ["kind", "language", "country", "is_active"]
    search_fields = ["name", "site"]

    @admin.display(description=_("links"))
    def link_count(self, obj: ReviewSource) -> int:
        return obj.links.count()


class ReviewLinkInline(admin.TabularInline):
    model = ReviewLink
    extra = 0
    fields = ["source", "kind", "language", "title", "url", "published_on", "score",
              "score_scale", "is_featured", "position"]
    autocomplete_fields = ["source"]


# Review links are edited where editors already work: on the product.
admin.site.unregister(Product)


@admin.register(Product)
class ProductWithReviewsAdmin(ProductAdmin):
    inlines = [*ProductAdmin.inlines, ReviewLinkInline]
