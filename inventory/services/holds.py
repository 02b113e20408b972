"""Holds: one pair set aside at a store for one customer — for a waitlist entry (placed by the
restock allocation), for a transfer that arrived for them (placed by `transfer_receive`), or
because they asked for an in-stock pair to be held ("Hold a pair for me", `hold_for_customer`).

A hold ends as collected, released or expired; `hold_ended` is sent after commit. Lock order,
everywhere: the hold row(s) first (in primary-key order), then the stock levels
(`locks.stock_lock`). Every change of stock goes through `stock_apply`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Variant
from core import metrics
from core.ids import pk_of

from .. import policy
from ..errors import HoldAlreadyActive, HoldExpired, InvalidHold, InvalidTransition
from ..events import hold_ended, send_on_commit
from ..models import Hold, StockMovement, Store
from .locks import holds_expire
from .stock import StockChange, staff_or_none, stock_apply

HOLD_EXPIRY_BATCH = 500


@dataclass(frozen=True)
class HoldRequest:
    """One hold for `hold_place_many`: the transfer it is for, if any (else someone waiting for
    the size: the caller records whom), and the customer it is for."""

    transfer_id: int | None = None
    customer_name: str = ""
    customer_phone: str = ""
    language: str = "he"
    # A hold whose end is known when it is placed (a launch draw's pick-up window); else its
    # clock starts when the customer is told.
    expires_at: datetime | None = None

    def hold(self, *, store_id: int, variant_id: int) -> Hold:
        """The unsaved hold."""
        purpose = Hold.Purpose.WAITLIST if self.transfer_id is None else Hold.Purpose.TRANSFER
        return Hold(
            store_id=store_id,
            variant_id=variant_id,
            purpose=purpose,
            transfer_id=self.transfer_id,
            customer_name=self.customer_name,
            customer_phone=self.customer_phone,
            language=self.language,
            expires_at=self.expires_at,
        )


def _insert(holds: list[Hold]) -> list[Hold]:
    """Insert holds whose pairs are already reserved in this transaction; `HoldAlreadyActive`
    when one's transfer already has an active hold."""
    try:
        with transaction.atomic():  # a savepoint: the enclosing transaction stays usable
            created = Hold.objects.bulk_create(holds)
        for hold in created:
            metrics.after_commit(metrics.HOLDS.labels(event="created", purpose=hold.purpose).inc)
        return created
    except IntegrityError:
        transfers = [h.transfer_id for h in holds if h.transfer_id is not None]
        active = (
            Hold.objects.filter(transfer_id__in=transfers, status=Hold.Status.ACTIVE)
            .order_by("pk")
            .first()
        )
        if active is not None:
            raise HoldAlreadyActive(
                purpose=active.purpose,
                held_for=active.held_for,
                transfer_id=active.transfer_id,
            ) from None
        raise


def hold_insert_reserved(request: HoldRequest, *, store_id: int, variant_id: int) -> Hold:
    """Insert one hold whose pair the caller has already reserved in this transaction (a
    transfer received and reserved in one batch, so available never rises for that pair)."""
    return holds_insert_reserved([request], store_id=store_id, variant_id=variant_id)[0]


def holds_insert_reserved(
    requests: Sequence[HoldRequest], *, store_id: int, variant_id: int
) -> list[Hold]:
    """`hold_insert_reserved` for many requests at one size and store, in one insert (a launch
    draw's winners, whose pairs the launch reserved when it was created)."""
    return _insert([r.hold(store_id=store_id, variant_id=variant_id) for r in requests])


def hold_place(
    *,
    store: Any,
    variant: Any,
    transfer: Any = None,
    customer_name: str = "",
    customer_phone: str = "",
    language: str = "he",
) -> Hold:
    """Set one pair aside at `store` for someone waiting for it, or for a transfer.

    The hold's clock does not run until `hold_start_clock` (when the customer is told).
    Raises `InsufficientStock` when no pair is available, `HoldAlreadyActive` when the
    transfer already has an active hold (nothing is reserved then).
    """
    request = HoldRequest(
        transfer_id=None if transfer is None else pk_of(transfer),
        customer_name=customer_name,
        customer_phone=customer_phone,
        language=language,
    )
    return hold_place_many(store=store, variant=variant, requests=[request])[0]


