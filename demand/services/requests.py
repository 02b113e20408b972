"""Customers' own requests for a pair, by confirmed number: "Hold a pair for me" (an in-stock
pair held at a shop) and "Bring it to my store" (a pair sent from another branch or the
warehouse, once staff approve). Both start like an alert — the same limits, budget and code
(`signup.number_gate`, `signup.code_for`) — and each number may have at most
`CUSTOMER_PAIRS_PER_NUMBER` pairs held for it or on their way to it at once.

Lock order: the confirmed number's row (serialising one number's requests, so the limit holds
under concurrent requests), then inventory's own (the transfer, the stock levels).
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Variant
from core.errors import DomainError
from core.language import language_or_default
from core.phones import phone_or_none
from inventory import services as inventory
from inventory.models import Hold, Store, Transfer
from notifications.models import ConfirmedNumber, Message
from notifications.services import (
    AlertAlreadyEnded,
    AlertError,
    Consent,
    TextPreview,
    code_for,
    message_create,
    number_gate,
    quiet_hours_end,
    text_preview,
)

from .. import selectors
from ..models import WaitlistEntry
from .flow import Kind, PairWanted, RequestOutcome
from .launches import launch_enter
from .pickup import pickup_release
from .waitlist import waitlist_entry_confirmed

Purpose = Message.Purpose

OPEN_TRANSFER = (
    Transfer.Status.AWAITING_APPROVAL,
    Transfer.Status.REQUESTED,
    Transfer.Status.DISPATCHED,
)


class NoLongerAvailable(AlertError):
    """The pair the page offered went to someone else meanwhile."""


class NotThisNumbers(AlertError):
    """The item named is not among this number's open requests (another number's, or one that
    has ended): nothing is changed."""

    def __init__(self) -> None:
        super().__init__(
            _("This is not among this number's open requests: it may have ended already.")
        )


class PairLimitReached(AlertError):
    def __init__(self, limit: int) -> None:
        super().__init__(
            _(
                "This number already has %(limit)d pairs held or on their way. "
                "Collect or cancel one first."
            )
            % {"limit": limit}
        )
        self.limit = limit


@dataclass(frozen=True)
class RequestStart:
    """`confirmed`: this browser confirmed the number before — fulfil the request now.
    Otherwise the page asks for the code `verification_id` (None for an opted-out number,
    which gets no text; the page looks the same)."""

    confirmed: bool
    verification_id: int | None = None


def pair_request_start(
    *,
    phone: str,
    language: str,
    client_ip: str,
    trusted: bool = False,
    verification_id: int | None = None,
    channel: str | None = None,
    kind: Kind = "hold",
    consent: Consent | None = None,
) -> RequestStart:
    """The first step of either request: the same limits, budget, code and channel choice as
    an alert sign-up (`number_gate`, `code_for`); the code's text names the `kind` of request.
    Raises `TooManyRequests`, `BudgetExhausted`, `CodesPaused`."""
    language = language_or_default(language)
    gate = number_gate(
        phone=phone, client_ip=client_ip, trusted=trusted, channel=channel, consent=consent
    )
    if gate.confirmed:
        return RequestStart(confirmed=True)
    return RequestStart(
        confirmed=False,
        verification_id=code_for(
            phone=phone,
            language=language,
            client_ip=client_ip,
            gate=gate,
            verification_id=verification_id,
            channel=channel,
            asked="alert" if kind == "launch" else kind,
            consent=consent,
        ),
    )


def pairs_for_number(phone: str) -> int:
    """Pairs held for `phone` on its own requests, or on their way to it (a customer's transfer
    counts from the request until its hold ends)."""
    held = (
        Hold.objects.filter(customer_phone=phone, status=Hold.Status.ACTIVE)
        .filter(
            Q(purpose=Hold.Purpose.REQUEST)
            | Q(purpose=Hold.Purpose.TRANSFER, transfer__origin=Transfer.Origin.CUSTOMER)
        )
        .count()
    )
    coming = Transfer.objects.filter(
        customer_phone=phone, origin=Transfer.Origin.CUSTOMER, status__in=OPEN_TRANSFER
    ).count()
    return held + coming


def _lock_number(phone: str) -> None:
    """Lock the confirmed number (its requests queue up behind each other) and check its
    limit. Must run inside `transaction.atomic()`."""
    if not ConfirmedNumber.objects.select_for_update().filter(phone=phone).exists():
        raise AlertError(_("Confirm your number with the code we texted first."))
    limit = settings.CUSTOMER_PAIRS_PER_NUMBER
    if pairs_for_number(phone) >= limit:
        raise PairLimitReached(limit)


def pair_hold_for_customer(
    *, phone: str, variant: Variant | int, store: Store | int, language: str
) -> Hold:
    """ "Hold a pair for me": a pair available now at `store` is set aside for the (confirmed)
    `phone` and their text written in the same commit; the hold's time
    (`PAIR_HOLD_DURATION`) runs from when that text goes (in the morning, in quiet hours).

    Raises `PairLimitReached`, `NoLongerAvailable` (the last pair went meanwhile: never an
    oversell) and `AlertError` (this size is already held for this number there, or the store
    cannot hold pairs).
    """
    language = language_or_default(language)
    with transaction.atomic():
        _lock_number(phone)
        try:
            hold = inventory.hold_for_customer(
                store=store, variant=variant, customer_phone=phone, language=language
            )
        except inventory.InsufficientStock:
            raise NoLongerAvailable(
                _(
                    "Sorry, the last pair of this size there has just gone. "
                    "Join the waitlist and we will text you when it is "
                    "back."
                )
            ) from None
        except inventory.HoldAlreadyActive:
            raise AlertError(
                _("A pair of this size is already held for you at this store.")
            ) from None
        except inventory.InvalidHold as exc:
            raise AlertError(exc.message) from None
        message_create(
            recipient=phone,
            purpose=Purpose.PAIR_HELD,
            language=language,
            idempotency_key=f"hold:{hold.pk}",
            hold=hold,
            send_after=quiet_hours_end(),
        )
    return hold


def bring_to_store(
    *, phone: str, variant: Variant | int, store: Store | int, language: str
) -> Transfer:
    """ "Bring it to my store": a transfer request for the (confirmed) `phone` from the best
    source (`inventory.transfer_request_for_customer`), its pair reserved there and awaiting
    staff approval. One open request per number, size and store.

    Raises `PairLimitReached`, `NoLongerAvailable` (no store can send one any more) and
    `AlertError` (asked already, or a store pairs cannot be brought to).
    """
    language = language_or_default(language)
    with transaction.atomic():
        _lock_number(phone)
        if Transfer.objects.filter(
            customer_phone=phone,
            variant=variant,
            to_store=store,
            origin=Transfer.Origin.CUSTOMER,
            status__in=OPEN_TRANSFER,
        ).exists():
            raise AlertError(
                _(
                    "You have already asked for this size at this store: we will "
                    "text you when it arrives."
                )
            )
        try:
            return inventory.transfer_request_for_customer(
                variant=variant, to_store=store, customer_phone=phone, customer_language=language
            )
        except inventory.NoTransferSource:
            raise NoLongerAvailable(
                _(
                    "Sorry, no store can send this size any more. Join the "
                    "waitlist and we will text you when it arrives."
                )
            ) from None
        except inventory.InvalidTransfer as exc:
            raise AlertError(exc.message) from None


# Its reason, then its apology, give way when it is too long (notifications.texts).
DECLINED_TEXT = "transfer_declined"


def _declined_context(transfer: Transfer, reason: str) -> dict[str, object]:
    language = language_or_default(transfer.customer_language)
    variant, store = transfer.variant, transfer.to_store
    return {
        "model": variant.product.name,
        "size": variant.size_label,
        "store": getattr(store, f"name_{language}") or store.name_he,
        # The text puts its own full stop after the reason.
        "reason": reason.rstrip(". "),
    }


def message_for_declined_transfer(*, transfer: Transfer) -> Message | None:
    """Inside the transaction that declined a customer's request: their text, in their
    language, with the reason and a link whose page offers them the waitlist for that size at
    that store — the text `declined_text_preview` showed."""
    phone = phone_or_none(transfer.customer_phone)
    if phone is None:
        return None
    return message_create(
        recipient=phone,
        purpose=Purpose.TRANSFER_DECLINED,
        language=language_or_default(transfer.customer_language),
        idempotency_key=f"declined:{transfer.pk}",
        template=DECLINED_TEXT,
        context=_declined_context(transfer, transfer.decline_reason),
        transfer=transfer,
        send_after=quiet_hours_end(),
    )


def declined_text_preview(*, transfer: Transfer, reason: str) -> TextPreview | None:
    """The text the customer would get if `transfer` were declined now with `reason`, as
    `message_for_declined_transfer` writes it; None without a number to text. Writes
    nothing."""
    phone = phone_or_none(transfer.customer_phone)
    if phone is None:
        return None
    return text_preview(
        recipient=phone,
        language=transfer.customer_language,
        template=DECLINED_TEXT,
        context=_declined_context(transfer, reason),
    )


def waitlist_join_declined(*, message: Message, phone: str) -> WaitlistEntry:
    """From a declined request's text: the number (proven by the link it received) goes on the
    waitlist for that size at that store, active at once. Raises `AlertError` for a text that
    is not about a declined request to this number."""
    transfer = message.transfer
    if (
        message.purpose != Purpose.TRANSFER_DECLINED
        or transfer is None
        or message.recipient != phone
    ):
        raise AlertError(_("This offer is no longer open."))
    return waitlist_entry_confirmed(
        phone=phone,
        variant=transfer.variant_id,
        store=transfer.to_store_id,
        language=message.language,
    )


def requests_fulfil(
    *, phone: str, wanted: Sequence[PairWanted], client_ip: str = ""
) -> list[RequestOutcome]:
    """Carry out the requests a browser made for a number now confirmed, in order; what
    became of each (`RequestOutcome`), never raising for one that cannot be met: a size or
    store no longer offered, the number's limit of pairs (`limit_reached`), the last pair gone,
    a launch draw closed or capped for this client address (`client_ip`)."""
    return [_request_fulfil(phone, item, client_ip) for item in wanted]


def _launch_enter(phone: str, item: PairWanted, client_ip: str) -> RequestOutcome:
    outcome = RequestOutcome(kind=item.kind, variant_id=item.variant_id, store_id=item.store_id)
    launch = selectors.launch_open_for_size(item.variant_id)
    if launch is None:
        return replace(outcome, error=_("Entries for this draw are closed."))
    try:
        entry = launch_enter(
            launch=launch,
            store=item.store_id,
            variant=item.variant_id,
            phone=phone,
            client_ip=client_ip,
            result_text=item.result_text,
            language=item.language or "he",
        )
    except DomainError as exc:
        return replace(outcome, error=exc.message)
    return replace(outcome, entry_id=entry.pk)


def _request_fulfil(phone: str, item: PairWanted, client_ip: str) -> RequestOutcome:
    if item.kind == "launch":
        return _launch_enter(phone, item, client_ip)
    outcome = RequestOutcome(kind=item.kind, variant_id=item.variant_id, store_id=item.store_id)
    variant = selectors.signup_variant(item.variant_id)
    store = selectors.customer_store(item.store_id)
    if variant is None or store is None:
        return replace(outcome, error=_("This size or store is no longer offered."))
    try:
        if item.kind == "hold":
            hold = pair_hold_for_customer(
                phone=phone, variant=variant, store=store, language=item.language
            )
            return replace(outcome, hold_id=hold.pk)
        transfer = bring_to_store(phone=phone, variant=variant, store=store, language=item.language)
        return replace(outcome, transfer_id=transfer.pk)
    except AlertError as exc:
        return replace(outcome, error=exc.message, limit_reached=isinstance(exc, PairLimitReached))


def request_hold_release(*, hold_id: int, phone: str) -> Hold:
    """From the number's "My requests" page: a pair held for `phone` (on an alert, a request
    or a transfer) is no longer wanted — released through `pickup_release`, so it goes to the
    next person waiting. Raises `NotThisNumbers` for a hold that is not `phone`'s active one
    (nothing changes) and `AlertAlreadyEnded` when it ended meanwhile."""
    hold = selectors.open_hold_of_phone(hold_id, phone)
    if hold is None:
        raise NotThisNumbers()
    return pickup_release(hold=hold, phone=phone)


def bring_request_cancel(*, transfer_id: int, phone: str) -> Transfer:
    """From the number's "My requests" page: a pair asked for `phone` that has not left its
    source yet (awaiting approval or requested) is called off; the pair reserved there goes
    back on sale. A suggested transfer's alert ends with it (the customer said no; it does not
    go back to waiting). Raises `NotThisNumbers` for another number's transfer and
    `AlertAlreadyEnded` once it is on the road or over — in both cases nothing changes."""
    with transaction.atomic():
        try:
            transfer = inventory.transfer_cancel_by_customer(transfer=transfer_id, phone=phone)
        except inventory.InvalidTransition:
            raise AlertAlreadyEnded(
                _("This pair is already on its way: you can say no when it arrives.")
            ) from None
        except inventory.InvalidTransfer:
            raise NotThisNumbers() from None
        # Before the commit, so `waitlist_transfer_cancelled` (after it) does not put the
        # alert back in the queue.
        WaitlistEntry.objects.filter(
            transfer_id=transfer.pk, phone=phone, status=WaitlistEntry.Status.TRANSFER
        ).update(status=WaitlistEntry.Status.CANCELLED, ended_at=timezone.now())
    return transfer
