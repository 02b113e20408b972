"""Suggested transfers: stock that moves to where customers wait.

Per size, the customers waiting at each store that neither the store's own stock nor what is
on its way will serve are matched — longest wait first — with the nearest store holding a
surplus: pairs it can spare beyond its own waiting list (`inventory.policy.spare`: beyond its
safety stock too; the warehouse keeps none). Each (size, source, destination) is one
suggestion listing the customers it serves. A manager approves it (one customer transfer
each, through `inventory.services.transfer_request`, so the usual reserve → dispatch →
receive → hold → text flow follows) or dismisses it (not proposed again for that route and size for
`TRANSFER_SUGGESTION_SNOOZE_DAYS`).
"""

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.ids import pk_of
from core.users import Actor, staff_or_none
from inventory import policy
from inventory import services as inventory
from inventory.geo import great_circle_km, point_of
from inventory.models import (
    Hold,
    InboundShipment,
    InboundShipmentLine,
    StockLevel,
    Store,
    Transfer,
)
from notifications.models import OptOut
from notifications.services import AlertError

from ..models import TransferSuggestion, WaitlistEntry
from .allocation import waitlist_queue_allocation

logger = logging.getLogger(__name__)

Route = tuple[int, int, int]  # (variant_id, from_store_id, to_store_id)


class SuggestionUnavailable(AlertError):
    """The suggestion was decided already, or its customers or its surplus are gone."""


def _waiting_entries() -> Any:
    """Confirmed entries still waiting at an open store, for a number that may be texted."""
    opted_out = OptOut.objects.filter(phone=OuterRef("phone"))
    return WaitlistEntry.objects.waiting().filter(store__is_active=True).exclude(Exists(opted_out))


@dataclass
class _Plan:
    entry_ids: list[int]
    oldest: datetime


def _inbound(variant_ids: set[int]) -> Counter[tuple[int, int]]:
    """Pairs on their way to each (store, size) that whoever waits there will get: open
    supplier shipments and transfers that are not for a named customer."""
    inbound: Counter[tuple[int, int]] = Counter()
    lines = InboundShipmentLine.objects.filter(
        variant_id__in=variant_ids, shipment__status__in=InboundShipment.OPEN_STATUSES
    ).values_list("shipment__store_id", "variant_id", "quantity", "received_quantity")
    for store_id, variant_id, quantity, received in lines:
        inbound[(store_id, variant_id)] += max(quantity - received, 0)
    transfers = (
        Transfer.objects.filter(
            variant_id__in=variant_ids,
            customer_phone="",
            status__in=[Transfer.Status.REQUESTED, Transfer.Status.DISPATCHED],
        )
        .values("to_store_id", "variant_id")
        .annotate(pairs=Sum("quantity"))
    )
    for row in transfers:
        inbound[(row["to_store_id"], row["variant_id"])] += row["pairs"] or 0
    return inbound


def _plan(now: datetime) -> tuple[dict[Route, _Plan], dict[tuple[int, int], float]]:
    waiting = list(_waiting_entries().values_list("pk", "store_id", "variant_id", "created_at"))
    if not waiting:
        return {}, {}
    variant_ids = {variant_id for _pk, _store, variant_id, _at in waiting}
    stores = {store.pk: store for store in Store.objects.filter(is_active=True)}
    waiting_at = Counter((store_id, variant_id) for _pk, store_id, variant_id, _at in waiting)
    available: dict[tuple[int, int], int] = {
        (store_id, variant_id): policy.available(on_hand=on_hand, reserved=reserved)
        for store_id, variant_id, on_hand, reserved in StockLevel.objects.filter(
            variant_id__in=variant_ids, store_id__in=stores
        ).values_list("store_id", "variant_id", "on_hand", "reserved")
    }
    # Pairs a store can spare: beyond its own waiting list and its safety stock.
    surplus: dict[int, dict[int, int]] = defaultdict(dict)
    for (store_id, variant_id), pairs in available.items():
        spare = policy.spare(
            available=pairs, store=stores[store_id], waiting=waiting_at[(store_id, variant_id)]
        )
        if spare > 0:
            surplus[variant_id][store_id] = spare
    # Customers at the head of a store's queue get its own pairs and what is on its way.
    covered = _inbound(variant_ids)
    for key, pairs in available.items():
        covered[key] += pairs
    snoozed = set(
        TransferSuggestion.objects.filter(
            status=TransferSuggestion.Status.DISMISSED,
            snoozed_until__gt=now,
        ).values_list("variant_id", "from_store_id", "to_store_id")
    )
    distances: dict[tuple[int, int], float] = {}

    def distance(a: int, b: int) -> float:
        key = (min(a, b), max(a, b))
        if key not in distances:
            distances[key] = great_circle_km(point_of(stores[a]), point_of(stores[b]))
        return distances[key]

    plans: dict[Route, _Plan] = {}
    place: Counter[tuple[int, int]] = Counter()
    for pk, store_id, variant_id, signed_up in waiting:  # longest wait first
        place[(store_id, variant_id)] += 1
        if place[(store_id, variant_id)] <= covered[(store_id, variant_id)]:
            continue
        sources = [
            source
            for source, spare in surplus.get(variant_id, {}).items()
            if spare > 0 and source != store_id and (variant_id, source, store_id) not in snoozed
        ]
        if not sources:
            continue
        source = min(sources, key=lambda s: (distance(s, store_id), s))
        surplus[variant_id][source] -= 1
        route = (variant_id, source, store_id)
        if route not in plans:
            plans[route] = _Plan(entry_ids=[], oldest=signed_up)
        plans[route].entry_ids.append(pk)
    return plans, distances


