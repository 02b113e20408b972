from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "demo"
    # No models, so never shown in the admin.
    verbose_name = "Demo data"
