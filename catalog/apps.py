from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from core.versions import CATALOG, bump_on_save

        from .models import Brand, Category, Product, ProductImage, ProductLine, Variant
        from .search import refresh_search_text

        # Any catalogue edit shows on the next page served (see core.versions).
        bump_on_save(
            Brand,
            Category,
            Product,
            ProductImage,
            ProductLine,
            Variant,
            names=lambda instance: [CATALOG],
        )

        # A brand's or a model line's names and spellings are part of its products' search text.
        def renamed(sender: type, instance: Brand | ProductLine, **kwargs: object) -> None:
            if not kwargs.get("raw") and not kwargs.get("created"):
                refresh_search_text(instance.products.all())

        for sender in (Brand, ProductLine):
            post_save.connect(
                renamed, sender=sender, weak=False, dispatch_uid=f"search:{sender.__name__}"
            )
