from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from catalog.admin import ProductAdmin
from catalog.models import Product

from .models import Rating, ReviewLink, ReviewSource, SiteFeedback
from .permissions import dashboard_scope
from .services import RatingError, rating_flag_handle


@admin.register(ReviewSource)
class ReviewSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "language", "is_active", "link_count"]
    list_filter = ["kind", "language", "country", "is_active"]
    search_fields = ["name", "site"]

    @admin.display(description=_("links"))
    def link_count(self, obj: ReviewSource) -> int:
        return obj.links.count()


class ReviewLinkInline(admin.StackedInline):
    model = ReviewLink
    extra = 0
    # Grouped rows keep the inline narrow enough for a laptop, in Hebrew and English.
    fields = [
        ("source", "kind", "language"),
        "title",
        "url",
        ("published_on", "score", "score_scale"),
        ("is_featured", "position"),
    ]
    autocomplete_fields = ["source"]


# Review links are edited where editors already work: on the product.
admin.site.unregister(Product)


@admin.register(Product)
class ProductWithReviewsAdmin(ProductAdmin):
    inlines = [*ProductAdmin.inlines, ReviewLinkInline]


class OpenFlagFilter(admin.SimpleListFilter):
    title = _("call-back")
    parameter_name = "callback"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("open", _("To call back")), ("handled", _("Handled"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Rating]) -> QuerySet[Rating]:
        if self.value() == "open":
            return queryset.filter(needs_callback=True, handled_at__isnull=True)
        if self.value() == "handled":
            return queryset.filter(handled_at__isnull=False)
        return queryset


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    """Ratings are the customers' words: staff read them and record call-backs, nothing more."""

    list_display = [
        "created_at",
        "store",
        "interaction",
        "score",
        "short_comment",
        "needs_callback",
        "handled_at",
    ]
    list_filter = [OpenFlagFilter, "score", "interaction", "store"]
    search_fields = ["comment", "handled_note"]
    date_hierarchy = "created_at"
    list_select_related = ["store"]
    readonly_fields = [
        "hold",
        "store",
        "interaction",
        "score",
        "comment",
        "language",
        "created_at",
        "needs_callback",
        "handled_at",
        "handled_by",
    ]
    fields = [*readonly_fields, "handled_note"]

    @admin.display(description=_("comment"))
    def short_comment(self, obj: Rating) -> str:
        return obj.comment[:80]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Rating | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Rating]:
        stores, _all = dashboard_scope(request.user)
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(store__in=stores)

    def save_model(self, request: HttpRequest, obj: Rating, form: Any, change: bool) -> None:
        note = form.cleaned_data.get("handled_note", "")
        if "handled_note" not in form.changed_data or not note.strip():
            return
        try:
            rating_flag_handle(rating=obj, user=request.user, note=note)
        except RatingError as error:
            self.message_user(request, error.message, level=messages.ERROR)


@admin.register(SiteFeedback)
class SiteFeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "found", "product", "language", "comment"]
    list_filter = ["found", "language"]
    search_fields = ["comment", "product__name", "product__style_code"]
    date_hierarchy = "created_at"
    list_select_related = ["product"]
    readonly_fields = ["product", "found", "comment", "language", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SiteFeedback | None = None) -> bool:
        return False
