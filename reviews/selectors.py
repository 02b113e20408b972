"""Reads of the reviews app: a product's external reviews, and the managers' dashboard."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Avg, Count, Min, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext

from catalog.models import Product
from core.language import current_language
from inventory.models import Hold, Store, Transfer
from notifications.models import SmsMessage, WaitlistEntry

from .aggregates import median_seconds
from .models import Rating, ReviewLink


@dataclass
class ProductReviews:
    featured: list[ReviewLink] = field(default_factory=list)
    articles: list[ReviewLink] = field(default_factory=list)
    videos: list[ReviewLink] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.featured or self.articles or self.videos)


def product_reviews(*, product: Product) -> ProductReviews:
    """The product's reviews: featured first, then articles and videos, each group putting
    the page's language first and keeping the editors' display order. One query."""
    language = current_language()
    links = list(product.review_links.visible().select_related("source"))
    links.sort(key=lambda link: (link.language != language, link.position, link.id))
    reviews = ProductReviews()
    for link in links:
        if link.is_featured:
            reviews.featured.append(link)
        elif link.kind == ReviewLink.Kind.VIDEO:
            reviews.videos.append(link)
        else:
            reviews.articles.append(link)
    return reviews


# --- The managers' dashboard ------------------------------------------------------------------


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


def dashboard(*, period: Period) -> Dashboard:
    """Every figure of the managers' dashboard, from the live tables, with a fixed number of
    aggregate queries whatever the length of the period or the number of stores."""
    entries = WaitlistEntry.objects.filter(period.within("created_at"), period.at_store(),
                                           activated_at__isnull=False)
    entry_figures = entries.aggregate(
        signups=Count("id"),
        collected=Count("id", filter=Q(status=WaitlistEntry.Status.COLLECTED)),
    )
    texts = SmsMessage.objects.filter(period.within("sent_at"))
    if period.store is not None:
        # Subqueries, not joins: OR across two joins makes Postgres join whole tables.
        texts = texts.filter(
            Q(hold__in=Hold.objects.filter(store=period.store).values("pk"))
            | Q(entry__in=WaitlistEntry.objects.filter(store=period.store).values("pk"))
        )
    holds = Hold.objects.filter(period.within("created_at"), period.at_store())
    hold_figures = holds.aggregate(
        created=Count("id"),
        **{status: Count("id", filter=Q(status=status))
           for status in ("active", "collected", "released", "expired")},
    )
    transfers = Transfer.objects.filter(period.within("requested_at"), period.at_store("to_store"))
    transfer_figures = transfers.aggregate(
        requested=Count("id"), received=Count("id", filter=Q(status=Transfer.Status.RECEIVED)),
    )
    ratings = Rating.objects.filter(period.within("created_at"), period.at_store())
    rating_figures = ratings.aggregate(
        count=Count("id"), average=Avg("score"),
        **{f"s{n}": Count("id", filter=Q(score=n)) for n in range(1, 6)},
    )
    open_flags = Rating.objects.filter(period.at_store(), needs_callback=True,
                                       handled_at__isnull=True)
    return Dashboard(
        period=period,
        signups=entry_figures["signups"],
        texts_sent=texts.count(),
        holds=hold_figures,
        collected_from_signups=entry_figures["collected"],
        # A hold comes after its sign-up: bounding it too lets the database use its index.
        median_signup_to_text=median_seconds(entries.filter(hold__created_at__gte=period.since),
                                             start="created_at", end="hold__notified_at"),
        median_text_to_collection=median_seconds(
            holds.filter(status=Hold.Status.COLLECTED), start="notified_at", end="ended_at"),
        transfers_requested=transfer_figures["requested"],
        transfers_received=transfer_figures["received"],
        median_transfer_lead=median_seconds(transfers, start="requested_at", end="received_at"),
        rating_count=rating_figures["count"],
        rating_average=rating_figures["average"],
        rating_distribution=[rating_figures[f"s{n}"] for n in range(1, 6)],
        recent_comments=list(_ratings_with_context(ratings.exclude(comment=""))[:10]),
        open_flags=list(_ratings_with_context(open_flags).order_by("created_at")[:50]),
        demand=waitlist_demand(store=period.store),
        trend=_trend(period, entries, holds, ratings),
    )


def _ratings_with_context(ratings: QuerySet[Rating]) -> QuerySet[Rating]:
    return ratings.select_related("store", "hold__variant__product")


def waitlist_demand(*, store: Store | None, limit: int = 25) -> list[dict[str, Any]]:
    """Sizes customers are waiting for now, most wanted first: what to order next."""
    waiting = WaitlistEntry.objects.filter(status=WaitlistEntry.Status.ACTIVE)
    if store is not None:
        waiting = waiting.filter(store=store)
    rows = (
        waiting.values("variant__product__brand__name", "variant__product__name",
                       "variant__product__style_code", "variant__eu_size")
        .annotate(waiting=Count("id"), stores=Count("store", distinct=True),
                  oldest=Min("created_at"))
        .order_by("-waiting", "oldest")[:limit]
    )
    return [dict(row) for row in rows]


def _trend(period: Period, entries: QuerySet[Any], holds: QuerySet[Hold],
           ratings: QuerySet[Rating]) -> list[dict[str, Any]]:
    """Per day: sign-ups, pairs collected and the average rating."""
    tz = timezone.get_current_timezone()
    signups = dict(entries.annotate(day=TruncDate("created_at", tzinfo=tz))
                   .values("day").annotate(n=Count("id")).values_list("day", "n"))
    collected = dict(Hold.objects.filter(period.within("ended_at"), period.at_store(),
                                         status=Hold.Status.COLLECTED)
                     .annotate(day=TruncDate("ended_at", tzinfo=tz))
                     .values("day").annotate(n=Count("id")).values_list("day", "n"))
    average = dict(ratings.annotate(day=TruncDate("created_at", tzinfo=tz))
                   .values("day").annotate(avg=Avg("score")).values_list("day", "avg"))
    return [
        {"day": day, "signups": signups.get(day, 0), "collected": collected.get(day, 0),
         "rating": average.get(day)}
        for day in period.days()
    ]
