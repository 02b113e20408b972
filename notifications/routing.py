"""Which store a customer's reply belongs to, and what they are waiting for.

In order, the first that answers:
1. the customer's open hold (the newest): its store;
2. their open bring-to-my-store request (a customer transfer still on its way): its destination;
3. what the layers above know (`events.conversation_subject_wanted`: a waitlist alert);
4. the store of the latest text we sent them about a hold or a transfer;
5. none: the conversation waits in head office's inbox.
"""

from dataclasses import dataclass

from core.language import language_or_default
from inventory.models import Hold, Store, Transfer

from .events import conversation_subject_wanted
from .models import ConfirmedNumber, Message

OPEN_TRANSFER = (
    Transfer.Status.AWAITING_APPROVAL,
    Transfer.Status.REQUESTED,
    Transfer.Status.DISPATCHED,
)


@dataclass(frozen=True)
class Subject:
    """What a layer above says a number is waiting for: at which store, in a few words."""

    store_id: int
    label: str = ""
    language: str = ""


@dataclass(frozen=True)
class Route:
    store: Store | None
    hold: Hold | None = None
    transfer: Transfer | None = None
    subject: str = ""
    language: str = ""


def route_reply(phone: str) -> Route:
    """Where a reply from `phone` goes (see the module's order)."""
    hold = (
        Hold.objects.select_related("store")
        .filter(customer_phone=phone, status=Hold.Status.ACTIVE)
        .order_by("-created_at", "-pk")
        .first()
    )
    if hold is not None:
        return Route(hold.store, hold=hold, language=hold.language)
    transfer = (
        Transfer.objects.select_related("to_store")
        .filter(customer_phone=phone, status__in=OPEN_TRANSFER)
        .order_by("-requested_at", "-pk")
        .first()
    )
    if transfer is not None:
        return Route(transfer.to_store, transfer=transfer, language=transfer.customer_language)
    for _receiver, answer in conversation_subject_wanted.send(sender=Route, phone=phone):
        if isinstance(answer, Subject):
            store = Store.objects.filter(pk=answer.store_id).first()
            if store is not None:
                return Route(store, subject=answer.label[:200], language=answer.language)
    latest = (
        Message.objects.select_related("hold__store", "transfer__to_store")
        .filter(recipient=phone)
        .exclude(hold=None, transfer=None)
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is not None and latest.hold is not None:
        return Route(latest.hold.store, hold=latest.hold, language=latest.language)
    if latest is not None and latest.transfer is not None:
        return Route(latest.transfer.to_store, transfer=latest.transfer, language=latest.language)
    return Route(None)


def language_for(phone: str, body: str, route: Route) -> str:
    """The language answers to `phone` are written in: what the customer wrote in (Hebrew
    letters), else what their hold or request or confirmed number says, else Hebrew."""
    if any("\u0590" <= ch <= "\u05ff" for ch in body):
        return "he"
    if route.language:
        return language_or_default(route.language)
    known = ConfirmedNumber.objects.filter(phone=phone).values_list("language", flat=True)
    return language_or_default(next(iter(known), "en" if body.strip() and body.isascii() else "he"))
