from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Alerts and SMS")

    def ready(self) -> None:
        from core import privacy

        from .privacy import REVEALABLE, MessagingData

        privacy.register("notifications", MessagingData())
        for kind, find in REVEALABLE.items():
            privacy.register_revealable(kind, find)
