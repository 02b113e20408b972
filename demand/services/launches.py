"""Launch draws before the draw: creating a launch (its pairs reserved through the stock
services, so it cannot promise pairs that are not there), changing or moving its pairs, and
entering it.

Entering is one short transaction: one entry per confirmed number per launch (entering again
replaces the size and store), at most `LAUNCH_ENTRIES_PER_CLIENT` entries from one client
address (an IPv6 address counted by its /64), and the per-address rate limit. The draw itself
is `draw`.
"""

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Product, Variant
from core.clientip import client_key
from core.errors import DomainError
from core.ids import pk_of
from core.ratelimit import hit
from core.users import Actor
from inventory import policy
from inventory import services as inventory
from inventory.models import Hold, Store, Transfer
from notifications.models import ConfirmedNumber

from ..models import Launch, LaunchAllocation, LaunchEntry

# (store id, variant id) → pairs.
Pairs = Mapping[tuple[int, int], int]


class LaunchError(DomainError):
    """A launch change or an entry the rules refuse."""


class EntryCapReached(LaunchError):
    """This client address already has as many entries in this launch as it may."""


def commitment_of(seed: str) -> str:
    """The commitment published when entries open: SHA-256 of the seed's bytes, hex."""
    return hashlib.sha256(bytes.fromhex(seed)).hexdigest()


@dataclass(frozen=True)
class LaunchTimes:
    opens_at: datetime
    closes_at: datetime
    draw_at: datetime
    pickup_hours: int = 48

    def check(self) -> None:
        if not self.opens_at < self.closes_at <= self.draw_at:
            raise LaunchError(
                _("Entries must open before they close, and close no later than the draw.")
            )
        if self.pickup_hours < 1:
            raise LaunchError(_("The pick-up window must be at least one hour."))


def _check_pairs(product: Product, pairs: Pairs) -> None:
    sizes = set(Variant.objects.filter(product=product).values_list("pk", flat=True))
    stores = {store.pk: store for store in Store.objects.filter(pk__in={s for s, _v in pairs})}
    for (store_id, variant_id), count in pairs.items():
        store = stores.get(store_id)
        if store is None or not policy.is_customer_store(store):
            raise LaunchError(_("Launch pairs can only be drawn at an open shop."))
        if variant_id not in sizes:
            raise LaunchError(_("Every size of a launch must be a size of its model."))
        if count < 0:
            raise LaunchError(_("The pairs of a size cannot be negative."))


def launch_create(
    *, product: Product, times: LaunchTimes, pairs: Pairs, user: Actor = None
) -> Launch:
    """Create a launch and reserve its pairs at each store and size, all or none, with a fresh
    secret seed and its commitment.

    Raises `LaunchError` (times out of order, a closed store or the warehouse, a size of
    another model) and `InsufficientStock` naming every size and store with fewer pairs
    available than the launch asks for — nothing is created then.
    """
    times.check()
    _check_pairs(product, pairs)
    seed = secrets.token_hex(32)
    with transaction.atomic():
        launch = Launch.objects.create(
            product=product,
            opens_at=times.opens_at,
            closes_at=times.closes_at,
            draw_at=times.draw_at,
            pickup_hours=times.pickup_hours,
            seed=seed,
            commitment=commitment_of(seed),
        )
        _set_pairs(launch, pairs, user=user)
    return launch


def launch_set_pairs(*, launch: Launch, pairs: Pairs, user: Actor = None) -> Launch:
    """Change the pairs of some stores and sizes before the draw (0 takes a store's size out):
    the difference is reserved or given back at each store. Raises `LaunchError` once the draw
    has started, `InsufficientStock` as `launch_create`."""
    _check_pairs(launch.product, pairs)
    with transaction.atomic():
        locked = _lock_scheduled(launch)
        _set_pairs(locked, pairs, user=user)
    return locked


def _lock_scheduled(launch: Launch | int) -> Launch:
    locked = Launch.objects.select_for_update().get(pk=pk_of(launch))
    if locked.status != Launch.Status.SCHEDULED:
        raise LaunchError(_("This launch has been drawn or cancelled: its pairs are settled."))
    return locked


def launch_pairs_reserve(
    moves: Sequence[tuple[LaunchAllocation, int]], *, user: Actor = None, announce: bool = True
) -> None:
    """Reserve (a positive count) or give back (negative) launch pairs at their stores, in
    the caller's transaction: the stock levels through `inventory.stock_apply` (one call, so
    the levels lock in order) and, with them, each allocation's count of the pairs it holds
    there. The caller has locked the allocations; `announce` as for `stock_apply`."""
    moves = [(allocation, delta) for allocation, delta in moves if delta]
    if not moves:
        return
    inventory.stock_apply(
        changes=[
            inventory.StockChange(a.store_id, a.variant_id, reserve=delta) for a, delta in moves
        ],
        user=user,
        announce=announce,
    )
    for allocation, delta in moves:
        _count_reserved(allocation, delta)


