from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .models import Brand, Category, Product, ProductImage, ProductLine, Variant

# The default brand name, so the catalog carries its Hebrew form ("סול ישראל").
gettext_noop("Sole Israel")

admin.site.site_header = format_lazy(_("Stock management – {name}"), name=_(settings.SITE_NAME))
admin.site.site_title = format_lazy(_("Stock management – {name}"), name=_(settings.SITE_NAME))
admin.site.index_title = _("Stores, catalog and stock")


def image_preview(image: ProductImage | None, height: int = 60) -> str:
    if image is None or not image.image:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" style="max-block-size:{}px;max-inline-size:{}px;'
        'border-radius:4px;background:#f4f4f4">',
        image.image.url,
        image.alt,
        height,
        height * 4 // 3,
    )


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ["name", "spellings", "slug", "website", "product_count"]
    search_fields = ["name", "slug", "spellings"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "website", "spellings"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Brand]:
        return super().get_queryset(request).annotate(product_count=Count("products"))

    @admin.display(description=_("products"), ordering="product_count")
    def product_count(self, obj: Any) -> int:
        return int(obj.product_count)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_he", "name_en", "slug", "spellings", "position", "product_count"]
    list_editable = ["position"]
    search_fields = ["name_he", "name_en", "slug", "spellings"]
    prepopulated_fields = {"slug": ["name_en"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Category]:
        return super().get_queryset(request).annotate(product_count=Count("products"))

    @admin.display(description=_("products"), ordering="product_count")
    def product_count(self, obj: Any) -> int:
        return int(obj.product_count)


@admin.register(ProductLine)
class ProductLineAdmin(admin.ModelAdmin):
    """A brand's model families and how customers spell them (what the search finds them by)."""

    list_display = ["name", "brand", "spellings", "product_count"]
    list_filter = ["brand"]
    list_select_related = ["brand"]
    search_fields = ["name", "spellings", "brand__name"]
    autocomplete_fields = ["brand"]
    fields = ["brand", "name", "spellings"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProductLine]:
        return super().get_queryset(request).annotate(product_count=Count("products"))

    @admin.display(description=_("products"), ordering="product_count")
    def product_count(self, obj: Any) -> int:
        return int(obj.product_count)


class VariantInline(admin.TabularInline):
    model = Variant
    fields = ["eu_size", "us_label", "uk_label", "sku", "barcode"]
    extra = 0
    show_change_link = True
    # Short codes: narrow boxes keep a dozen sizes readable on one screen.
    formfield_overrides = {
        models.CharField: {"widget": forms.TextInput(attrs={"style": "inline-size: 11em"})},
    }


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    fields = ["preview", "image", "alt_he", "alt_en", "position"]
    readonly_fields = ["preview"]
    extra = 0

    @admin.display(description=_("preview"))
    def preview(self, obj: ProductImage) -> str:
        return image_preview(obj if obj.pk else None, height=90)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = [
        "thumbnail",
        "name",
        "brand",
        "style_code",
        "colourway_display",
        "category",
        "gender",
        "price_display",
        "size_count",
        "is_active",
    ]
    list_display_links = ["thumbnail", "name"]
    list_filter = ["brand", "category", "gender", "is_active"]
    list_select_related = ["brand", "category", "line"]
    search_fields = ["name", "style_code", "brand__name", "variants__sku", "variants__barcode"]
    prepopulated_fields = {"slug": ["name", "style_code"]}
    autocomplete_fields = ["brand", "line", "category"]
    date_hierarchy = "release_date"
    readonly_fields = ["created_at"]
    inlines = [VariantInline, ProductImageInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "brand",
                    "line",
                    "name",
                    "style_code",
                    "slug",
                    "category",
                    "gender",
                    "price",
                    "release_date",
                    "is_active",
                ]
            },
        ),
        (_("Colourway"), {"fields": ["colourway_he", "colourway_en"]}),
        (_("Texts"), {"fields": ["description_he", "description_en", "specs_he", "specs_en"]}),
        (_("Record"), {"fields": ["created_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Product]:
        return (
            super()
            .get_queryset(request)
            .annotate(size_count=Count("variants", distinct=True))
            .prefetch_related("images")
        )

    @admin.display(description=_("image"))
    def thumbnail(self, obj: Product) -> str:
        images = list(obj.images.all())
        return image_preview(images[0] if images else None)

    @admin.display(description=_("colourway"))
    def colourway_display(self, obj: Product) -> str:
        return str(obj.colourway)

    @admin.display(description=_("price"), ordering="price")
    def price_display(self, obj: Product) -> str:
        return f"₪{obj.price:,.2f}"

    @admin.display(description=_("sizes"), ordering="size_count")
    def size_count(self, obj: Any) -> int:
        return int(obj.size_count)


@admin.register(Variant)
class VariantAdmin(admin.ModelAdmin):
    """Sizes on their own: what other admin pages search when they pick a size."""

    list_display = ["sku", "product", "eu_size", "us_label", "uk_label", "barcode"]
    list_filter = ["product__brand", "product__category"]
    list_select_related = ["product__brand"]
    search_fields = [
        "sku",
        "barcode",
        "product__name",
        "product__style_code",
        "product__brand__name",
    ]
    autocomplete_fields = ["product"]
