"""Reads of the managers' dashboard: the period's figures, from the daily totals the database
keeps (insights.totals), and the sizes customers are waiting for."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext

from demand.models import WaitlistEntry
from inventory.models import Hold, Store, Transfer
from notifications.models import Message
from reviews.models import Rating

from .aggregates import median_seconds
from .models import DailyCollection, DailyDuration, DailyTotal
from .totals import TOTAL_COLUMNS, histogram_median


@dataclass(frozen=True)
class Period:
    """Whole days from `start` to `end` inclusive, in the site's time zone; one store or all."""

    start: date
    end: date
    store: Store | None = None

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def within(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__gte": self.since, f"{field_name}__lt": self.until})

    def at_store(self, field_name: str = "store") -> Q:
        return Q(**{field_name: self.store}) if self.store is not None else Q()


@dataclass(frozen=True)
class Collected:
    """Pairs collected and what they were worth, at the prices when collected."""

    pairs: int = 0
    value: Decimal = Decimal(0)

    def __add__(self, other: "Collected") -> "Collected":
        return Collected(self.pairs + other.pairs, self.value + other.value)


@dataclass
class StoreMoney:
    store: Store
    cells: list[Collected]  # one a labelled purpose, in `Money.purposes` order
    total: Collected  # every purpose


@dataclass
class Money:
    """Pairs collected in the period (by the day collected) per hold purpose, per store and in
    total. A purpose has a column when it has a label (`Hold.Purpose`); the totals count every
    pair."""

    purposes: list[tuple[str, str]]
    stores: list[StoreMoney]
    cells: list[Collected]
    total: Collected

    @property
    def columns(self) -> int:
        """The table's columns: the store, pairs and value for each purpose and the total."""
        return 2 * len(self.purposes) + 3


@dataclass
class Dashboard:
    period: Period
    signups: int
    texts_sent: int
    holds: dict[str, int]
    collected_from_signups: int
    median_signup_to_text: float | None
    median_text_to_collection: float | None
    transfers_requested: int
    transfers_received: int
    median_transfer_lead: float | None
    rating_count: int
    rating_average: float | None
    rating_distribution: list[int]
    recent_comments: list[Rating]
    open_flags: list[Rating]
    demand: list[dict[str, Any]]
    trend: list[dict[str, Any]]
    money: Money

    @property
    def conversion(self) -> float | None:
        """Share of the period's sign-ups whose pair was collected."""
        return self.collected_from_signups / self.signups if self.signups else None

    @property
    def funnel(self) -> list[tuple[str, int]]:
        return [
            (gettext("Signed up"), self.signups),
            (gettext("Pair held"), self.holds["created"]),
            (gettext("Collected"), self.holds["collected"]),
        ]


HOLD_FIGURES = ("created", "active", "collected", "released", "expired")

# Up to this many durations a median is exact, from the raw rows (cheap at that size: one
# store's year is about 5,000); past it, it is read from the daily histograms.
MEDIAN_EXACT_UP_TO = 10_000


def dashboard(*, period: Period, from_rows: bool = False) -> Dashboard:
    """Every figure of the managers' dashboard, with a fixed number of queries whatever the
    length of the period or the number of stores. The counts come from the daily totals the
    database keeps (insights.totals); `from_rows` counts the raw rows instead, the reference
    the totals are checked against (no page uses it)."""
    raw_medians = _raw_medians(period)
    if from_rows:
        days = _days_from_rows(period)
        collections = _collections_from_rows(period)
        medians = {measure: median() for measure, median in raw_medians.items()}
    else:
        days, collections = _days_from_totals(period), _collections_from_totals(period)
        medians = _medians_from_totals(period, raw_medians)
    sums = {column: sum(day[column] for day in days.values()) for column in TOTAL_COLUMNS}
    ratings = Rating.objects.filter(period.within("created_at"), period.at_store())
    open_flags = Rating.objects.filter(
        period.at_store(), needs_callback=True, handled_at__isnull=True
    )
    return Dashboard(
        period=period,
        signups=sums["signups"],
        texts_sent=sums["texts_sent"],
        holds={figure: sums[f"holds_{figure}"] for figure in HOLD_FIGURES},
        collected_from_signups=sums["signups_collected"],
        median_signup_to_text=medians[DailyDuration.Measure.SIGNUP_TO_TEXT],
        median_text_to_collection=medians[DailyDuration.Measure.TEXT_TO_COLLECTION],
        transfers_requested=sums["transfers_requested"],
        transfers_received=sums["transfers_received"],
        median_transfer_lead=medians[DailyDuration.Measure.TRANSFER_LEAD],
        rating_count=sums["ratings"],
        rating_average=sums["rating_points"] / sums["ratings"] if sums["ratings"] else None,
        rating_distribution=[sums[f"ratings_{n}"] for n in range(1, 6)],
        recent_comments=list(_ratings_with_context(ratings.exclude(comment=""))[:10]),
        open_flags=list(_ratings_with_context(open_flags).order_by("created_at")[:50]),
        demand=waitlist_demand(store=period.store),
        trend=_trend(period, days),
        money=_money(collections),
    )


def _entries(period: Period) -> QuerySet[WaitlistEntry]:
    return WaitlistEntry.objects.filter(
        period.within("created_at"), period.at_store(), activated_at__isnull=False
    )


def _holds(period: Period) -> QuerySet[Hold]:
    return Hold.objects.filter(period.within("created_at"), period.at_store())


def _transfers(period: Period) -> QuerySet[Transfer]:
    return Transfer.objects.filter(period.within("requested_at"), period.at_store("to_store"))


def _raw_medians(period: Period) -> dict[str, Callable[[], float | None]]:
    """The exact medians from the raw rows, each run only when asked for."""
    return {
        # A hold comes after its sign-up: bounding it too lets the database use its index.
        DailyDuration.Measure.SIGNUP_TO_TEXT: lambda: median_seconds(
            _entries(period).filter(hold__created_at__gte=period.since),
            start="created_at",
            end="hold__notified_at",
        ),
        DailyDuration.Measure.TEXT_TO_COLLECTION: lambda: median_seconds(
            _holds(period).filter(status=Hold.Status.COLLECTED),
            start="notified_at",
            end="ended_at",
        ),
        DailyDuration.Measure.TRANSFER_LEAD: lambda: median_seconds(
            _transfers(period), start="requested_at", end="received_at"
        ),
    }


def _trend(period: Period, days: dict[date, dict[str, int]]) -> list[dict[str, Any]]:
    return [
        {
            "day": day,
            "signups": days.get(day, {}).get("signups", 0),
            "collected": days.get(day, {}).get("collected", 0),
            "rating": (
                days[day]["rating_points"] / days[day]["ratings"]
                if day in days and days[day]["ratings"]
                else None
            ),
        }
        for day in period.days()
    ]


def _in_period(period: Period) -> Q:
    return Q(day__gte=period.start, day__lte=period.end) & period.at_store()


def _days_from_totals(period: Period) -> dict[date, dict[str, int]]:
    rows = (
        DailyTotal.objects.filter(_in_period(period))
        .values("day")
        .annotate(**{column: Sum(column) for column in TOTAL_COLUMNS})
        .order_by()
    )
    return {
        row["day"]: {column: row[column] for column in TOTAL_COLUMNS}  # type: ignore[literal-required]
        for row in rows
    }


def _medians_from_totals(
    period: Period, raw: dict[str, Callable[[], float | None]]
) -> dict[str, float | None]:
    histograms: dict[str, dict[int, int]] = {measure: {} for measure in raw}
    stores = Q(store__isnull=True) if period.store is None else Q(store=period.store)
    rows = (
        DailyDuration.objects.filter(stores, day__gte=period.start, day__lte=period.end)
        .values("measure", "bucket")
        .annotate(n=Sum("count"))
        .order_by()
        .values_list("measure", "bucket", "n")
    )
    for measure, bucket, n in rows:
        histograms.setdefault(measure, {})[bucket] = n
    return {
        measure: (
            raw[measure]()
            if 0 < sum(histograms[measure].values()) <= MEDIAN_EXACT_UP_TO
            else histogram_median(histograms[measure])
        )
        for measure in raw
    }


def _collections_from_totals(period: Period) -> list[tuple[int, str, int, Decimal]]:
    return list(
        DailyCollection.objects.filter(_in_period(period))
        .values("store_id", "purpose")
        .annotate(p=Sum("pairs"), v=Sum("value"))
        .order_by()
        .values_list("store_id", "purpose", "p", "v")
    )


def _collections_from_rows(period: Period) -> list[tuple[int, str, int, Decimal]]:
    return list(
        Hold.objects.filter(
            period.within("ended_at"), period.at_store(), status=Hold.Status.COLLECTED
        )
        .values("store_id", "purpose")
        .annotate(p=Count("id"), v=Coalesce(Sum("collected_price"), Decimal(0)))
        .order_by()
        .values_list("store_id", "purpose", "p", "v")
    )


def _money(collections: list[tuple[int, str, int, Decimal]]) -> Money:
    purposes = list(Hold.Purpose.choices)
    per_store: dict[int, dict[str, Collected]] = {}
    for store_id, purpose, pairs, value in collections:
        cell = per_store.setdefault(store_id, {}).get(purpose, Collected())
        per_store[store_id][purpose] = cell + Collected(pairs, value or Decimal(0))
    stores = []
    for store in Store.objects.filter(pk__in=per_store):
        by_purpose = per_store[store.pk]
        stores.append(
            StoreMoney(
                store=store,
                cells=[by_purpose.get(value, Collected()) for value, _label in purposes],
                total=sum(by_purpose.values(), Collected()),
            )
        )
    return Money(
        purposes=[(str(value), str(label)) for value, label in purposes],
        stores=stores,
        cells=[sum((row.cells[n] for row in stores), Collected()) for n in range(len(purposes))],
        total=sum((row.total for row in stores), Collected()),
    )


def _ratings_with_context(ratings: QuerySet[Rating]) -> QuerySet[Rating]:
    return ratings.select_related("store", "hold__variant__product")


def waitlist_demand(*, store: Store | None, limit: int = 25) -> list[dict[str, Any]]:
    """Sizes customers are waiting for now, most wanted first: what to order next."""
    waiting = WaitlistEntry.objects.filter(status=WaitlistEntry.Status.ACTIVE)
    if store is not None:
        waiting = waiting.filter(store=store)
    rows = (
        waiting.values(
            "variant__product__brand__name",
            "variant__product__name",
            "variant__product__style_code",
            "variant__eu_size",
        )
        .annotate(
            waiting=Count("id"), stores=Count("store", distinct=True), oldest=Min("created_at")
        )
        .order_by("-waiting", "oldest")[:limit]
    )
    return [dict(row) for row in rows]


def _texts(period: Period) -> QuerySet[Message]:
    texts = Message.objects.filter(period.within("sent_at"))
    if period.store is None:
        return texts
    # A text belongs to its hold's store (as in the kept totals); a subquery, not a join.
    return texts.filter(hold__in=Hold.objects.filter(store=period.store).values("pk"))


def _days_from_rows(period: Period) -> dict[date, dict[str, int]]:
    """The daily totals counted from the raw rows by the ORM: the reference `dashboard` checks
    the kept totals against, written apart from their SQL."""
    tz = timezone.get_current_timezone()
    days: dict[date, dict[str, int]] = {}

    def add(queryset: QuerySet[Any], at: str, **figures: Any) -> None:
        rows = (
            queryset.annotate(day=TruncDate(at, tzinfo=tz))
            .values("day")
            .annotate(**figures)
            .order_by()
        )
        for row in rows:
            day = days.setdefault(row.pop("day"), dict.fromkeys(TOTAL_COLUMNS, 0))
            for column, value in row.items():
                day[column] += value or 0

    add(
        _entries(period),
        "created_at",
        signups=Count("id"),
        signups_collected=Count("id", filter=Q(status=WaitlistEntry.Status.COLLECTED)),
    )
    add(
        _holds(period),
        "created_at",
        holds_created=Count("id"),
        **{f"holds_{status}": Count("id", filter=Q(status=status)) for status in HOLD_FIGURES[1:]},
    )
    add(
        Hold.objects.filter(
            period.within("ended_at"), period.at_store(), status=Hold.Status.COLLECTED
        ),
        "ended_at",
        collected=Count("id"),
    )
    add(_texts(period), "sent_at", texts_sent=Count("id"))
    add(
        _transfers(period),
        "requested_at",
        transfers_requested=Count("id"),
        transfers_received=Count("id", filter=Q(status=Transfer.Status.RECEIVED)),
    )
    add(
        Rating.objects.filter(period.within("created_at"), period.at_store()),
        "created_at",
        ratings=Count("id"),
        rating_points=Sum("score"),
        **{f"ratings_{n}": Count("id", filter=Q(score=n)) for n in range(1, 6)},
    )
    return days