def launch_pairs_settle(
    allocation: LaunchAllocation, requests: Sequence[inventory.HoldRequest]
) -> list[Hold]:
    """At the draw, in the caller's transaction (the allocation locked): the launch's pairs
    at this store's size become `requests`' holds — still reserved at the stock level, now by
    the holds (`inventory.holds_insert_reserved`) — and those no winner takes go back on sale.
    The allocation holds no pairs after it."""
    if len(requests) > allocation.reserved:  # a caller's mistake, never a customer's
        raise ValueError(f"{len(requests)} winners for {allocation.reserved} pairs")
    holds = inventory.holds_insert_reserved(
        list(requests), store_id=allocation.store_id, variant_id=allocation.variant_id
    )
    launch_pairs_reserve([(allocation, -(allocation.reserved - len(holds)))])
    _count_reserved(allocation, -len(holds))
    return holds


def _count_reserved(allocation: LaunchAllocation, delta: int) -> None:
    """The allocation's own count of the launch pairs it holds, moved with the stock levels
    (`launch_pairs_reserve`, `launch_pairs_settle`): the one place that writes it."""
    LaunchAllocation.objects.filter(pk=allocation.pk).update(reserved=F("reserved") + delta)
    allocation.reserved += delta


def _set_pairs(launch: Launch, pairs: Pairs, *, user: Actor) -> None:
    existing = {
        (a.store_id, a.variant_id): a
        for a in LaunchAllocation.objects.select_for_update().filter(launch=launch)
    }
    moves, fewer = [], []
    for key, count in sorted(pairs.items()):
        allocation = existing.get(key) or LaunchAllocation(
            launch=launch, store_id=key[0], variant_id=key[1], pairs=0
        )
        if allocation.pk is None and not count:
            continue
        # Pairs on their way to this store for the launch are set aside when they arrive.
        on_the_way = allocation.pairs - allocation.reserved
        moves.append((allocation, max(count - on_the_way, 0) - allocation.reserved))
        if count < allocation.pairs:  # lowered once the pairs are given back (reserved <= pairs)
            fewer.append((allocation, count))
        else:
            allocation.pairs = count
            allocation.save()
    launch_pairs_reserve(moves, user=user)
    for allocation, count in fewer:
        allocation.pairs = count
        allocation.save(update_fields=["pairs"])


def launch_move_pairs(
    *,
    launch: Launch,
    variant: Variant | int,
    from_store: Store | int,
    to_store: Store | int,
    quantity: int,
    user: Actor,
) -> Transfer:
    """Before the draw, send `quantity` of a size's launch pairs from one store to another
    (where demand is higher): a transfer through the transfer service, the pairs counted at
    the destination at once and set aside there for the launch when they arrive.

    Raises `LaunchError` after the draw or for more pairs than the source has set aside,
    `InvalidTransfer` / `InvalidQuantity` as the transfer service does.
    """
    variant_id, from_id, to_id = pk_of(variant), pk_of(from_store), pk_of(to_store)
    with transaction.atomic():
        locked = _lock_scheduled(launch)
        source = (
            LaunchAllocation.objects.select_for_update()
            .filter(launch=locked, store_id=from_id, variant_id=variant_id)
            .first()
        )
        if source is None or source.reserved < quantity or quantity < 1:
            raise LaunchError(
                _("That store has only %(count)d launch pairs of this size to send.")
                % {"count": 0 if source is None else source.reserved}
            )
        target = LaunchAllocation.objects.filter(
            launch=locked, store_id=to_id, variant_id=variant_id
        ).first() or LaunchAllocation(launch=locked, store_id=to_id, variant_id=variant_id, pairs=0)
        _check_pairs(locked.product, {(to_id, variant_id): quantity})
        # The launch gives the pairs back and the transfer reserves them again, in one commit.
        launch_pairs_reserve([(source, -quantity)], user=user, announce=False)
        transfer = inventory.transfer_request(
            variant=variant_id,
            from_store=from_id,
            to_store=to_id,
            quantity=quantity,
            note=_("Launch pairs: %(launch)s") % {"launch": locked},
            user=user,
        )
        source.pairs -= quantity
        source.save(update_fields=["pairs"])
        target.pairs += quantity
        target.save()
    return transfer


