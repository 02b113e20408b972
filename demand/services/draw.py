"""The draw of a launch, provably fair: each store's size orders its entries by
HMAC-SHA256(seed, entry code), the first as many as there are pairs win a hold for the pick-up
window and a text, the rest stand in line in that order (texted "not this time" if they asked),
and the seed is published so that anyone can recompute the order from the published list.

A draw is one transaction per store and size, each marked drawn in its own commit: a crash
mid-draw resumes with the sizes not yet drawn, and drawing again changes nothing. A pair that
comes free later (a winner who lapses or releases, launch pairs arriving by transfer) goes to
the next in line through the allocation (`launch_allocate`), like a lapsed hold's.
"""

import hashlib
import hmac
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from core import versions
from core.ids import pk_of
from core.tasks import queue_after_commit
from inventory import services as inventory
from inventory.models import Hold, StockLevel
from notifications import services as messaging
from notifications.models import Message, OptOut
from notifications.services import quiet_hours_end

from ..models import Launch, LaunchAllocation, LaunchEntry
from .launches import LaunchError, launch_pairs_reserve, launch_pairs_settle

logger = logging.getLogger(__name__)


def order_key(seed: str, public_id: str) -> str:
    """An entry's place in the draw: HMAC-SHA256 keyed by the seed's bytes over the entry's
    code, hex; the lowest comes first."""
    return hmac.new(bytes.fromhex(seed), public_id.encode(), hashlib.sha256).hexdigest()


def drawn_order(seed: str, public_ids: Iterable[str]) -> list[str]:
    """The entry codes of one store's size in drawn order (what anyone can recompute)."""
    return sorted(public_ids, key=lambda public_id: order_key(seed, public_id))


@dataclass(frozen=True)
class DrawResult:
    launch_id: int
    winners: int
    in_line: int
    sizes_drawn: int


def launch_draw(*, launch: Launch | int, now: datetime | None = None) -> DrawResult:
    """Draw every store's size of a launch whose draw time has come, then publish the seed.

    Safe to run twice and to resume: sizes already drawn are skipped, and the order depends
    only on the seed and the entry codes. Raises `LaunchError` before the draw time or for a
    cancelled launch.
    """
    now = now or timezone.now()
    launch_id = pk_of(launch)
    with transaction.atomic():
        locked = Launch.objects.select_for_update().get(pk=launch_id)
        if locked.status == Launch.Status.CANCELLED:
            raise LaunchError(_("This launch was cancelled."))
        if locked.draw_at > now:
            raise LaunchError(_("It is not yet time for this draw."))
        if locked.status == Launch.Status.SCHEDULED:
            locked.status = Launch.Status.DRAWING
            locked.save(update_fields=["status"])
    winners = in_line = drawn = 0
    pending = LaunchAllocation.objects.filter(launch_id=launch_id, drawn_at__isnull=True)
    for allocation_id in pending.order_by("pk").values_list("pk", flat=True):
        won, lost = _draw_allocation(allocation_id, locked, now=now)
        winners, in_line, drawn = winners + won, in_line + lost, drawn + 1
    with transaction.atomic():
        Launch.objects.filter(pk=launch_id, status=Launch.Status.DRAWING).update(
            status=Launch.Status.DRAWN, drawn_at=now, seed_published_at=now
        )
        versions.bump([versions.launches_of(locked.product_id)])
    logger.info("Launch %s drawn: %d winners, %d in line", launch_id, winners, in_line)
    return DrawResult(launch_id, winners, in_line, drawn)


@dataclass(frozen=True)
class _Entrant:
    """What the draw reads of an entry (tuples, not models: a size may have thousands)."""

    pk: int
    public_id: str
    phone: str
    language: str
    result_text: bool


