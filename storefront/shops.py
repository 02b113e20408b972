"""One size's stores as the page lists them, worked out before the template sees them.

A size is listed at every shop (a hundred rows at a hundred shops), and most of what a row
says repeats from row to row: "2 pairs", "Expected 14 Dec 2026", "confirmed today at 09:10".
Each such text is translated and formatted once per distinct value here, and the template
only writes the rows out — no lookups, filters or translations a row.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, TypeVar

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inventory.geo import distance_label
from inventory.selectors import ShopAvailability, SizeAvailability

from .templatetags.storefront import confirmed

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(slots=True)
class ShopRow:
    """One shop's row in a size's list of stores, every text ready to print."""

    in_stock: bool
    name: str
    code: str
    city: str  # "" when the shop's name already says it
    distance: str
    pairs: str  # "2 pairs" (in stock)
    confirmed_iso: str
    confirmed: str  # "confirmed today at 09:10" (in stock)
    eta: str  # "Expected 14 Dec 2026", the overdue or unknown notice (out of stock)
    eta_kind: str  # "", "late" or "unknown": the notice's modifier class
    action_url: str
    action: str


class _Once(Generic[K, V]):
    """A function's answers kept per argument, for one list."""

    def __init__(self, function: Callable[[K], V]) -> None:
        self.function = function
        self.answers: dict[K, V] = {}

    def __call__(self, value: K) -> V:
        if value not in self.answers:
            self.answers[value] = self.function(value)
        return self.answers[value]


def shop_rows(size: SizeAvailability) -> list[ShopRow]:
    """The rows of `size.shops`, in their order."""
    hold_url, bring_url, signup_url = (
        reverse("demand:pair_hold"),
        reverse("demand:pair_bring"),
        reverse("demand:signup"),
    )
    pairs: _Once[int, str] = _Once(
        lambda n: ngettext("%(counter)s pair", "%(counter)s pairs", n) % {"counter": n}
    )
    expected: _Once[date, str] = _Once(
        lambda day: _("Expected %(date)s") % {"date": date_format(day)}
    )
    bring_day: _Once[date, tuple[str, str]] = _Once(
        lambda day: (date_format(day, "l"), date_format(day, "j/n"))
    )
    # "confirmed today at 09:10": the same text for every number confirmed in one minute.
    when: _Once[datetime, str] = _Once(confirmed)
    # "12 km": the same text for every shop at that many whole kilometres (rounded half up,
    # as distance_label rounds; 0 stands for "under 1 km").
    km: _Once[int, str] = _Once(lambda whole: distance_label(whole if whole else 0.5))
    hold, text_me = _("Hold a pair for me"), _("Text me when it arrives")
    notices = {
        "late": _("A delivery is overdue; no confirmed date yet"),
        "unknown": _("No arrival date known"),
    }
    variant = size.variant.pk

    def row(shop: ShopAvailability) -> ShopRow:
        store = shop.store
        query = f"variant={variant}&store={store.pk}"  # two numbers: nothing to quote
        name = str(store.name)
        where = {
            "name": name,
            "code": store.code,
            "city": "" if str(store.city) in name else str(store.city),
            "distance": "" if shop.distance_km is None else km(_whole_km(shop.distance_km)),
        }
        if shop.in_stock:
            moment = shop.confirmed_at
            return ShopRow(
                in_stock=True,
                **where,
                pairs=pairs(shop.available),
                confirmed_iso=timezone.localtime(moment).isoformat() if moment else "",
                confirmed=when(_to_minute(moment)) if moment else "",
                eta="",
                eta_kind="",
                action_url=f"{hold_url}?{query}",
                action=hold,
            )
        eta_kind = _arrival_kind(shop)
        eta = expected(shop.eta) if shop.eta is not None else notices.get(eta_kind, "")
        if shop.bring_by is not None:
            day, numeric = bring_day(shop.bring_by)
            action_url = f"{bring_url}?{query}"
            action = _("Bring it to my store — can be at %(store)s by %(day)s %(date)s") % {
                "store": name,
                "day": day,
                "date": numeric,
            }
        else:
            action_url, action = f"{signup_url}?{query}", text_me
        return ShopRow(
            in_stock=False,
            **where,
            pairs="",
            confirmed_iso="",
            confirmed="",
            eta=eta,
            eta_kind=eta_kind,
            action_url=action_url,
            action=action,
        )

    return [row(shop) for shop in size.shops]


def _arrival_kind(shop: ShopAvailability) -> str:
    """The modifier of a shop's arrival notice: "" for a date (or none shown), "late" or
    "unknown"."""
    if shop.eta is not None:
        return ""
    if shop.overdue:
        return "late"
    if shop.bring_by is None:  # a pair we can bring is the one answer: no "unknown" above it
        return "unknown"
    return ""


def _whole_km(distance: float) -> int:
    """Whole kilometres, half up (0 under one kilometre)."""
    return 0 if distance < 1 else int(distance + 0.5)


def _to_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


@dataclass(frozen=True)
class SizeStatus:
    """What a size's line says of it, every text ready to print."""

    in_stock: bool
    stores: str  # "At 3 stores" (in stock)
    where: str  # the stores' names, when there are three or fewer
    pairs: str  # "7 pairs"
    nearest: str  # "Nearest: Dizengoff, 3 km", when the customer chose a city
    next: str  # out of stock: "Expected 14 Dec at Haifa", or when a pair can be brought


def size_status(size: SizeAvailability) -> SizeStatus:
    if size.in_stock:
        shops = size.in_stock_at
        nearest = size.nearest_in_stock
        count = len(shops)
        return SizeStatus(
            in_stock=True,
            stores=ngettext("At 1 store", "At %(counter)s stores", count) % {"counter": count},
            where=", ".join(str(shop.store.name) for shop in shops) if count <= 3 else "",
            pairs=ngettext("%(counter)s pair", "%(counter)s pairs", size.total_available)
            % {"counter": size.total_available},
            nearest=_("Nearest: %(store)s, %(km)s")
            % {"store": nearest.store.name, "km": distance_label(nearest.distance_km)}
            if nearest is not None
            else "",
            next="",
        )
    first, bring = size.next_arrival, size.soonest_bring
    if first is not None and first.eta is not None:
        then = _("Expected %(date)s at %(store)s") % {
            "date": date_format(first.eta),
            "store": first.store.name,
        }
    elif bring is not None:
        then = _("Can be brought to a store by %(day)s %(date)s") % {
            "day": date_format(bring, "l"),
            "date": date_format(bring, "j/n"),
        }
    else:
        then = ""
    return SizeStatus(in_stock=False, stores="", where="", pairs="", nearest="", next=then)
