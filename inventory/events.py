"""The restock signal: `available` rose at a store, announced once per size after commit.

`inventory` never imports `notifications`; it announces, and whoever cares listens:

    stock_became_available.connect(receiver)  # receiver(sender, store_id, variant_id, available)

Within one transaction every rise is collected and each (store, variant) is announced once,
after commit, with the quantity available then. A rolled-back transaction announces nothing.
"""

import threading
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.dispatch import Signal

stock_became_available = Signal()


@dataclass
class _Batch:
    keys: set[tuple[int, int]] = field(default_factory=set)

    def flush(self) -> None:
        from .models import StockLevel

        keys, self.keys = sorted(self.keys), set()
        for store_id, variant_id in keys:
            level = StockLevel.objects.filter(store_id=store_id, variant_id=variant_id).first()
            if level is None or level.available <= 0:
                continue
            stock_became_available.send(
                sender=StockLevel, store_id=store_id, variant_id=variant_id,
                available=level.available,
            )


_local = threading.local()


def _registered(batch: _Batch, using: str) -> bool:
    """Whether the batch's flush is still waiting for this transaction's commit."""
    return any(func == batch.flush for _, func, _ in connections[using].run_on_commit)


def announce_available(store_id: int, variant_id: int, using: str = DEFAULT_DB_ALIAS) -> None:
    """Record that available rose for (store, variant); announced once after commit."""
    batch: _Batch | None = getattr(_local, "batch", None)
    if batch is None or not _registered(batch, using):
        # A new transaction (the last one committed, or rolled back and was discarded).
        batch = _local.batch = _Batch()
        transaction.on_commit(batch.flush, using=using)
    batch.keys.add((store_id, variant_id))


# Sent inside the transaction (not after commit) when a pair is held for a named customer by
# inventory itself (a transfer that arrived for them), so a listener can write its outbox row
# in the same transaction. Arguments: hold (inventory.models.Hold), transfer (or None).
customer_hold_placed = Signal()
