from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from core.versions import CATALOG, bump_on_save

        from .models import Brand, Category, Product, ProductImage, Variant

        # Any catalogue edit shows on the next page served (see core.versions).
        bump_on_save(
            Brand, Category, Product, ProductImage, Variant, names=lambda instance: [CATALOG]
        )
