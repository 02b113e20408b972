"""Transfers between stores: requested (reserves at the source) → dispatched (leaves the
source's on-hand, shows as an ETA at the destination) → received (adds to the destination; for
a customer, a hold and their text) — or cancelled while requested (releases the pairs).

A customer's own request ("Bring it to my store") starts one step earlier, awaiting approval:
`customer_transfers` holds it, staff's approval (→ requested, the flow above) or decline.

Lock order, everywhere: the transfer row first, then the stock levels (`locks.stock_lock`).
Every step goes through `stock_apply` and records who took it.
"""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Variant
from core.ids import pk_of
from core.phones import phone_normalize
from core.text import clean_text
from core.users import Actor

from ..errors import InvalidTransfer, InvalidTransition
from ..events import (
    customer_hold_placed,
    customer_number_given,
    send_on_commit,
    transfer_cancelled,
)
from ..leadtime import transfer_arrival_date, working_days_after
from ..models import Hold, StockMovement, Store, Transfer
from .holds import HoldRequest, hold_insert_reserved
from .stock import StockChange, positive, staff_or_none, stock_apply


def transfer_default_expected_date(start: date | None = None) -> date:
    """`TRANSFER_LEAD_DAYS` working days (Sunday–Thursday, holidays skipped) after `start`
    (today)."""
    return working_days_after(start or timezone.localdate(), settings.TRANSFER_LEAD_DAYS)


def _route_arrival(transfer: Transfer, start: date) -> date:
    codes = dict(
        Store.objects.filter(pk__in=[transfer.from_store_id, transfer.to_store_id]).values_list(
            "pk", "code"
        )
    )
    return transfer_arrival_date(
        codes.get(transfer.from_store_id), codes.get(transfer.to_store_id), start
    )


def _transfer_reference(transfer: Transfer) -> str:
    return f"transfer #{transfer.pk}"


def transfer_lock(transfer: Transfer | int) -> Transfer:
    return Transfer.objects.select_for_update().get(pk=pk_of(transfer))


def transfer_require(transfer: Transfer, wanted: str, *allowed: str) -> None:
    if transfer.status in allowed:
        return
    refusals = {
        Transfer.Status.REQUESTED: _(
            "Transfer #%(id)s is “%(status)s”: only a request awaiting approval can be approved."
        ),
        Transfer.Status.DECLINED: _(
            "Transfer #%(id)s is “%(status)s”: only a request awaiting approval can be declined."
        ),
        Transfer.Status.DISPATCHED: _(
            "Transfer #%(id)s is “%(status)s”: only a requested transfer can be dispatched."
        ),
        Transfer.Status.RECEIVED: _(
            "Transfer #%(id)s is “%(status)s”: only a dispatched transfer can be received."
        ),
        Transfer.Status.CANCELLED: _(
            "Transfer #%(id)s is “%(status)s”: only a requested transfer can be cancelled."
        ),
    }
    raise InvalidTransition(
        refusals[Transfer.Status(wanted)]
        % {"id": transfer.pk, "status": transfer.get_status_display()},
        current=transfer.status,
        wanted=wanted,
    )


def transfer_request(
    *,
    variant: Variant | int,
    from_store: Store | int,
    to_store: Store | int,
    quantity: int = 1,
    customer_name: str = "",
    customer_phone: str = "",
    customer_language: str = "he",
    note: str = "",
    user: Actor,
    consent_shown: tuple[str, str, str] | None = None,
) -> Transfer:
    """Ask for pairs to move from one store to another, reserving them at the source at once
    (so they are not sold meanwhile).

    `consent_shown` (page, wording, language): what the form told staff to say to the customer
    whose number they typed; `events.customer_number_given` announces it in the same commit.

    A transfer for a customer (a mobile number is given) moves exactly one pair; when it is
    received, that pair is held for the customer and they are texted. The number is stored
    in E.164.

    Raises `InvalidQuantity`, `InvalidTransfer` (same store, inactive store, a customer name
    without a number, more than one pair for a customer, unknown language),
    `InvalidPhone` (a number the customer could not be texted on), or `InsufficientStock`
    when the source has fewer pairs available.
    """
    positive(quantity)
    from_id, to_id, variant_id = pk_of(from_store), pk_of(to_store), pk_of(variant)
    if from_id == to_id:
        raise InvalidTransfer(_("A transfer needs two different stores."))
    customer_name, customer_phone = _transfer_customer(
        name=customer_name, phone=customer_phone, language=customer_language, quantity=quantity
    )
    inactive = Store.objects.filter(pk__in=[from_id, to_id], is_active=False).first()
    if inactive is not None:
        raise InvalidTransfer(
            _("%(store)s is closed: it cannot send or receive transfers.") % {"store": inactive}
        )
    with transaction.atomic():
        stock_apply(changes=[StockChange(from_id, variant_id, reserve=quantity)], user=user)
        transfer = Transfer.objects.create(
            variant_id=variant_id,
            from_store_id=from_id,
            to_store_id=to_id,
            quantity=quantity,
            customer_name=customer_name,
            customer_phone=customer_phone,
            customer_language=customer_language,
            note=clean_text(note).strip(),
            requested_by=staff_or_none(user),
        )
        if customer_phone and consent_shown is not None:
            page, wording, language = consent_shown
            customer_number_given.send(
                sender=Transfer,
                phone=customer_phone,
                page=page,
                wording=wording,
                language=language,
                user=staff_or_none(user),
            )
    return transfer