def transfer_suggestions_refresh(*, now: datetime | None = None) -> list[TransferSuggestion]:
    """Propose transfers from surplus to the customers waiting longest (see the module).

    A route still worth proposing keeps its suggestion (its customers brought up to date);
    proposals no longer worth making are withdrawn. A refresh that runs while another one is
    writing gives way to it (nothing changes). Returns the suggestions proposed now.
    """
    now = now or timezone.now()
    plans, distances = _plan(now)
    try:
        with transaction.atomic():
            current = {
                (s.variant_id, s.from_store_id, s.to_store_id): s
                for s in TransferSuggestion.objects.select_for_update().filter(
                    status=TransferSuggestion.Status.PROPOSED
                )
            }
            gone = _withdraw_unplanned(current, plans, now)
            _propose_planned(current, plans, distances)
            proposed = [
                s
                for s in TransferSuggestion.objects.filter(
                    status=TransferSuggestion.Status.PROPOSED
                )
                if (s.variant_id, s.from_store_id, s.to_store_id) in plans
            ]
            _set_customers(proposed, plans)
    except IntegrityError:
        logger.info("Transfer suggestions: another refresh was writing; this one gave way")
        return []
    logger.info("Transfer suggestions: %d proposed, %d withdrawn", len(proposed), len(gone))
    return proposed


def _withdraw_unplanned(
    current: dict[Route, TransferSuggestion], plans: dict[Route, _Plan], now: datetime
) -> list[int]:
    """Withdraw the proposals no longer planned; their ids."""
    gone = [s.pk for route, s in current.items() if route not in plans]
    TransferSuggestion.objects.filter(pk__in=gone).update(
        status=TransferSuggestion.Status.WITHDRAWN, decided_at=now
    )
    return gone


def _propose_planned(
    current: dict[Route, TransferSuggestion],
    plans: dict[Route, _Plan],
    distances: dict[tuple[int, int], float],
) -> None:
    """Bring the proposals still planned up to date (their longest wait) and propose the new
    routes."""
    moved = [
        s
        for route, s in current.items()
        if route in plans and s.oldest_wait_since != plans[route].oldest
    ]
    for suggestion in moved:
        suggestion.oldest_wait_since = plans[
            (suggestion.variant_id, suggestion.from_store_id, suggestion.to_store_id)
        ].oldest
    TransferSuggestion.objects.bulk_update(moved, ["oldest_wait_since"])
    TransferSuggestion.objects.bulk_create(
        [
            TransferSuggestion(
                variant_id=variant_id,
                from_store_id=from_id,
                to_store_id=to_id,
                distance_km=round(distances[(min(from_id, to_id), max(from_id, to_id))], 1),
                oldest_wait_since=plan.oldest,
            )
            for (variant_id, from_id, to_id), plan in plans.items()
            if (variant_id, from_id, to_id) not in current
        ]
    )


def _set_customers(proposed: list[TransferSuggestion], plans: dict[Route, _Plan]) -> None:
    """Each suggestion's customers, as planned now: a few statements, however many."""
    through = TransferSuggestion.entries.through
    through.objects.filter(transfersuggestion__in=[s.pk for s in proposed]).delete()
    through.objects.bulk_create(
        [
            through(transfersuggestion_id=s.pk, waitlistentry_id=entry_id)
            for s in proposed
            for entry_id in plans[(s.variant_id, s.from_store_id, s.to_store_id)].entry_ids
        ],
        batch_size=2000,
    )


def _unavailable(suggestion: TransferSuggestion) -> SuggestionUnavailable:
    if suggestion.status == TransferSuggestion.Status.APPROVED:
        return SuggestionUnavailable(
            _("This suggestion was already approved: its transfers are in the list.")
        )
    return SuggestionUnavailable(
        _("This suggestion is no longer available: the customers or the spare pairs are gone.")
    )


