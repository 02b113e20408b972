"""Reads shared by the customers' request pages, the staff pages and the admin; a launch
draw's reads are in `launches` (re-exported here)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from catalog.models import Product, Variant
from inventory.geo import city_by_slug, great_circle_km, point_of
from inventory.models import Hold, StockLevel, Store, Transfer
from inventory.selectors import TransferSource, transfer_sources
from notifications.models import Message, OptOut
from notifications.routing import Subject

from ..models import TransferSuggestion, WaitlistEntry
from .launches import DemandRow as DemandRow
from .launches import DuplicateGroup as DuplicateGroup
from .launches import LaunchPublic as LaunchPublic
from .launches import PublicGroup as PublicGroup
from .launches import PublicRow as PublicRow
from .launches import launch_choices as launch_choices
from .launches import launch_demand as launch_demand
from .launches import launch_duplicates as launch_duplicates
from .launches import launch_entries_of_phone as launch_entries_of_phone
from .launches import launch_entries_with_ids as launch_entries_with_ids
from .launches import launch_open_for as launch_open_for
from .launches import launch_open_for_size as launch_open_for_size
from .launches import launch_public as launch_public
from .launches import launch_published_rows as launch_published_rows
from .launches import published_number as published_number


@dataclass(frozen=True)
class StoreChoice:
    store: Store
    km: float | None


def stores_by_distance(city_slug: str | None) -> list[StoreChoice]:
    """Stores a customer can pick, nearest to `city_slug` first (by name without a city)."""
    stores = list(Store.objects.for_customers())
    city = city_by_slug(city_slug)
    if city is None:
        return [StoreChoice(store=s, km=None) for s in sorted(stores, key=lambda s: str(s.name))]
    choices = [StoreChoice(store=s, km=great_circle_km(city.point, point_of(s))) for s in stores]
    return sorted(choices, key=lambda c: (c.km or 0.0, str(c.store.name)))


def signup_variant(variant_id: int | None) -> Variant | None:
    """The size a sign-up starts from, with its product and the product's other sizes."""
    if variant_id is None:
        return None
    return (
        Variant.objects.select_related("product__brand")
        .prefetch_related(
            Prefetch("product__variants", queryset=Variant.objects.order_by("eu_size"))
        )
        .filter(pk=variant_id, product__is_active=True)
        .first()
    )


def product_sizes(product: Product) -> Sequence[Variant]:
    return list(product.variants.all())


def alerts_for_phone(phone: str, *, days: int = 30) -> QuerySet[WaitlistEntry]:
    """A number's alerts: open ones, held pairs, and what ended in the last `days`."""
    since = timezone.now() - timedelta(days=days)
    return (
        WaitlistEntry.objects.filter(phone=phone)
        .filter(
            Q(
                status__in=[
                    WaitlistEntry.Status.PENDING,
                    WaitlistEntry.Status.ACTIVE,
                    WaitlistEntry.Status.TRANSFER,
                    WaitlistEntry.Status.HELD,
                ]
            )
            | Q(ended_at__gte=since)
        )
        .select_related("variant__product", "store", "hold")
        .order_by("-created_at")
    )


def entries_with_ids(entry_ids: Iterable[int]) -> list[WaitlistEntry]:
    """The entries a browser signed up (ids from its session), with what the page names."""
    return list(
        WaitlistEntry.objects.filter(pk__in=list(entry_ids)).select_related(
            "variant__product", "store", "hold"
        )
    )


def entry_of_phone(entry_id: int, phone: str) -> WaitlistEntry | None:
    """One of `phone`'s entries, or None (an id from a form may name anyone's)."""
    return WaitlistEntry.objects.filter(pk=entry_id, phone=phone).first()


def active_hold_of(message: Message) -> Hold | None:
    if message.hold_id is None:
        return None
    return (
        Hold.objects.select_related("variant__product", "store")
        .filter(pk=message.hold_id, status=Hold.Status.ACTIVE)
        .first()
    )


def hold_of(message: Message) -> Hold | None:
    """The hold a text was about, whatever its status now (None for other texts)."""
    if message.hold_id is None:
        return None
    return (
        Hold.objects.select_related("variant__product", "store").filter(pk=message.hold_id).first()
    )


def transfer_suggestions_for(*, store: Store) -> list[TransferSuggestion]:
    """Suggestions proposed to or from `store`, longest wait first, each with
    `waiting_entries`: the customers it serves who are still waiting, oldest first."""
    waiting = WaitlistEntry.objects.waiting().exclude(
        Exists(OptOut.objects.filter(phone=OuterRef("phone")))
    )
    return list(
        TransferSuggestion.objects.filter(status=TransferSuggestion.Status.PROPOSED)
        .filter(Q(from_store=store) | Q(to_store=store))
        .select_related("variant__product__brand", "from_store", "to_store")
        .prefetch_related(Prefetch("entries", queryset=waiting, to_attr="waiting_entries"))
    )


def customer_store(store_id: int | None) -> Store | None:
    """A shop a customer can pick (never the warehouse or a closed store)."""
    if store_id is None:
        return None
    return Store.objects.for_customers().filter(pk=store_id).first()


