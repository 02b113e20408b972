"""The staff desks: transfer queues and a transfer's hold, the holds desk."""

from datetime import datetime

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce

from ..models import Hold, Store, Transfer

# Each transfer queue takes the transfers the user may see (`permissions.visible_transfers`)
# and one store.

TRANSFER_RELATED = (
    "variant__product__brand",
    "from_store",
    "to_store",
    "requested_by",
    "dispatched_by",
    "received_by",
    "cancelled_by",
)


def transfers_with_people(transfers: QuerySet[Transfer]) -> QuerySet[Transfer]:
    """What a transfer row shows: the size, both stores and who did each step."""
    return transfers.select_related(*TRANSFER_RELATED)


def transfers_to_dispatch(transfers: QuerySet[Transfer], *, store: Store) -> QuerySet[Transfer]:
    """Requested from `store`, oldest request first."""
    return (
        transfers_with_people(transfers)
        .filter(from_store=store, status=Transfer.Status.REQUESTED)
        .order_by("requested_at", "pk")
    )


def transfers_awaiting_approval(
    transfers: QuerySet[Transfer], *, store: Store
) -> QuerySet[Transfer]:
    """Customers' requests from or to `store` that staff have not decided on, oldest first."""
    return (
        transfers_with_people(transfers)
        .filter(Q(from_store=store) | Q(to_store=store), status=Transfer.Status.AWAITING_APPROVAL)
        .order_by("requested_at", "pk")
    )


def transfers_on_the_way(transfers: QuerySet[Transfer], *, store: Store) -> QuerySet[Transfer]:
    """Dispatched to `store`, the earliest expected first (undated last)."""
    return (
        transfers_with_people(transfers)
        .filter(to_store=store, status=Transfer.Status.DISPATCHED)
        .order_by(F("expected_date").asc(nulls_last=True), "dispatched_at", "pk")
    )


def transfers_requested_to(transfers: QuerySet[Transfer], *, store: Store) -> QuerySet[Transfer]:
    """Requested towards `store`, not yet dispatched, oldest request first."""
    return (
        transfers_with_people(transfers)
        .filter(to_store=store, status=Transfer.Status.REQUESTED)
        .order_by("requested_at", "pk")
    )


def transfer_history(transfers: QuerySet[Transfer], *, store: Store) -> QuerySet[Transfer]:
    """Received, cancelled or declined, from or to `store`, the latest request first."""
    return (
        transfers_with_people(transfers)
        .filter(
            Q(from_store=store) | Q(to_store=store),
            status__in=[
                Transfer.Status.RECEIVED,
                Transfer.Status.CANCELLED,
                Transfer.Status.DECLINED,
            ],
        )
        .order_by("-requested_at", "-pk")
    )


def transfer_queue_counts(*, store: Store) -> dict[str, int]:
    """The queue's tab counts in one query: `count_dispatch` (requested from `store`),
    `count_incoming` (on their way to it) and `count_approve` (customers' requests from or to
    it awaiting approval)."""
    return Transfer.objects.aggregate(
        count_dispatch=Count("pk", filter=Q(from_store=store, status=Transfer.Status.REQUESTED)),
        count_approve=Count(
            "pk",
            filter=(Q(from_store=store) | Q(to_store=store))
            & Q(status=Transfer.Status.AWAITING_APPROVAL),
        ),
        count_incoming=Count("pk", filter=Q(to_store=store, status=Transfer.Status.DISPATCHED)),
    )


def transfer_customer_hold(transfer: Transfer) -> Hold | None:
    """The hold placed when a customer's transfer arrived (the latest, if there were more)."""
    if not transfer.customer_phone or transfer.status != Transfer.Status.RECEIVED:
        return None
    return Hold.objects.filter(transfer=transfer).order_by("-pk").first()


HOLDS_ENDED_SHOWN = 20


def holds_active(*, store: Store) -> QuerySet[Hold]:
    """Active holds at `store` as the counter's timeline: each at the next moment it matters —
    the time the customer said they would come, else the time it runs out (those not yet
    told last)."""
    return (
        Hold.objects.filter(store=store, status=Hold.Status.ACTIVE)
        .select_related("variant__product__brand")
        .alias(next_moment=Coalesce("pickup_at", "expires_at"))
        .order_by(F("next_moment").asc(nulls_last=True), "pk")
    )


def holds_ended_since(*, store: Store, since: datetime) -> list[Hold]:
    """The latest holds at `store` that ended after `since` (at most `HOLDS_ENDED_SHOWN`)."""
    return list(
        Hold.objects.filter(store=store, ended_at__gte=since)
        .exclude(status=Hold.Status.ACTIVE)
        .select_related("variant__product__brand", "ended_by")
        .order_by("-ended_at")[:HOLDS_ENDED_SHOWN]
    )
