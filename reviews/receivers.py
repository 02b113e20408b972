"""What the reviews app does when inventory announces something. Connected in ready()."""

from typing import Any

from inventory.models import Hold

from . import services


def on_hold_ended(sender: Any, hold: Hold, outcome: str, **kwargs: Any) -> None:
    """After commit of a collected or lapsed hold: invite the customer to rate the visit."""
    services.rating_invite(hold=hold)
