"""Helpers for the pick-up planning tests: opening hours, and a pair held the real way."""

from datetime import time

from demand.models import WaitlistEntry
from inventory import services as inventory
from inventory.models import Hold, StoreHours
from notifications.models import Message
from tests.factories import WaitlistEntryFactory


def open_every_day(store, opens: str = "00:00", closes: str = "23:59") -> None:
    for weekday in range(7):
        StoreHours.objects.update_or_create(
            store=store,
            weekday=weekday,
            defaults={"opens": time.fromisoformat(opens), "closes": time.fromisoformat(closes)},
        )


def held_pair(store, variant, **entry) -> tuple[WaitlistEntry, Hold, Message]:
    """A customer waiting, a pair arriving: the allocation holds it and texts them (needs
    transactional tests, so the text goes after commit)."""
    WaitlistEntryFactory(store=store, variant=variant, **entry)
    inventory.stock_receive(store=store, variant=variant, quantity=1)
    waiting = WaitlistEntry.objects.filter(store=store, variant=variant).latest("pk")
    assert waiting.hold_id is not None
    hold = Hold.objects.get(pk=waiting.hold_id)
    message = Message.objects.get(hold=hold, purpose=Message.Purpose.HOLD_READY)
    return waiting, hold, message