def available_at(variant: Variant, store: Store) -> int:
    """Pairs of `variant` a customer could have held at `store` now."""
    level = StockLevel.objects.filter(variant=variant, store=store).first()
    return level.available if level is not None else 0


def bring_source(variant: Variant, store: Store) -> TransferSource | None:
    """Where a pair for `store` would come from now (the soonest, then nearest), if anywhere."""
    sources = transfer_sources(variant_id=variant.pk, destination=store)
    return sources[0] if sources else None


def requested_holds(hold_ids: Iterable[int]) -> dict[int, Hold]:
    return {
        hold.pk: hold
        for hold in Hold.objects.filter(pk__in=list(hold_ids)).select_related(
            "variant__product", "store"
        )
    }


def requested_transfers(transfer_ids: Iterable[int]) -> dict[int, Transfer]:
    return {
        t.pk: t
        for t in Transfer.objects.filter(pk__in=list(transfer_ids)).select_related(
            "variant__product", "to_store"
        )
    }


def declined_transfer_of(message: Message) -> Transfer | None:
    """The declined request a text is about, whose page offers the waitlist."""
    if message.purpose != Message.Purpose.TRANSFER_DECLINED or message.transfer_id is None:
        return None
    return (
        Transfer.objects.select_related("variant__product", "to_store")
        .filter(pk=message.transfer_id)
        .first()
    )


def open_hold_of_phone(hold_id: int, phone: str) -> Hold | None:
    """One of `phone`'s held pairs, still active, or None (an id from a form may name anyone's)."""
    return (
        Hold.objects.select_related("variant__product", "store")
        .filter(pk=hold_id, customer_phone=phone, status=Hold.Status.ACTIVE)
        .first()
    )


@dataclass(frozen=True)
class HeldPair:
    """A pair held for the number, and the latest text about it (whose link opens the hold's
    pick-up page), if one was written."""

    hold: Hold
    text_id: int | None


@dataclass(frozen=True)
class MyRequests:
    """Everything open for one number, for its "My requests" page.

    `waiting`: alerts waiting for a size (pending or active). `held`: pairs held for it now
    (from an alert, "hold a pair for me", or a transfer that arrived). `coming`: pairs on their
    way to it (its own "bring it to my store" once approved, and suggested transfers for its
    alerts). `awaiting_staff`: its "bring it to my store" requests the store has not answered.
    """

    waiting: list[WaitlistEntry]
    held: list[HeldPair]
    coming: list[Transfer]
    awaiting_staff: list[Transfer]

    @property
    def empty(self) -> bool:
        return not (self.waiting or self.held or self.coming or self.awaiting_staff)


def my_requests(phone: str, *, now: datetime | None = None) -> MyRequests:
    """What is open for `phone` (E.164), in four lists; four queries whatever their length."""
    now = now or timezone.now()
    waiting = list(
        WaitlistEntry.objects.filter(phone=phone, status__in=WaitlistEntry.OPEN_STATUSES)
        .select_related("variant__product", "store")
        .order_by("-created_at", "-id")
    )
    latest_text = (
        Message.objects.filter(hold_id=OuterRef("pk"))
        .exclude(purpose=Message.Purpose.VERIFICATION)
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )
    holds = (
        Hold.objects.filter(customer_phone=phone, status=Hold.Status.ACTIVE)
        # An expired hold is honoured on read: it is no longer the customer's.
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related("variant__product", "store")
        .annotate(text_id=Subquery(latest_text))
        .order_by("expires_at", "id")
    )
    # Transfers for this number's alerts (suggested ones) are on their way to it too.
    for_alerts = WaitlistEntry.objects.filter(
        transfer_id=OuterRef("pk"), phone=phone, status=WaitlistEntry.Status.TRANSFER
    )
    transfers = list(
        Transfer.objects.filter(
            customer_phone=phone,
            status__in=[
                Transfer.Status.AWAITING_APPROVAL,
                Transfer.Status.REQUESTED,
                Transfer.Status.DISPATCHED,
            ],
        )
        .filter(Q(origin=Transfer.Origin.CUSTOMER) | Q(Exists(for_alerts)))
        .select_related("variant__product", "to_store")
        .order_by("expected_date", "id")
    )
    return MyRequests(
        waiting=waiting,
        held=[HeldPair(hold=hold, text_id=getattr(hold, "text_id", None)) for hold in holds],
        coming=[t for t in transfers if t.status != Transfer.Status.AWAITING_APPROVAL],
        awaiting_staff=[t for t in transfers if t.status == Transfer.Status.AWAITING_APPROVAL],
    )


def waitlist_subject_for(*, phone: str) -> Subject | None:
    """What a number waits for, for the store inbox: its newest open alert's store, and the
    model and size in the alert's language."""
    entry = (
        WaitlistEntry.objects.open()
        .filter(phone=phone)
        .select_related("variant__product")
        .order_by("-created_at", "-pk")
        .first()
    )
    if entry is None:
        return None
    label = f"{entry.variant.product.name} · {entry.variant.size_label}"
    return Subject(store_id=entry.store_id, label=label, language=entry.language)
