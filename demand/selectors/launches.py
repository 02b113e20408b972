"""A launch draw's reads: the open launch of a model, its stores and sizes, demand against
pairs, lookalike entries, the published result, and a number's entries."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext

from catalog.models import Product, Variant
from core.phones import mask_phone
from inventory.models import Store

from ..models import Launch, LaunchAllocation, LaunchEntry


def launch_open_for(product: Product, *, now: datetime | None = None) -> Launch | None:
    """The launch of this model taking entries now, or about to (the product page's)."""
    now = now or timezone.now()
    return (
        Launch.objects.filter(product=product, status=Launch.Status.SCHEDULED, closes_at__gt=now)
        .order_by("opens_at", "pk")
        .first()
    )


def launch_open_for_size(variant_id: int, *, now: datetime | None = None) -> Launch | None:
    """The launch taking entries now for the model of this size (one query: entering)."""
    now = now or timezone.now()
    return (
        Launch.objects.filter(
            product__variants=variant_id,
            product__is_active=True,
            status=Launch.Status.SCHEDULED,
            opens_at__lte=now,
            closes_at__gt=now,
        )
        .order_by("opens_at", "pk")
        .first()
    )


def launch_choices(launch: Launch) -> list[LaunchAllocation]:
    """The stores and sizes a launch draws, for the entry form: store, then size."""
    return list(
        LaunchAllocation.objects.filter(launch=launch, pairs__gt=0)
        .select_related("store", "variant")
        .order_by("store__name_he", "variant__eu_size")
    )


@dataclass(frozen=True)
class DemandRow:
    """One store's size: the pairs a launch draws there and the entries for it."""

    allocation: LaunchAllocation
    entries: int

    @property
    def per_pair(self) -> float | None:
        return self.entries / self.allocation.pairs if self.allocation.pairs else None


def launch_demand(launch: Launch) -> list[DemandRow]:
    """Entries against pairs per store and size (staff's page before the draw): two queries."""
    counts = {
        (row["store_id"], row["variant_id"]): row["n"]
        for row in LaunchEntry.objects.filter(launch=launch)
        .in_draw()
        .values("store_id", "variant_id")
        .annotate(n=Count("pk"))
    }
    return [
        DemandRow(a, counts.get((a.store_id, a.variant_id), 0))
        for a in LaunchAllocation.objects.filter(launch=launch)
        .select_related("store", "variant")
        .order_by("store__name_he", "variant__eu_size")
    ]


@dataclass(frozen=True)
class DuplicateGroup:
    """Entries staff may want to look at before the draw, and why they look alike."""

    reason: str
    entries: list[LaunchEntry]


def launch_duplicates(launch: Launch) -> list[DuplicateGroup]:
    """Entries that look like one person or one reseller: several from one client address (an
    IPv6 /64), and three or more numbers in one run (all but their last two digits alike)."""
    entries = list(
        LaunchEntry.objects.filter(launch=launch)
        .in_draw()
        .select_related("store", "variant")
        .order_by("phone")
    )
    by_client: dict[str, list[LaunchEntry]] = {}
    by_run: dict[str, list[LaunchEntry]] = {}
    for entry in entries:
        if entry.client_key:
            by_client.setdefault(entry.client_key, []).append(entry)
        by_run.setdefault(entry.phone[:-2], []).append(entry)
    groups = [
        DuplicateGroup(gettext("Same connection"), group)
        for group in by_client.values()
        if len(group) > 1
    ]
    groups += [
        DuplicateGroup(gettext("Numbers in a run"), group)
        for group in by_run.values()
        if len(group) > 2
    ]
    return groups


@dataclass(frozen=True)
class PublicRow:
    public_id: str
    masked_phone: str
    rank: int | None
    won: bool


@dataclass(frozen=True)
class PublicGroup:
    """One store's size: its pairs, how many entries were drawn, and (for the one asked for)
    the entries in drawn order."""

    pk: int
    store_id: int
    store: Store
    variant: Variant
    pairs: int
    entries: int
    rows: list[PublicRow]


@dataclass(frozen=True)
class LaunchPublic:
    """What the result page publishes: the commitment from the start; after the draw the seed
    and, per store and size, the entries in drawn order (code, masked number, won)."""

    launch: Launch
    commitment: str
    seed: str | None
    groups: list[PublicGroup]


def launch_public(launch: Launch, *, allocation_id: int | None = None) -> LaunchPublic:
    """The published result: every store's size with its counts, and the drawn order of the
    one `allocation_id` names (a page of thousands of rows would help nobody; the whole list
    is `launch_published_rows`). Before the draw, the commitment only."""
    drawn = launch.seed_published_at is not None
    groups: list[PublicGroup] = []
    if drawn:
        counts = {
            (row["store_id"], row["variant_id"]): row["n"]
            for row in LaunchEntry.objects.filter(launch=launch, rank__isnull=False)
            .values("store_id", "variant_id")
            .annotate(n=Count("pk"))
        }
        for allocation in launch_choices(launch):
            key = (allocation.store_id, allocation.variant_id)
            rows = (
                [
                    PublicRow(public_id, published_number(phone), rank, hold_id is not None)
                    for _s, _v, public_id, phone, rank, hold_id in launch_published_rows(
                        launch, store_id=key[0], variant_id=key[1]
                    )
                ]
                if allocation.pk == allocation_id
                else []
            )
            groups.append(
                PublicGroup(
                    allocation.pk,
                    allocation.store_id,
                    allocation.store,
                    allocation.variant,
                    allocation.pairs,
                    counts.get(key, 0),
                    rows,
                )
            )
    return LaunchPublic(launch, launch.commitment, launch.seed if drawn else None, groups)


def launch_published_rows(
    launch: Launch, *, store_id: int | None = None, variant_id: int | None = None
) -> Iterator[tuple[int, int, str, str, int | None, int]]:
    """The drawn entries as (store id, size id, code, number, place, hold id or None: won),
    in drawn order
    per store's size, streamed (the whole list can be tens of thousands of rows)."""
    rows = LaunchEntry.objects.filter(launch=launch, rank__isnull=False)
    if store_id is not None and variant_id is not None:
        rows = rows.filter(store_id=store_id, variant_id=variant_id)
    return (
        rows.order_by("store_id", "variant_id", "rank")
        .values_list("store_id", "variant_id", "public_id", "phone", "rank", "hold_id")
        .iterator(chunk_size=2000)
    )


def published_number(phone: str) -> str:
    """An entry's number as the published list shows it: masked, or nothing once erased."""
    return "" if phone.startswith(LaunchEntry.ERASED) else mask_phone(phone)


def launch_entries_of_phone(phone: str) -> list[LaunchEntry]:
    """A number's launch entries still to be drawn or in line ("My requests")."""
    return list(
        LaunchEntry.objects.filter(
            phone=phone, status__in=[LaunchEntry.Status.ENTERED, LaunchEntry.Status.IN_LINE]
        )
        .select_related("launch__product", "store", "variant")
        .order_by("launch__draw_at", "pk")
    )


def launch_entries_with_ids(entry_ids: Iterable[int]) -> dict[int, LaunchEntry]:
    return {
        entry.pk: entry
        for entry in LaunchEntry.objects.filter(pk__in=list(entry_ids)).select_related(
            "launch__product", "store", "variant"
        )
    }
