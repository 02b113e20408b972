from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandConfig(AppConfig):
    name = "demand"
    verbose_name = _("Customer requests")

    def ready(self) -> None:
        from core.versions import bump_on_save, launches_of
        from inventory import events as stock
        from notifications import events as messaging

        from . import receivers
        from .models import Launch

        bump_on_save(Launch, names=lambda row: [launches_of(row.product_id)])  # type: ignore[attr-defined]

        stock.stock_became_available.connect(
            receivers.on_stock_became_available, dispatch_uid="demand.allocate"
        )
        stock.customer_hold_placed.connect(
            receivers.on_customer_hold_placed, dispatch_uid="demand.transfer_text"
        )
        stock.customer_transfer_declined.connect(
            receivers.on_customer_transfer_declined, dispatch_uid="demand.declined_text"
        )
        stock.hold_ended.connect(receivers.on_hold_ended, dispatch_uid="demand.hold_ended")
        stock.transfer_cancelled.connect(
            receivers.on_transfer_cancelled, dispatch_uid="demand.transfer_cancelled"
        )
        messaging.number_opted_out.connect(
            receivers.on_number_opted_out, dispatch_uid="demand.opted_out"
        )
        messaging.conversation_subject_wanted.connect(
            receivers.on_conversation_subject_wanted, dispatch_uid="demand.conversation_subject"
        )
        messaging.message_failed.connect(
            receivers.on_message_failed, dispatch_uid="demand.message_failed"
        )

        from core import privacy

        from .privacy import RequestsData, entry_number, launch_entry_number

        privacy.register("demand", RequestsData())
        privacy.register_revealable("entry", entry_number)
        privacy.register_revealable("launchentry", launch_entry_number)
