from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "storefront"
    # No models, so never shown in the admin.
    verbose_name = "Storefront"
