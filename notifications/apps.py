from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Alerts and SMS")

    def ready(self) -> None:
        from core import privacy
        from inventory.events import customer_number_given

        from .privacy import REVEALABLE, MessagingData
        from .services.consent import on_customer_number_given

        privacy.register("notifications", MessagingData())
        for kind, find in REVEALABLE.items():
            privacy.register_revealable(kind, find)
        customer_number_given.connect(
            on_customer_number_given, dispatch_uid="notifications.staff_consent"
        )