def transfer_suggestion_approve(
    *, suggestion: TransferSuggestion | int, user: Actor
) -> list[Transfer]:
    """Request one customer transfer for each customer the suggestion serves who is still
    waiting, as many as the source can still spare (its pairs available beyond its own waiting
    list and safety stock, read under the lock of its stock level). Their entries become "pair
    on its way".

    Lock order: the suggestion, the source's stock level (through `stock_lock`), the entries.
    Two managers approving at once get the transfers once; the second is told it was approved.
    Raises `SuggestionUnavailable` (the suggestion is then withdrawn) when nothing can be sent,
    and whatever `transfer_request` raises.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = (
            TransferSuggestion.objects.select_for_update(of=("self",))
            .select_related("from_store", "to_store")
            .filter(pk=pk_of(suggestion))
            .first()
        )
        if locked is None:
            raise SuggestionUnavailable(_("This suggestion is no longer available."))
        if locked.status != TransferSuggestion.Status.PROPOSED:
            raise _unavailable(locked)
        spare = _spare_at_source(locked, now)
        entries = list(
            _waiting_entries()
            .filter(pk__in=locked.entries.values("pk"))
            .select_for_update(of=("self",))
        )[:spare]
        transfers = _request_transfers(locked, entries, user)
        locked.status = (
            TransferSuggestion.Status.APPROVED if transfers else TransferSuggestion.Status.WITHDRAWN
        )
        locked.decided_at = now
        locked.decided_by = staff_or_none(user)
        locked.save(update_fields=["status", "decided_at", "decided_by"])
        locked.transfers.set(transfers)
    if not transfers:
        raise _unavailable(locked)
    return transfers


def _spare_at_source(suggestion: TransferSuggestion, now: datetime) -> int:
    """Pairs the suggestion's source can spare now, read under the lock of its stock level
    (lapsed holds there end first)."""
    key = (suggestion.from_store_id, suggestion.variant_id)
    level = inventory.stock_lock([], expire=[key], now=now).levels.get(key)
    at_source = (
        _waiting_entries()
        .filter(store_id=suggestion.from_store_id, variant_id=suggestion.variant_id)
        .count()
    )
    if level is None:
        return 0
    return policy.spare(available=level.available, store=suggestion.from_store, waiting=at_source)


def _request_transfers(
    suggestion: TransferSuggestion, entries: list[WaitlistEntry], user: Actor
) -> list[Transfer]:
    """One customer transfer per entry, each entry then marked "pair on its way"."""
    transfers = [
        inventory.transfer_request(
            variant=suggestion.variant_id,
            from_store=suggestion.from_store_id,
            to_store=suggestion.to_store_id,
            customer_phone=entry.phone,
            customer_language=entry.language,
            user=user,
            note=_("Suggested transfer #%(id)s") % {"id": suggestion.pk},
        )
        for entry in entries
    ]
    for entry, transfer in zip(entries, transfers, strict=True):
        WaitlistEntry.objects.filter(pk=entry.pk).update(
            status=WaitlistEntry.Status.TRANSFER, transfer=transfer
        )
    return transfers


def transfer_suggestion_dismiss(
    *, suggestion: TransferSuggestion | int, user: Actor
) -> TransferSuggestion:
    """Not now: the suggestion is dismissed, and this size is not proposed on this route for
    `TRANSFER_SUGGESTION_SNOOZE_DAYS`. Raises `SuggestionUnavailable` for one already decided."""
    now = timezone.now()
    with transaction.atomic():
        locked = TransferSuggestion.objects.select_for_update().filter(pk=pk_of(suggestion)).first()
        if locked is None:
            raise SuggestionUnavailable(_("This suggestion is no longer available."))
        if locked.status != TransferSuggestion.Status.PROPOSED:
            raise _unavailable(locked)
        locked.status = TransferSuggestion.Status.DISMISSED
        locked.decided_at = now
        locked.decided_by = staff_or_none(user)
        locked.snoozed_until = now + timedelta(days=settings.TRANSFER_SUGGESTION_SNOOZE_DAYS)
        locked.save(update_fields=["status", "decided_at", "decided_by", "snoozed_until"])
    return locked


def waitlist_transfer_arrived(*, hold: Hold, transfer: Transfer | None) -> None:
    """Inside the receipt: the customers a suggested transfer was for now have their pair
    held, as if it had reached them from the waiting list."""
    if transfer is None:
        return
    WaitlistEntry.objects.filter(
        transfer_id=transfer.pk, status=WaitlistEntry.Status.TRANSFER
    ).update(status=WaitlistEntry.Status.HELD, hold=hold)


def waitlist_transfer_cancelled(*, transfer: Transfer) -> None:
    """After commit: a suggested transfer was cancelled, so its customer waits again, in the
    place their sign-up gave them (unless they signed up again meanwhile: that entry stands)."""
    entries = WaitlistEntry.objects.filter(
        transfer_id=transfer.pk, status=WaitlistEntry.Status.TRANSFER
    )
    newer = WaitlistEntry.objects.open().filter(
        phone=OuterRef("phone"), store_id=OuterRef("store_id"), variant_id=OuterRef("variant_id")
    )
    with transaction.atomic():
        entries.filter(Exists(newer)).update(
            status=WaitlistEntry.Status.CANCELLED, ended_at=timezone.now()
        )
        reopened = entries.update(status=WaitlistEntry.Status.ACTIVE, transfer=None)
    if reopened:
        waitlist_queue_allocation(transfer.to_store_id, transfer.variant_id)
