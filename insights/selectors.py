"""Reads of the managers' dashboard: the period's figures, from the daily totals the database
keeps (insights.totals), and the sizes customers are waiting for."""

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, IntegerField, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext

from catalog.models import Variant
from demand.models import WaitlistEntry
from inventory.models import Hold, Store, Transfer
from notifications.models import Message
from reviews.models import Rating

from . import kept
from .aggregates import durations, median_of, median_seconds
from .kept import Days, Figures
from .models import DailyCollection, DailyDuration, DailyTotal, TotalsVersion
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
DURATIONS = [measure.value for measure in DailyDuration.Measure]

# Up to this many durations a median is exact, from the raw rows (cheap at that size: one
# store's year is about 5,000); past it, it is read from the daily histograms.
MEDIAN_EXACT_UP_TO = 10_000


def dashboard(*, period: Period, from_rows: bool = False) -> Dashboard:
    """Every figure of the managers' dashboard, with a fixed number of queries whatever the
    length of the period or the number of stores. The counts come from the daily totals the
    database keeps (insights.totals), those of closed days kept between views (insights.kept);
    `from_rows` counts the raw rows instead, the reference the totals are checked against (no
    page uses it)."""
    if from_rows:
        days = _days_from_rows(period)
        collections = _collections_from_rows(period)
        medians = {measure: median() for measure, median in _raw_medians(period).items()}
    else:
        figures, medians = _from_totals(period)
        days = figures.days
        collections = [
            (store_id, purpose, pairs, value)
            for (store_id, purpose), (pairs, value) in figures.collections.items()
        ]
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


def _scope(period: Period) -> int:
    return period.store.pk if period.store is not None else 0


def _from_totals(period: Period) -> tuple[Figures, dict[str, float | None]]:
    """The period's daily totals and medians: its closed months' kept under their tokens, the
    rest counted; three queries for the totals and at most one a median, plus the tokens."""
    closed, counted = kept.split(period.start, period.end, today=timezone.localdate())
    tokens = _tokens(period, closed)
    counted += [days for days in closed if days.month not in tokens]
    closed = [days for days in closed if days.month in tokens]
    scope = _scope(period)
    found, fresh = kept.kept(
        {kept.key("totals", scope, days, tokens[days.month]): days for days in closed},
        lambda parts: _totals(period, parts),
        counted=counted,
    )
    figures = Figures()
    for part in [*found, *fresh]:
        figures.add(part)
    medians: dict[str, float | None] = {}
    exact = []
    for measure in DURATIONS:
        counts = figures.histograms.get(measure, {})
        if 0 < sum(counts.values()) <= MEDIAN_EXACT_UP_TO:
            exact.append(measure)  # from the raw rows' durations, closed months' kept
        else:
            medians[measure] = histogram_median(counts)
    if exact:
        found, fresh = kept.kept(
            {
                kept.key(f"durations-{measure}", scope, days, tokens[days.month]): (measure, days)
                for measure in exact
                for days in closed
            },
            lambda wanted: _durations(period, wanted),
            counted=[(measure, days) for measure in exact for days in counted],
        )
        wanted = [(measure, days) for measure in exact for days in closed]
        wanted += [(measure, days) for measure in exact for days in counted]
        seconds: dict[str, list[float]] = {measure: [] for measure in exact}
        for (measure, _days), part in zip(wanted, [*found, *fresh], strict=True):
            seconds[measure] += part
        medians.update({measure: median_of(seconds[measure]) for measure in exact})
    return figures, medians


def _tokens(period: Period, parts: list[Days]) -> dict[date, str]:
    """The current token of each part's month for the period's scope, read before its figures
    are. A month without one yet gets its first here (a late write or a rebuild renews it);
    one made meanwhile by another read or a writer stands. Where the view reads a replica the
    new tokens may not show yet: those months are counted this time."""
    if not parts:
        return {}
    scope, months = _scope(period), [days.month for days in parts]

    def read(wanted: list[date]) -> dict[date, str]:
        rows = TotalsVersion.objects.filter(scope=scope, month__in=wanted)
        return dict(rows.values_list("month", "token"))

    tokens = read(months)
    missing = [month for month in months if month not in tokens]
    if missing:
        TotalsVersion.objects.bulk_create(
            [
                TotalsVersion(scope=scope, month=month, token=secrets.token_hex(16))
                for month in missing
            ],
            ignore_conflicts=True,
        )
        tokens.update(read(missing))
    return tokens


def _days_q(parts: list[Days]) -> Q:
    q = Q(pk__in=[])
    for days in parts:
        q |= Q(day__gte=days.first, day__lte=days.last)
    return q


