"""The restock signal: `available` rose at a store, announced once per size after commit.

`inventory` never imports `notifications`; it announces, and whoever cares listens:

    stock_became_available.connect(receiver)  # receiver(sender, store_id, variant_id, available)

Within one transaction every rise is collected and each (store, variant) is announced once,
after commit, with the quantity available then. A rolled-back transaction (or a rolled-back
savepoint that held the only rise of a size) announces nothing. Outside any transaction
(autocommit) the change is already committed, so the announcement is sent at once.
"""

import logging
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.dispatch import Signal

from . import policy
from .locking import levels_matching
from .models import StockLevel

logger = logging.getLogger(__name__)

stock_became_available = Signal()

LevelKey = tuple[int, int]  # (store_id, variant_id)


class _Batch:
    """The sizes one transaction announced, read back in one query once it has committed."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.keys: set[LevelKey] = set()
        self._available: dict[LevelKey, int] | None = None

    def available(self, key: LevelKey) -> int:
        if self._available is None:
            # Sizes whose only rise was rolled back with a savepoint are read too (harmless:
            # their callbacks are gone, so nothing is sent for them).
            rows = (
                StockLevel.objects.using(self.using)
                .filter(levels_matching(self.keys))
                .values_list("store_id", "variant_id", "on_hand", "reserved")
            )
            self._available = {
                (s, v): policy.available(on_hand=on_hand, reserved=reserved)
                for s, v, on_hand, reserved in rows
            }
        return self._available.get(key, 0)


@dataclass(frozen=True)
class _Announcement:
    """The after-commit callback for one (store, variant)."""

    store_id: int
    variant_id: int
    batch: _Batch = field(compare=False)

    def __call__(self) -> None:
        # The stock change is committed by now: a failure here must not turn a recorded sale or
        # receipt into an error for whoever made it, so it is logged instead of raised.
        try:
            self._send()
        except Exception:
            logger.exception(
                "Restock announcement failed for store %s, variant %s",
                self.store_id,
                self.variant_id,
            )

    def _send(self) -> None:
        available = self.batch.available((self.store_id, self.variant_id))
        if available <= 0:
            # Sold again (or reserved) later in the same transaction: nothing to offer.
            return
        send_robust(
            stock_became_available,
            sender=StockLevel,
            store_id=self.store_id,
            variant_id=self.variant_id,
            available=available,
        )


@dataclass
class _Pending:
    """What this connection's transaction has announced so far (see `announce_available`)."""

    hooks: list[Any]  # the connection's list of commit hooks this was built from
    batch: _Batch
    keys: set[LevelKey]


_PENDING = "_inventory_restock_pending"


def announce_available(store_id: int, variant_id: int, using: str = DEFAULT_DB_ALIAS) -> None:
    """Record that available rose for (store, variant); announced once after commit.

    Each size gets its own on-commit callback, registered once per transaction. Django drops a
    callback whose savepoint rolls back, and one registered at an enclosing level survives
    whenever the current change does, so a size is announced iff at least one of its recorded
    rises commits — and only once. The callbacks of one transaction share a batch: the first
    to run reads every size's available quantity in one query, right after the commit.
    Outside a transaction the change is already committed: it is announced at once.
    """
    key = (store_id, variant_id)
    connection = connections[using]
    if not connection.in_atomic_block:
        batch = _Batch(using)
        batch.keys.add(key)
        transaction.on_commit(_Announcement(store_id, variant_id, batch), using=using)
        return
    hooks = connection.run_on_commit
    pending: _Pending | None = getattr(connection, _PENDING, None)
    if pending is None or pending.hooks is not hooks:
        # Django rebuilds the list when a transaction ends or a savepoint rolls back (dropping
        # that savepoint's callbacks); only then is it scanned for what is still pending.
        # Entries are (savepoint ids, callback, robust).
        callbacks = [entry[1] for entry in hooks if isinstance(entry[1], _Announcement)]
        pending = _Pending(
            hooks=hooks,
            batch=callbacks[0].batch if callbacks else _Batch(using),
            keys={(a.store_id, a.variant_id) for a in callbacks},
        )
        setattr(connection, _PENDING, pending)
    if key in pending.keys:
        return
    pending.keys.add(key)
    pending.batch.keys.add(key)
    transaction.on_commit(_Announcement(store_id, variant_id, pending.batch), using=using)


# Sent inside the transaction (not after commit) when a pair is held for a named customer by
# inventory itself (a transfer that arrived for them), so a listener can write its outbox row
# in the same transaction. Arguments: hold (inventory.models.Hold), transfer (or None).
# Sent plainly, on purpose: the customer's text is part of the write, so a listener that fails
# rolls the receipt back rather than leave a held pair nobody will be told about.
customer_hold_placed = Signal()

# Sent inside the transaction (plainly, like `customer_hold_placed`) when staff decline a
# customer's own transfer request, so a listener writes the customer's text in the same commit.
# Arguments: transfer (inventory.models.Transfer, declined, with `decline_reason`).
customer_transfer_declined = Signal()

# Sent inside the transaction (plainly) when staff type a customer's number for her — a transfer
# for a customer — with what they were shown to tell her, so the messaging layer records her
# consent in the same commit. Arguments: phone (E.164), page (its address), wording (the words
# shown to staff, in their language), language (that language), user (the staff member).
customer_number_given = Signal()

# Sent after commit when a hold ends: outcome is "collected", "released" or "expired"
# (Hold.Status values). Arguments: hold (inventory.models.Hold, as it ended), outcome (str).
# A rolled-back ending sends nothing. Sent with `send_on_commit`.
hold_ended = Signal()

# Sent after commit when a requested transfer is cancelled (its pairs back on sale at the
# source). Arguments: transfer (inventory.models.Transfer). Sent with `send_on_commit`.
transfer_cancelled = Signal()


# --- Sending after commit: one way for every such signal of this app --------------------------
# A listener belongs to another app; once the write has committed, whatever it raises must not
# turn a recorded sale, receipt or hold into an error for whoever made it, nor stop the other
# listeners or the transaction's other after-commit callbacks. So each is sent robustly, and a
# failure logged.


def send_robust(signal: Signal, *, sender: Any, **kwargs: Any) -> None:
    """Send `signal` to every listener, whatever one of them raises: each failure is logged
    with what was sent, never raised."""
    for receiver, response in signal.send_robust(sender=sender, **kwargs):
        if isinstance(response, Exception):
            logger.error(
                "Listener %r failed for %s (%s)",
                receiver,
                sender.__name__,
                ", ".join(f"{key}={value!r}" for key, value in kwargs.items()),
                exc_info=response,
            )


def send_on_commit(
    signal: Signal, *, sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any
) -> None:
    """`send_robust` once the current transaction commits (at once outside one); a rolled-back
    transaction sends nothing."""
    transaction.on_commit(
        partial(send_robust, signal, sender=sender, **kwargs), using=using, robust=True
    )