def hold_place_many(*, store: Any, variant: Any, requests: Sequence[HoldRequest]) -> list[Hold]:
    """`hold_place` for several requests at one size and store, all or none: one reservation
    and one insert however many (a restock handing 50 pairs to 50 people waiting).

    Returns the holds in the order of `requests`. Raises `InsufficientStock` when fewer pairs
    are available than requests, and `HoldAlreadyActive` when a transfer already has an active
    hold (nothing is reserved then).
    """
    if not requests:
        return []
    store_id, variant_id = pk_of(store), pk_of(variant)
    holds = [r.hold(store_id=store_id, variant_id=variant_id) for r in requests]
    with transaction.atomic():
        # Reserve first: the level's lock serialises every hold placed at this size and store.
        stock_apply(changes=[StockChange(store_id, variant_id, reserve=len(holds))])
        return _insert(holds)


def hold_for_customer(
    *, store: Any, variant: Any, customer_phone: str, language: str = "he", customer_name: str = ""
) -> Hold:
    """ "Hold a pair for me": set one available pair aside at a shop for this (confirmed) number.
    Its clock starts when the customer is told (`hold_start_clock`: `PAIR_HOLD_DURATION`).

    The level's lock serialises everyone asking for the same pairs: two customers racing for
    the last one get one hold and one `InsufficientStock`. Raises `InvalidHold` for the
    warehouse or a closed store, `InsufficientStock` when no pair is available, and
    `HoldAlreadyActive` when this number already has this size held at this store (nothing is
    reserved then).
    """
    store_id, variant_id = pk_of(store), pk_of(variant)
    shop = Store.objects.filter(pk=store_id).first()
    if shop is None or not policy.is_customer_store(shop):
        raise InvalidHold(_("This store cannot hold pairs for customers."))
    hold = Hold(
        store_id=store_id,
        variant_id=variant_id,
        purpose=Hold.Purpose.REQUEST,
        customer_name=customer_name,
        customer_phone=customer_phone,
        language=language,
    )
    with transaction.atomic():
        stock_apply(changes=[StockChange(store_id, variant_id, reserve=1)])
        try:
            return _insert([hold])[0]
        except IntegrityError:  # the same number, size and store already held: roll back
            raise HoldAlreadyActive(
                purpose=Hold.Purpose.REQUEST, held_for=_("this number")
            ) from None


def hold_duration(hold: Hold) -> timedelta:
    """How long a hold lasts once the customer is told."""
    if hold.purpose == Hold.Purpose.REQUEST:
        return settings.PAIR_HOLD_DURATION
    return settings.HOLD_DURATION


def hold_ends_at(hold: Hold, *, told_at: datetime) -> datetime:
    """When the hold runs out: its expiry once its clock runs, else a full hold's time from
    when the customer is told (`told_at`: now, or when a text waiting out quiet hours goes)."""
    return hold.expires_at or told_at + hold_duration(hold)


def _lock_hold(hold: Hold | int) -> Hold:
    return Hold.objects.select_for_update().get(pk=pk_of(hold))


def _require_active(hold: Hold, wanted: str) -> None:
    if hold.status != Hold.Status.ACTIVE:
        raise InvalidTransition(
            _("This hold has already ended (%(status)s).")
            % {"status": hold.get_status_display().lower()},
            current=hold.status,
            wanted=wanted,
        )


def _hold_end(hold: Hold, outcome: str, *, user: Any, now: datetime) -> None:
    hold.status = outcome
    hold.ended_at = now
    hold.ended_by = staff_or_none(user)
    fields = ["status", "ended_at", "ended_by"]
    if outcome == Hold.Status.COLLECTED:
        hold.collected_price = (
            Variant.objects.filter(pk=hold.variant_id)
            .values_list("product__price", flat=True)
            .get()
        )
        fields.append("collected_price")
    hold.save(update_fields=fields)
    metrics.after_commit(metrics.HOLDS.labels(event=outcome, purpose=hold.purpose).inc)
    send_on_commit(hold_ended, sender=Hold, hold=hold, outcome=outcome)


