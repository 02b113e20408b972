"""What customers' requests do when inventory or the messaging layer announces something.
Connected in AppConfig.ready()."""

from typing import Any

from inventory.models import Hold
from notifications.models import Message
from notifications.routing import Subject

from . import selectors, services


def on_stock_became_available(
    sender: Any, store_id: int, variant_id: int, available: int, **kwargs: Any
) -> None:
    """After commit: one allocation task for this size at this store."""
    services.waitlist_queue_allocation(store_id, variant_id)


def on_customer_hold_placed(sender: Any, hold: Hold, transfer: Any = None, **kwargs: Any) -> None:
    """Inside the transaction that held the pair: the customer's text, in the same commit."""
    services.message_for_customer_hold(hold=hold)
    services.waitlist_transfer_arrived(hold=hold, transfer=transfer)


def on_transfer_cancelled(sender: Any, transfer: Any, **kwargs: Any) -> None:
    services.waitlist_transfer_cancelled(transfer=transfer)


def on_hold_ended(sender: Any, hold: Hold, outcome: str, **kwargs: Any) -> None:
    services.waitlist_hold_ended(hold=hold, outcome=outcome)
    services.launch_hold_ended(hold=hold, outcome=outcome)


def on_customer_transfer_declined(sender: Any, transfer: Any, **kwargs: Any) -> None:
    """Inside the transaction that declined the request: the customer's text."""
    services.message_for_declined_transfer(transfer=transfer)


def on_number_opted_out(sender: Any, phone: str, **kwargs: Any) -> None:
    """Inside the opt-out's transaction."""
    services.number_opted_out(phone=phone)


def on_message_failed(sender: Any, message: Message, **kwargs: Any) -> None:
    """Inside the transaction that failed the text for good."""
    services.message_failed(message=message)


def on_conversation_subject_wanted(sender: Any, phone: str, **kwargs: Any) -> Subject | None:
    """A customer wrote and nothing below says which store they deal with: their newest open
    alert does (its size and store label the conversation)."""
    return selectors.waitlist_subject_for(phone=phone)