def _draw_allocation(allocation_id: int, launch: Launch, *, now: datetime) -> tuple[int, int]:
    """Draw one store's size, in one transaction: (winners, entrants in line)."""
    with transaction.atomic():
        allocation = (
            LaunchAllocation.objects.select_for_update(of=("self",))
            .select_related("store", "variant__product")
            .get(pk=allocation_id)
        )
        if allocation.drawn_at is not None:  # another worker drew it meanwhile
            return 0, 0
        entries = {
            row[1]: _Entrant(*row)
            for row in LaunchEntry.objects.in_draw()
            .filter(
                launch_id=launch.pk, store_id=allocation.store_id, variant_id=allocation.variant_id
            )
            .values_list("pk", "public_id", "phone", "language", "result_text")
        }
        order = [entries[code] for code in drawn_order(launch.seed, entries)]
        winners, rest = order[: allocation.reserved], order[allocation.reserved :]
        spare = allocation.reserved - len(winners)
        # The winners' pairs become their holds'; with fewer entrants than pairs, the rest go
        # back on sale.
        holds = launch_pairs_settle(allocation, [_hold_request(e, launch, now) for e in winners])
        _entries_ranked(
            allocation, order, {e.pk: h.pk for e, h in zip(winners, holds, strict=True)}
        )
        allocation.drawn_at = now
        allocation.pairs -= spare
        allocation.save(update_fields=["drawn_at", "pairs"])
        _texts_create(launch, allocation, winners, holds, rest, now=now)
    return len(winners), len(rest)


def _hold_request(
    entry: "_Entrant | LaunchEntry", launch: Launch, now: datetime
) -> inventory.HoldRequest:
    return inventory.HoldRequest(
        customer_phone=entry.phone,
        language=entry.language,
        expires_at=now + launch.pickup_window,
    )


