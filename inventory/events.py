"""The restock signal: `available` rose at a store, announced once per size after commit.

`inventory` never imports `notifications`; it announces, and whoever cares listens:

    stock_became_available.connect(receiver)  # receiver(sender, store_id, variant_id, available)

Within one transaction every rise is collected and each (store, variant) is announced once,
after commit, with the quantity available then. A rolled-back transaction (or a rolled-back
savepoint that held the only rise of a size) announces nothing. Outside any transaction
(autocommit) the change is already committed, so the announcement is sent at once.
"""

import logging
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

stock_became_available = Signal()


@dataclass(frozen=True)
class _Announcement:
    """The after-commit callback for one (store, variant); equal ones are the same rise."""

    store_id: int
    variant_id: int
    using: str

    def __call__(self) -> None:
        # The stock change is committed by now: a failure here must not turn a recorded sale or
        # receipt into an error for whoever made it, so it is logged instead of raised.
        try:
            self._send()
        except Exception:
            logger.exception("Restock announcement failed for store %s, variant %s",
                             self.store_id, self.variant_id)

    def _send(self) -> None:
        from .models import StockLevel

        level = (
            StockLevel.objects.using(self.using)
            .filter(store_id=self.store_id, variant_id=self.variant_id)
            .only("on_hand", "reserved")
            .first()
        )
        if level is None or level.available <= 0:
            # Sold again (or reserved) later in the same transaction: nothing to offer.
            return
        responses = stock_became_available.send_robust(
            sender=StockLevel, store_id=self.store_id, variant_id=self.variant_id,
            available=level.available,
        )
        for receiver, response in responses:
            if isinstance(response, Exception):
                logger.error(
                    "Restock listener %r failed for store %s, variant %s", receiver,
                    self.store_id, self.variant_id, exc_info=response,
                )


def announce_available(store_id: int, variant_id: int, using: str = DEFAULT_DB_ALIAS) -> None:
    """Record that available rose for (store, variant); announced once after commit.

    Each call registers its own on-commit callback unless an equal one is already pending in
    this transaction. Django drops a callback whose savepoint rolls back, and a pending
    callback registered at an enclosing level survives whenever the current change does, so
    a size is announced iff at least one of its recorded rises commits — and only once.
    """
    announcement = _Announcement(store_id, variant_id, using)
    connection = connections[using]
    # Entries are (savepoint ids, callback, robust).
    if connection.in_atomic_block and any(
        entry[1] == announcement for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(announcement, using=using)


# Sent inside the transaction (not after commit) when a pair is held for a named customer by
# inventory itself (a transfer that arrived for them), so a listener can write its outbox row
# in the same transaction. Arguments: hold (inventory.models.Hold), transfer (or None).
customer_hold_placed = Signal()

# Sent after commit when a hold ends: outcome is "collected", "released" or "expired"
# (Hold.Status values). Arguments: hold (inventory.models.Hold, as it ended), outcome (str).
# A rolled-back ending sends nothing.
hold_ended = Signal()