def hold_start_clock(*, hold: Hold, at: datetime | None = None) -> Hold:
    """Start the hold's time (the customer was just told): it runs `hold_duration` from `at`
    (now). A clock already running is left as it is, so a repeated send never extends a hold.

    Raises `InvalidTransition` for a hold that has ended.
    """
    at = at or timezone.now()
    with transaction.atomic():
        locked = _lock_hold(hold)
        _require_active(locked, wanted="clock")
        if locked.notified_at is None:
            locked.notified_at = at
            locked.expires_at = at + hold_duration(locked)
            locked.save(update_fields=["notified_at", "expires_at"])
    return locked


def hold_text_read(*, hold_id: int, at: datetime) -> bool:
    """The customer read the text about this hold (at `at`): the desk shows it. Only the
    first read counts. Returns whether anything changed."""
    return bool(Hold.objects.filter(pk=hold_id, text_read_at__isnull=True).update(text_read_at=at))


def hold_collect(*, hold: Hold, user: Any = None) -> Hold:
    """The customer took the pair: on-hand and reserved drop by one (ledger: HOLD_COLLECTED,
    "hold #id", by `user`, also recorded as having ended the hold); `hold_ended` follows after
    commit.

    Raises `InvalidTransition` for a hold that has ended, and `HoldExpired` for one whose time
    ran out: that hold is expired (committed) and its pair offered to the next person waiting.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = _lock_hold(hold)
        _require_active(locked, wanted=Hold.Status.COLLECTED)
        lapsed = locked.expires_at is not None and locked.expires_at <= now
        if lapsed:
            holds_expire([locked], now=now)
        else:
            stock_apply(
                changes=[
                    StockChange(
                        locked.store_id,
                        locked.variant_id,
                        reason=StockMovement.Reason.HOLD_COLLECTED,
                        delta=-1,
                        reserve=-1,
                        reference=f"hold #{locked.pk}",
                    )
                ],
                user=user,
            )
            _hold_end(locked, Hold.Status.COLLECTED, user=user, now=now)
    if lapsed:
        raise HoldExpired(
            _("This hold ran out at %(time)s and has expired; its pair is back on offer.")
            % {"time": timezone.localtime(locked.expires_at).strftime("%d/%m/%Y %H:%M")},
            current=Hold.Status.EXPIRED,
            wanted=Hold.Status.COLLECTED,
        )
    return locked


def hold_release(*, hold: Hold, user: Any = None) -> Hold:
    """Give the pair back (staff, or the customer's cancel link): reserved drops by one, the
    restock is announced after commit (the next person waiting gets it), then `hold_ended`.
    `user` (when signed in) is recorded as having ended the hold.

    Raises `InvalidTransition` for a hold that has ended.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = _lock_hold(hold)
        _require_active(locked, wanted=Hold.Status.RELEASED)
        stock_apply(changes=[StockChange(locked.store_id, locked.variant_id, reserve=-1)])
        _hold_end(locked, Hold.Status.RELEASED, user=user, now=now)
    return locked


def hold_expire_due(*, now: datetime | None = None) -> list[int]:
    """Expire every active hold whose time ran out by `now`, putting each pair back on sale
    (restock announced after commit). Returns the ids expired.

    Works in batches, one transaction each; holds another transaction has locked (being
    collected or released right now) are skipped rather than waited for.
    """
    now = now or timezone.now()
    expired: list[int] = []
    while True:
        with transaction.atomic():
            batch = list(
                Hold.objects.select_for_update(skip_locked=True)
                .filter(status=Hold.Status.ACTIVE, expires_at__lte=now)
                .order_by("pk")[:HOLD_EXPIRY_BATCH]
            )
            holds_expire(batch, now=now)
        expired.extend(hold.pk for hold in batch)
        if len(batch) < HOLD_EXPIRY_BATCH:
            return expired
