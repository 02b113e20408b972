"""What the reviews app does when inventory announces something. Connected in ready()."""

from typing import Any

from inventory.models import Hold
from notifications.models import Conversation

from . import services
from .conversation_ratings import conversation_rating_invite


def on_hold_ended(sender: Any, hold: Hold, outcome: str, **kwargs: Any) -> None:
    """After commit of a collected or lapsed hold: invite the customer to rate the visit."""
    services.rating_invite(hold=hold)


def on_conversation_closed(sender: Any, conversation: Conversation, **kwargs: Any) -> None:
    """After commit of a closed conversation: invite the customer to rate the answers."""
    conversation_rating_invite(conversation=conversation)
