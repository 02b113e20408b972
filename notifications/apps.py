from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Alerts and SMS")

    def ready(self) -> None:
        from inventory import events

        from . import receivers

        events.stock_became_available.connect(
            receivers.on_stock_became_available, dispatch_uid="notifications.allocate"
        )
        events.customer_hold_placed.connect(
            receivers.on_customer_hold_placed, dispatch_uid="notifications.transfer_text"
        )
        events.customer_transfer_declined.connect(
            receivers.on_customer_transfer_declined, dispatch_uid="notifications.declined_text"
        )
        events.hold_ended.connect(receivers.on_hold_ended, dispatch_uid="notifications.hold_ended")
        events.transfer_cancelled.connect(
            receivers.on_transfer_cancelled, dispatch_uid="notifications.transfer_cancelled"
        )
