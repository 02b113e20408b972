"""A customer's own transfers: "Bring it to my store" asked from the storefront
(`transfer_request_for_customer`: awaiting approval, its pair already reserved at the best
source), staff approving it (→ requested, then the steps in `transfers`) or declining it (→
declined: the pair goes back on sale and the customer is texted the reason), and the customer
calling it off before it leaves the source.

Lock order as in `transfers`: the transfer row first, then the stock levels.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Variant
from core.ids import pk_of
from core.phones import phone_normalize
from core.text import clean_line
from core.users import Actor

from .. import policy
from ..errors import InvalidTransfer, InvalidTransition, NoTransferSource
from ..events import (
    customer_transfer_declined,
    send_on_commit,
    transfer_cancelled,
)
from ..models import Store, Transfer
from ..selectors.sources import transfer_sources
from .locks import stock_lock
from .stock import StockChange, staff_or_none, stock_apply
from .transfers import language_check, transfer_lock, transfer_require


def transfer_cancel_by_customer(*, transfer: Transfer | int, phone: str) -> Transfer:
    """The customer a transfer is for calls it off (their "My requests" page) while it has not
    left the source — awaiting approval or requested: the pair reserved there goes back on sale
    and `transfer_cancelled` is announced after commit, as for staff.

    `phone` (E.164) must be the transfer's customer's. Raises `InvalidTransfer` for a transfer
    that is not (or no transfer at all) and `InvalidTransition` once it is on the road or over;
    either way nothing changes.
    """
    with transaction.atomic():
        locked = Transfer.objects.select_for_update().filter(pk=pk_of(transfer)).first()
        if locked is None or not phone or locked.customer_phone != phone:
            raise InvalidTransfer(_("This transfer is not for this number."))
        if locked.status not in (Transfer.Status.AWAITING_APPROVAL, Transfer.Status.REQUESTED):
            raise InvalidTransition(
                _(
                    "Transfer #%(id)s is “%(status)s”: only a request that has not left "
                    "the store can be cancelled."
                )
                % {"id": locked.pk, "status": locked.get_status_display()},
                current=locked.status,
                wanted=Transfer.Status.CANCELLED,
            )
        stock_apply(
            changes=[
                StockChange(locked.from_store_id, locked.variant_id, reserve=-locked.quantity)
            ],
            user=None,
        )
        locked.status = Transfer.Status.CANCELLED
        locked.cancelled_by = None
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_by", "cancelled_at"])
        send_on_commit(transfer_cancelled, sender=Transfer, transfer=locked)
    return locked


def transfer_request_for_customer(
    *,
    variant: Variant | int,
    to_store: Store | int,
    customer_phone: str,
    customer_language: str = "he",
    today: date | None = None,
) -> Transfer:
    """A customer's "bring it to my store": one pair from the best source — the store whose
    pair would arrive soonest, then the nearest (`selectors.sources`), the warehouse included —
    reserved there at once and awaiting staff approval. `expected_date` is the day promised.

    Every candidate level is locked in the one order before one is chosen, so two customers
    racing for the last spare pair get one each from different sources, or one of them
    `NoTransferSource`. Raises `InvalidTransfer` (the warehouse or a closed store as the
    destination, an unknown language), `InvalidPhone`, `NoTransferSource`.
    """
    customer_phone = phone_normalize(customer_phone)
    language_check(customer_language)
    destination = Store.objects.filter(pk=pk_of(to_store)).first()
    if destination is None or not policy.is_customer_store(destination):
        raise InvalidTransfer(_("Pairs can only be brought to one of our open stores."))
    variant_id = pk_of(variant)
    candidates = transfer_sources(variant_id=variant_id, destination=destination, today=today)
    with transaction.atomic():
        changes = [StockChange(c.store.pk, variant_id, reserve=1) for c in candidates]
        locked = stock_lock(changes)
        for candidate, change in zip(candidates, changes, strict=True):
            level = locked.levels[change.key]
            if policy.spare(available=level.available, store=candidate.store) < 1:
                continue  # taken since the read: the next source
            stock_apply(changes=[change], locked=locked)
            return Transfer.objects.create(
                variant_id=variant_id,
                from_store=candidate.store,
                to_store=destination,
                quantity=1,
                status=Transfer.Status.AWAITING_APPROVAL,
                origin=Transfer.Origin.CUSTOMER,
                customer_phone=customer_phone,
                customer_language=customer_language,
                expected_date=candidate.arrival,
            )
    raise NoTransferSource(_("No other store has a pair of this size to send any more."))


def transfer_approve(*, transfer: Transfer, user: Actor) -> Transfer:
    """Staff agree to a customer's request: from here it is an ordinary requested transfer (its
    pair is already reserved at the source). Raises `InvalidTransition` unless it awaits
    approval."""
    with transaction.atomic():
        locked = transfer_lock(transfer)
        transfer_require(locked, Transfer.Status.REQUESTED, Transfer.Status.AWAITING_APPROVAL)
        locked.status = Transfer.Status.REQUESTED
        locked.approved_by = staff_or_none(user)
        locked.approved_at = timezone.now()
        locked.save(update_fields=["status", "approved_by", "approved_at"])
    return locked


def transfer_decline(*, transfer: Transfer, user: Actor, reason: str) -> Transfer:
    """Staff turn down a customer's request, saying why: the pair reserved at the source goes
    back on sale, and `customer_transfer_declined` is sent inside the transaction so the
    customer's text (the reason, and a waitlist place) is written in the same commit; a
    listener that fails undoes the decline.

    Raises `InvalidTransfer` without a reason (or one over 120 characters) and
    `InvalidTransition` unless the request awaits approval.
    """
    reason = clean_line(reason)
    if not reason:
        raise InvalidTransfer(_("Say why, in a few words: the customer is texted the reason."))
    if len(reason) > 120:
        raise InvalidTransfer(_("Keep the reason under 120 characters: it goes in a text."))
    with transaction.atomic():
        locked = transfer_lock(transfer)
        transfer_require(locked, Transfer.Status.DECLINED, Transfer.Status.AWAITING_APPROVAL)
        stock_apply(
            changes=[
                StockChange(locked.from_store_id, locked.variant_id, reserve=-locked.quantity)
            ],
            user=user,
        )
        locked.status = Transfer.Status.DECLINED
        locked.decline_reason = reason
        locked.cancelled_by = staff_or_none(user)
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "decline_reason", "cancelled_by", "cancelled_at"])
        customer_transfer_declined.send(sender=Transfer, transfer=locked)
    return locked