def launch_enter(
    *,
    launch: Launch,
    store: Store | int,
    variant: Variant | int,
    phone: str,
    client_ip: str,
    result_text: bool,
    language: str = "he",
    now: datetime | None = None,
) -> LaunchEntry:
    """Enter `phone` (E.164, confirmed) in the draw of one size at one store; entering again
    replaces the size and store (the entry keeps its code). One short transaction.

    Raises `LaunchError` (entries closed, a number not confirmed, a size or store the launch
    does not draw), `EntryCapReached` (this client address has entered as many numbers as
    `LAUNCH_ENTRIES_PER_CLIENT`) and `RateLimited`.
    """
    now = now or timezone.now()
    client = client_key(client_ip)
    hit("launch_enter_per_ip", client)
    if not launch.is_open(now):
        raise LaunchError(_("Entries for this draw are closed."))
    if not ConfirmedNumber.objects.filter(phone=phone).exists():
        raise LaunchError(_("Confirm your number with the code we texted first."))
    key = (pk_of(store), pk_of(variant))
    if not LaunchAllocation.objects.filter(
        launch=launch, store_id=key[0], variant_id=key[1], pairs__gt=0
    ).exists():
        raise LaunchError(_("This size is not drawn at this store."))
    try:
        with transaction.atomic():
            entry = _entry_for(launch, phone, client)
            entry.store_id, entry.variant_id = key
            entry.language, entry.result_text, entry.client_key = language, result_text, client
            entry.save()
    except IntegrityError:  # the same number entered at the same moment elsewhere
        raise LaunchError(_("This number has just entered; try again.")) from None
    return entry


def _entry_for(launch: Launch, phone: str, client: str) -> LaunchEntry:
    """The number's entry to change, or a new one within the client address's cap (checked
    under the address's lock, so concurrent entries cannot pass it together)."""
    entry = LaunchEntry.objects.filter(launch=launch, phone=phone).first()
    if entry is not None and entry.status == LaunchEntry.Status.ENTERED:
        return entry
    if entry is not None and entry.status != LaunchEntry.Status.WITHDRAWN:
        raise LaunchError(_("This number's entry cannot be changed any more."))
    _lock_client(launch.pk, client)
    _check_cap(launch, client)
    if entry is None:
        return LaunchEntry(launch=launch, phone=phone, public_id=secrets.token_hex(6))
    entry.status = LaunchEntry.Status.ENTERED  # entering again after withdrawing
    return entry


def _lock_client(launch_id: int, client: str) -> None:
    """Serialise the entries of one client address in one launch, so the cap holds under
    concurrent requests (a transaction-scoped advisory lock on PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    digest = int.from_bytes(hashlib.sha256(f"{launch_id}:{client}".encode()).digest()[:8], "big")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [digest - (1 << 63)])


def _check_cap(launch: Launch, client: str) -> None:
    cap = settings.LAUNCH_ENTRIES_PER_CLIENT
    entered = (
        LaunchEntry.objects.filter(launch=launch, client_key=client)
        .exclude(status=LaunchEntry.Status.WITHDRAWN)
        .count()
    )
    if entered >= cap:
        raise EntryCapReached(
            _("Only %(cap)d entries may come from one connection for this draw.") % {"cap": cap},
            cap=cap,
        )


def launch_entry_withdraw(*, entry: LaunchEntry, phone: str) -> LaunchEntry:
    """The entrant takes their entry out: before the draw, or after it while next in line (it
    keeps its place in the published order; a pair that comes free goes to the next). Raises
    `LaunchError` once a pair was held for it."""
    with transaction.atomic():
        locked = LaunchEntry.objects.select_for_update().get(pk=entry.pk, phone=phone)
        if locked.status not in (LaunchEntry.Status.ENTERED, LaunchEntry.Status.IN_LINE):
            raise LaunchError(_("This entry has already been drawn."))
        locked.status = LaunchEntry.Status.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
    return locked


def launch_entry_disqualify(*, entry: LaunchEntry, note: str, user: Actor = None) -> LaunchEntry:
    """Staff take a duplicate or reseller entry out of the draw, with a note. Only before the
    draw; raises `LaunchError` after it."""
    with transaction.atomic():
        _lock_scheduled(entry.launch_id)
        locked = LaunchEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.status != LaunchEntry.Status.ENTERED:
            raise LaunchError(_("Only an entry waiting for the draw can be disqualified."))
        locked.status = LaunchEntry.Status.DISQUALIFIED
        locked.note = note[:200]
        locked.save(update_fields=["status", "note", "updated_at"])
    return locked


def launch_cancel(*, launch: Launch, user: Actor = None) -> Launch:
    """Call a launch off before its draw: every pair set aside for it goes back on sale (the
    next person waiting for it gets it). Raises `LaunchError` once the draw has started."""
    with transaction.atomic():
        locked = _lock_scheduled(launch)
        allocations = list(
            LaunchAllocation.objects.select_for_update().filter(launch=locked, reserved__gt=0)
        )
        launch_pairs_reserve([(a, -a.reserved) for a in allocations], user=user)
        locked.status = Launch.Status.CANCELLED
        locked.save(update_fields=["status"])
    return locked
