"""One size's stores as the page lists them, written out here rather than by a template.

A size is listed at every shop (a hundred rows at a hundred shops), and most of what a row
says repeats from row to row: "2 pairs", "Expected 14 Dec 2026", "confirmed today at 09:10".
Each such text is translated and formatted once per distinct value, and each row is written
once as HTML in two parts, either side of its distance (a template loop cost about ten times
as much a row). What depends on the customer's city — the distances and the order, nearest
first — is put in last (`shop_list`), so the rows are the same for every city and kept once.
"""

import functools
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape  # the standard library's: Django's checks every argument for laziness
from typing import Generic, NamedTuple, TypeVar

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.language import current_language
from inventory.geo import City, Point, distance_label, great_circle_km, point_of
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
    point: Point  # where the shop is, for its distance from the customer's city
    order: tuple[bool, bool, date]  # its place in the list: in stock first, then by arrival
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
    hold, text_me = _("Hold a pair for me"), _("Text me when it arrives")
    notices = {
        "late": _("A delivery is overdue; no confirmed date yet"),
        "unknown": _("No arrival date known"),
    }
    variant = size.variant.pk

    def row(shop: ShopAvailability) -> ShopRow:
        store = shop.store
        query = f"variant={variant}&store={store.pk}"  # two numbers: nothing to quote
        name, city = str(store.name), str(store.city)
        where = {"name": name, "code": store.code, "city": "" if city in name else city}
        point = point_of(store)
        order = (not shop.in_stock, shop.eta is None, shop.eta or date.max)
        if shop.in_stock:
            moment = shop.confirmed_at
            return ShopRow(
                in_stock=True,
                **where,
                point=point,
                order=order,
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
            point=point,
            order=order,
            pairs="",
            confirmed_iso="",
            confirmed="",
            eta=eta,
            eta_kind=eta_kind,
            action_url=action_url,
            action=action,
        )

    return [row(shop) for shop in size.shops]


class RowHtml(NamedTuple):
    """A shop's row as HTML, the same for every city: the shop's distance from the customer's
    city goes between `head` and `tail`."""

    order: tuple[bool, bool, date]
    point: Point
    head: str
    tail: str


def rows_html(rows: Sequence[ShopRow]) -> tuple[RowHtml, ...]:
    """`rows` written out, every text escaped once."""
    stores = escape(reverse("storefront:stores"))
    absent = f'<span class="shop__none">{escape(_("Not in stock here"))}</span>'
    return tuple(_row_html(row, stores, absent) for row in rows)


def _row_html(row: ShopRow, stores: str, absent: str) -> RowHtml:
    where = f'<a class="shop__name" href="{stores}#store-{escape(row.code)}">{escape(row.name)}</a>'
    if row.city:
        where += f'<span class="shop__city">{escape(row.city)}</span>'
    if row.in_stock:
        what = f'<span class="shop__count">{escape(row.pairs)}</span>'
        if row.confirmed:
            what += (
                f'<time class="shop__confirmed" datetime="{escape(row.confirmed_iso)}">'
                f"{escape(row.confirmed)}</time>"
            )
    else:
        what = absent
        if row.eta:
            kind = f" shop__eta--{escape(row.eta_kind)}" if row.eta_kind else ""
            what += f'<span class="shop__eta{kind}">{escape(row.eta)}</span>'
    what += (
        f'<a class="shop__notify" href="{escape(row.action_url)}" rel="nofollow">'
        f"{escape(row.action)}</a>"
    )
    state = "shop--in" if row.in_stock else "shop--out"
    return RowHtml(
        order=row.order,
        point=row.point,
        head=f'\n  <li class="shop {state}">\n    <div class="shop__where">{where}',
        tail=f'</div>\n    <div class="shop__what">{what}</div>\n  </li>',
    )


def shop_list(rows: Sequence[RowHtml], city: City | None) -> str:
    """A size's stores as a list: in their kept order (in stock first, then by arrival, each
    group by name), or with a city each group nearest first and every shop's distance."""
    if not rows:
        soon = escape(_("Our stores will be listed here soon."))
        return f'<ul class="shop-list">\n  <li class="shop">{soon}</li>\n</ul>'
    if city is None:
        items = "".join(row.head + row.tail for row in rows)
        return f'<ul class="shop-list">{items}\n</ul>'
    origin = city.point
    language = current_language()
    placed = sorted(
        ((row.order, _km_between(origin, row.point), row) for row in rows),
        key=lambda placed: placed[:2],
    )
    items = "".join(
        row.head + _distance_html(language, _whole_km(distance)) + row.tail
        for _, distance, row in placed
    )
    return f'<ul class="shop-list">{items}\n</ul>'


@functools.lru_cache(maxsize=4096)
def _km_between(origin: Point, point: Point) -> float:
    """The distance from a city to a shop: the same few thousand pairs on every page."""
    return great_circle_km(origin, point)


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


@functools.lru_cache(maxsize=1024)
def _distance_html(language: str, whole: int) -> str:
    """ "12 km" in the active `language` for a shop that many whole kilometres away (0: under
    one), as a row shows it: the same few hundred texts on every page."""
    return f'<span class="shop__distance">{escape(_distance_text(language, whole))}</span>'


@functools.lru_cache(maxsize=1024)
def _distance_text(language: str, whole: int) -> str:
    return distance_label(whole or 0.5)  # rounded as distance_label rounds: 0 is under 1 km


def _whole_km(distance: float) -> int:
    """Whole kilometres, half up (0 under one kilometre)."""
    return 0 if distance < 1 else int(distance + 0.5)


def _to_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


@dataclass(frozen=True)
class SizeStatus:
    """What a size's line says of it, every text ready to print (the nearest shop with pairs,
    which depends on the customer's city, is `nearest`'s)."""

    in_stock: bool
    stores: str  # "At 3 stores" (in stock)
    where: str  # the stores' names, when there are three or fewer
    pairs: str  # "7 pairs"
    next: str  # out of stock: "Expected 14 Dec at Haifa", or when a pair can be brought
    with_pairs: tuple["PairsAt", ...]  # the shops with pairs, by name


class PairsAt(NamedTuple):
    """A shop with pairs of a size, for the size's "Nearest: …"."""

    name: str
    point: Point


def size_status(size: SizeAvailability) -> SizeStatus:
    if size.in_stock:
        shops = size.in_stock_at
        count = len(shops)
        return SizeStatus(
            in_stock=True,
            stores=ngettext("At 1 store", "At %(counter)s stores", count) % {"counter": count},
            where=", ".join(str(shop.store.name) for shop in shops) if count <= 3 else "",
            pairs=ngettext("%(counter)s pair", "%(counter)s pairs", size.total_available)
            % {"counter": size.total_available},
            next="",
            with_pairs=tuple(PairsAt(str(shop.store.name), point_of(shop.store)) for shop in shops),
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
    return SizeStatus(in_stock=False, stores="", where="", pairs="", next=then, with_pairs=())


def nearest(shops: Sequence[PairsAt], city: City | None) -> str:
    """ "Nearest: Dizengoff, 3 km" as the size's line shows it: the nearest of `shops` (the
    first by name of those as near) to the customer's city; nothing without a city."""
    if city is None or not shops:
        return ""
    origin = city.point
    shop, distance = min(
        ((shop, _km_between(origin, shop.point)) for shop in shops), key=lambda pair: pair[1]
    )
    km = _distance_text(current_language(), _whole_km(distance))
    text = _("Nearest: %(store)s, %(km)s") % {"store": shop.name, "km": km}
    return f'<span class="size__nearest">{escape(text)}</span>'