def _transfer_customer(*, name: str, phone: str, language: str, quantity: int) -> tuple[str, str]:
    """The customer's name and number (in E.164) as stored on a transfer, once they make a
    valid request: a number with any name, one pair, a language the texts are written in."""
    name, phone = clean_text(name).strip(), phone.strip()
    if phone:
        phone = phone_normalize(phone)
        if quantity != 1:
            raise InvalidTransfer(
                _(
                    "A transfer for a customer moves one pair; request one "
                    "transfer for each pair the customer wants."
                )
            )
    elif name:
        raise InvalidTransfer(
            _("Add the customer's mobile number, so they can be texted when the pair arrives.")
        )
    language_check(language)
    return name, phone


def transfer_dispatch(
    *, transfer: Transfer, user: Actor, expected_date: date | None = None
) -> Transfer:
    """The pairs leave the source: on-hand and reserved there drop by the quantity (ledger:
    TRANSFER_OUT, "transfer #id"). `expected_date` (default: `transfer_default_expected_date`)
    is shown at the destination as the arrival date.

    Raises `InvalidTransition` unless the transfer is requested, `InvalidTransfer` for an
    expected date in the past.
    """
    today = timezone.localdate()
    if expected_date is not None and expected_date < today:
        raise InvalidTransfer(_("The expected arrival date cannot be in the past."))
    with transaction.atomic():
        locked = transfer_lock(transfer)
        transfer_require(locked, Transfer.Status.DISPATCHED, Transfer.Status.REQUESTED)
        stock_apply(
            changes=[
                StockChange(
                    locked.from_store_id,
                    locked.variant_id,
                    reason=StockMovement.Reason.TRANSFER_OUT,
                    delta=-locked.quantity,
                    reserve=-locked.quantity,
                    reference=_transfer_reference(locked),
                )
            ],
            user=user,
        )
        locked.status = Transfer.Status.DISPATCHED
        locked.dispatched_by = staff_or_none(user)
        locked.dispatched_at = timezone.now()
        locked.expected_date = expected_date or _route_arrival(locked, today)
        locked.save(update_fields=["status", "dispatched_by", "dispatched_at", "expected_date"])
    return locked


def transfer_receive(*, transfer: Transfer, user: Actor) -> Transfer:
    """The pairs arrived: on-hand at the destination rises (ledger: TRANSFER_IN), which
    announces the restock after commit.

    For a customer's transfer, in the same transaction, the pair is held for them (a hold for
    this transfer, so the restock never offers it to anyone else) and `customer_hold_placed`
    is sent with the hold and the transfer; its listener writes the customer's text and starts
    the hold's clock (`hold_start_clock`) when the text goes. A listener that fails rolls the
    whole receipt back (its error is raised).

    Raises `InvalidTransition` unless the transfer is dispatched.
    """
    with transaction.atomic():
        locked = transfer_lock(transfer)
        transfer_require(locked, Transfer.Status.RECEIVED, Transfer.Status.DISPATCHED)
        changes = [
            StockChange(
                locked.to_store_id,
                locked.variant_id,
                reason=StockMovement.Reason.TRANSFER_IN,
                delta=locked.quantity,
                reference=_transfer_reference(locked),
            )
        ]
        if locked.customer_phone:
            # Received and reserved in one batch: available never rises for the held pair.
            changes.append(StockChange(locked.to_store_id, locked.variant_id, reserve=1))
        stock_apply(changes=changes, user=user)
        locked.status = Transfer.Status.RECEIVED
        locked.received_by = staff_or_none(user)
        locked.received_at = timezone.now()
        locked.save(update_fields=["status", "received_by", "received_at"])
        if locked.customer_phone:
            hold = hold_insert_reserved(
                HoldRequest(
                    transfer_id=locked.pk,
                    customer_name=locked.customer_name,
                    customer_phone=locked.customer_phone,
                    language=locked.customer_language,
                ),
                store_id=locked.to_store_id,
                variant_id=locked.variant_id,
            )
            # Plainly, inside the transaction: a listener that fails undoes the receipt.
            customer_hold_placed.send(sender=Hold, hold=hold, transfer=locked)
    return locked


def transfer_cancel(*, transfer: Transfer, user: Actor) -> Transfer:
    """Call off a requested transfer: the pairs reserved at the source go back on sale.

    A dispatched transfer is on the road and cannot be cancelled: it is received at the
    destination (and, if unwanted, sent back with a new transfer). Announces
    `transfer_cancelled` after commit. Raises `InvalidTransition`.
    """
    with transaction.atomic():
        locked = transfer_lock(transfer)
        if locked.status == Transfer.Status.DISPATCHED:
            raise InvalidTransition(
                _(
                    "Transfer #%(id)s has already left %(source)s: receive it at %(destination)s, "
                    "then request a transfer back if it is not wanted."
                )
                % {"id": locked.pk, "source": locked.from_store, "destination": locked.to_store},
                current=locked.status,
                wanted=Transfer.Status.CANCELLED,
            )
        transfer_require(locked, Transfer.Status.CANCELLED, Transfer.Status.REQUESTED)
        stock_apply(
            changes=[
                StockChange(locked.from_store_id, locked.variant_id, reserve=-locked.quantity)
            ],
            user=user,
        )
        locked.status = Transfer.Status.CANCELLED
        locked.cancelled_by = staff_or_none(user)
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_by", "cancelled_at"])
        send_on_commit(transfer_cancelled, sender=Transfer, transfer=locked)
    return locked


def language_check(language: str) -> None:
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise InvalidTransfer(_("Unknown language for the customer's messages."))