def _entries_ranked(
    allocation: LaunchAllocation, order: Sequence[_Entrant], holds: dict[int, int]
) -> None:
    """Each entry's place (1 first), won with its hold or in line, in one statement over the
    rows given as VALUES; the condition on the store's size keeps the join to that size's
    entries (its index), not the whole launch's."""
    if not order:
        return
    table = LaunchEntry._meta.db_table
    rows = ", ".join(["(CAST(%s AS bigint), CAST(%s AS integer), CAST(%s AS bigint))"] * len(order))
    sql = f"""
        WITH v(entry_id, place, hold_id) AS (VALUES {rows})
        UPDATE {table} SET rank = v.place, hold_id = v.hold_id,
               status = CASE WHEN v.hold_id IS NULL THEN %s ELSE %s END, updated_at = %s
        FROM v
        WHERE {table}.id = v.entry_id
          AND {table}.launch_id = %s AND {table}.store_id = %s AND {table}.variant_id = %s
    """  # noqa: S608 (the model's table; every value is a parameter)
    params: list[Any] = []
    for place, entry in enumerate(order, start=1):
        params += [entry.pk, place, holds.get(entry.pk)]
    params += [
        LaunchEntry.Status.IN_LINE.value,
        LaunchEntry.Status.WON.value,
        connection.ops.adapt_datetimefield_value(timezone.now()),
        allocation.launch_id,
        allocation.store_id,
        allocation.variant_id,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _texts_create(
    launch: Launch,
    allocation: LaunchAllocation,
    winners: Sequence[_Entrant],
    holds: Sequence[Hold],
    rest: Sequence[_Entrant],
    *,
    now: datetime,
) -> None:
    """The winners' hold texts (the pair, the store, until when, pick-up planning), queued
    after commit, and the "not this time" texts of those in line who asked for the result,
    written for the due sweep to hand over — in the morning if the draw falls in quiet
    hours."""
    send_after = quiet_hours_end(now)
    messaging.messages_create(
        purpose=Message.Purpose.HOLD_READY,
        texts=[
            messaging.Text(e.phone, e.language, f"hold:{h.pk}", hold_id=h.pk)
            for e, h in zip(winners, holds, strict=True)
        ],
        send_after=send_after,
    )
    told = [(place, e) for place, e in enumerate(rest, start=1) if e.result_text]
    if not told:
        return
    names = _names(allocation)
    messaging.messages_create(
        purpose=Message.Purpose.LAUNCH_RESULT,
        texts=[
            messaging.Text(
                e.phone,
                e.language,
                f"launch:{launch.pk}:result:{e.pk}",
                context={**names.get(e.language, names["he"]), "place": place},
            )
            for place, e in told
        ],
        send_after=send_after,
        # The due sweep hands these over in batches: the winners' texts go first.
        dispatch=False,
    )


def _names(allocation: LaunchAllocation) -> dict[str, dict[str, str]]:
    """What a result text names, per language: the model, the size, the store."""
    store, variant = allocation.store, allocation.variant
    return {
        language: {
            "model": variant.product.name,
            "size": variant.size_label,
            "store": getattr(store, f"name_{language}", "") or store.name_he,
        }
        for language in ("he", "en")
    }


def launch_draws_due(*, now: datetime | None = None) -> list[int]:
    """Queue, after commit, the draw of every launch whose draw time has come and that is not
    drawn yet (scheduled, or a draw a crash left half done: it resumes). Returns their ids."""
    now = now or timezone.now()
    due = list(
        Launch.objects.filter(
            status__in=[Launch.Status.SCHEDULED, Launch.Status.DRAWING], draw_at__lte=now
        )
        .order_by("draw_at", "pk")
        .values_list("pk", flat=True)
    )
    for launch_id in due:
        queue_after_commit("demand.launch_draw", launch_id, what=f"the draw of launch {launch_id}")
    return due


# --- After the draw: pairs that come free go to the next in line ----------------------------


def launch_allocate(*, store_id: int, variant_id: int, level: StockLevel, now: datetime) -> int:
    """Under the stock level's lock (the allocation's): pairs available at this store and size
    go first to launches — set aside for a launch not drawn yet whose pairs are on their way
    here, then held for the next in line of a drawn launch whose pick-up window is still open
    (drawn order), with their hold texts. Returns the pairs taken; the rest are the waitlist's.
    """
    available = level.available
    taken = _set_aside_arrivals(store_id, variant_id, available)
    available -= taken
    if available <= 0:
        return taken
    opted_out = OptOut.objects.filter(phone=OuterRef("phone"))
    nexts = list(
        LaunchEntry.objects.next_in_line()
        .filter(
            store_id=store_id,
            variant_id=variant_id,
            launch__status__in=[Launch.Status.DRAWING, Launch.Status.DRAWN],
        )
        .exclude(Exists(opted_out))
        .select_related("launch")
        .select_for_update(of=("self",))
        .order_by("launch__draw_at", "rank", "id")
    )
    # Only while the launch's pick-up window lasts; after it, the pair is the waitlist's.
    nexts = [e for e in nexts if now < e.launch.draw_at + e.launch.pickup_window][:available]
    if not nexts:
        return taken
    holds = inventory.hold_place_many(
        store=store_id,
        variant=variant_id,
        requests=[_hold_request(e, e.launch, now) for e in nexts],
    )
    for entry, hold in zip(nexts, holds, strict=True):
        LaunchEntry.objects.filter(pk=entry.pk).update(
            status=LaunchEntry.Status.WON, hold_id=hold.pk, updated_at=now
        )
    messaging.messages_create(
        purpose=Message.Purpose.HOLD_READY,
        texts=[
            messaging.Text(e.phone, e.language, f"hold:{h.pk}", hold_id=h.pk)
            for e, h in zip(nexts, holds, strict=True)
        ],
        send_after=quiet_hours_end(now),
    )
    return taken + len(holds)


def _set_aside_arrivals(store_id: int, variant_id: int, available: int) -> int:
    """Launch pairs that arrived by transfer before their draw: set aside for the launch."""
    taken = 0
    waiting_pairs = LaunchAllocation.objects.select_for_update().filter(
        store_id=store_id,
        variant_id=variant_id,
        launch__status=Launch.Status.SCHEDULED,
        drawn_at__isnull=True,
    )
    for allocation in waiting_pairs.order_by("launch__draw_at", "pk"):
        due = min(allocation.pairs - allocation.reserved, available - taken)
        if due <= 0:
            continue
        launch_pairs_reserve([(allocation, due)], announce=False)
        taken += due
    return taken


def launch_wants_pairs(store_id: int, variant_id: int) -> bool:
    """Whether a launch would take a pair that comes free at this store and size."""
    return (
        LaunchEntry.objects.next_in_line()
        .filter(
            store_id=store_id,
            variant_id=variant_id,
            launch__status__in=[Launch.Status.DRAWING, Launch.Status.DRAWN],
        )
        .exists()
        or LaunchAllocation.objects.filter(
            store_id=store_id,
            variant_id=variant_id,
            launch__status=Launch.Status.SCHEDULED,
            reserved__lt=F("pairs"),
        ).exists()
    )


def launch_hold_ended(*, hold: Hold, outcome: str) -> None:
    """Record on the launch entry how its hold ended; the pair itself is handed on by the
    restock signal, like any lapsed hold's."""
    status = (
        LaunchEntry.Status.COLLECTED
        if outcome == Hold.Status.COLLECTED
        else LaunchEntry.Status.LAPSED
    )
    LaunchEntry.objects.filter(hold_id=hold.pk, status=LaunchEntry.Status.WON).update(
        status=status, updated_at=timezone.now()
    )