def _totals(period: Period, parts: list[Days]) -> list[Figures]:
    """What the daily totals hold for each of `parts`, in order; three queries for them all."""
    if not parts:
        return []
    found = [Figures() for _days in parts]
    part = Case(
        *[
            When(day__gte=days.first, day__lte=days.last, then=Value(n))
            for n, days in enumerate(parts)
        ],
        output_field=IntegerField(),
    )
    where = _days_q(parts) & period.at_store()
    rows = (
        DailyTotal.objects.filter(where)
        .values("day")
        .annotate(**{column: Sum(column) for column in TOTAL_COLUMNS})
        .order_by()
    )
    for row in rows:
        day = row["day"]
        found[parts.index(_days_of(parts, day))].days[day] = {
            column: row[column]  # type: ignore[literal-required]
            for column in TOTAL_COLUMNS
        }
    collections = (
        DailyCollection.objects.filter(where)
        .annotate(part=part)
        .values("part", "store_id", "purpose")
        .annotate(p=Sum("pairs"), v=Sum("value"))
        .order_by()
        .values_list("part", "store_id", "purpose", "p", "v")
    )
    for n, store_id, purpose, pairs, value in collections:
        found[n].collections[(store_id, purpose)] = (pairs, value or Decimal(0))
    stores = Q(store__isnull=True) if period.store is None else Q(store=period.store)
    buckets = (
        DailyDuration.objects.filter(_days_q(parts), stores)
        .annotate(part=part)
        .values("part", "measure", "bucket")
        .annotate(n=Sum("count"))
        .order_by()
        .values_list("part", "measure", "bucket", "n")
    )
    for n, measure, bucket, count in buckets:
        found[n].histograms.setdefault(measure, {})[bucket] = count
    return found


def _durations(period: Period, wanted: list[tuple[str, Days]]) -> list[list[float]]:
    """The durations of each (measure, days) of `wanted`, in order: one query a measure."""
    found: dict[tuple[str, Days], list[float]] = {item: [] for item in wanted}
    for measure in dict.fromkeys(measure for measure, _days in wanted):
        parts = [days for m, days in wanted if m == measure]
        queryset, at, start, end = _durations_source(period, measure, parts)
        spans = [Period(days.first, days.last) for days in parts]
        part = Case(
            *[When(span.within(at), then=Value(n)) for n, span in enumerate(spans)],
            output_field=IntegerField(),
        )
        for n, seconds in durations(queryset, label=part, start=start, end=end):
            found[(measure, parts[n])].append(seconds)
    return [found[item] for item in wanted]


def _days_of(parts: list[Days], day: date) -> Days:
    return next(days for days in parts if days.first <= day <= days.last)


def _durations_source(
    period: Period, measure: str, parts: list[Days]
) -> tuple[QuerySet[Any], str, str, str]:
    """The raw rows of a measure's durations in `parts` (as `_raw_medians` reads them), the
    field that places a row in its day, and the fields its durations run between."""
    spans = [Period(days.first, days.last, period.store) for days in parts]
    if measure == DailyDuration.Measure.SIGNUP_TO_TEXT:
        within = Q(pk__in=[])
        for span in spans:
            # A hold comes after its sign-up: bounding it too lets the database use its index.
            within |= span.within("created_at") & Q(hold__created_at__gte=span.since)
        entries = WaitlistEntry.objects.filter(
            within, period.at_store(), activated_at__isnull=False
        )
        return entries, "created_at", "created_at", "hold__notified_at"
    if measure == DailyDuration.Measure.TEXT_TO_COLLECTION:
        holds = Hold.objects.filter(
            _any_within(spans, "created_at"), period.at_store(), status=Hold.Status.COLLECTED
        )
        return holds, "created_at", "notified_at", "ended_at"
    transfers = Transfer.objects.filter(
        _any_within(spans, "requested_at"), period.at_store("to_store")
    )
    return transfers, "requested_at", "requested_at", "received_at"


def _any_within(spans: list[Period], field_name: str) -> Q:
    q = Q(pk__in=[])
    for span in spans:
        q |= span.within(field_name)
    return q


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
    for store in Store.objects.filter(pk__in=per_store).only("code", "name_he", "name_en"):
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
    """With what the lists and their exports show: the store, and the size and model rated
    (not the model's descriptions)."""
    return ratings.select_related("store", "hold__variant__product").only(
        *("interaction", "score", "comment", "created_at"),
        *("store__code", "store__name_he", "store__name_en"),
        *("hold__variant__eu_size", "hold__variant__product__name"),
    )


def waitlist_demand(*, store: Store | None, limit: int = 25) -> list[dict[str, Any]]:
    """Sizes customers are waiting for now, most wanted first: what to order next."""
    waiting = WaitlistEntry.objects.filter(status=WaitlistEntry.Status.ACTIVE)
    if store is not None:
        waiting = waiting.filter(store=store)
    # By size first, then the names of the few shown: grouping by the names themselves sorted
    # every waiting row by text (a style code and a size name one size).
    rows = list(
        waiting.values("variant_id")
        .annotate(
            waiting=Count("id"), stores=Count("store", distinct=True), oldest=Min("created_at")
        )
        .order_by("-waiting", "oldest")[:limit]
    )
    sizes = Variant.objects.select_related("product__brand").in_bulk(
        [row["variant_id"] for row in rows]
    )
    return [_demand_row(row, sizes[row["variant_id"]]) for row in rows]


def _demand_row(row: Mapping[str, Any], size: Variant) -> dict[str, Any]:
    return {
        "variant__product__brand__name": size.product.brand.name,
        "variant__product__name": size.product.name,
        "variant__product__style_code": size.product.style_code,
        "variant__eu_size": size.eu_size,
        "waiting": row["waiting"],
        "stores": row["stores"],
        "oldest": row["oldest"],
    }


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
