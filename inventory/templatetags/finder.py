"""The stock finder's grid rows. One product's grid holds a cell per store and size (about
1,000 at 100 stores × 10 sizes): written as a template loop they cost about 70 µs each (a URL
reversed and a translation looked up in every cell), built here about 1 µs. What is the same for
every cell (the transfer link's start and end, the translated labels) is worked out once per
page, and a store's row head (its name, badges and distance) is written once per page, not once
per product."""

from dataclasses import dataclass, field

from django import template
from django.template.context import Context
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..geo import distance_label
from ..selectors import FinderCell, FinderProduct, FinderRow, FinderStore

register = template.Library()

_GRID_TEXT = "finder_grid_text"


@dataclass
class _GridText:
    """Per page: where a tapped number leads and the words a cell may carry."""

    link_start: str  # the transfer request's URL up to the variant id
    link_end: str  # the destination and the customer's city, when there are
    destination_id: int
    home_store_id: int
    request: str
    held: str
    incoming: str
    warehouse: str
    my_store: str
    destination: str
    store_heads: dict[int, str] = field(default_factory=dict)  # rendered, by store id

    @classmethod
    def of(cls, context: Context) -> "_GridText":
        destination, city = context.get("destination"), context.get("city")
        home = context.get("home_store")
        link_end = ""
        if destination:
            link_end += f"&amp;to_store={destination.pk}"
        if city:
            link_end += f"&amp;city={escape(city.slug)}"
        return cls(
            link_start=escape(reverse("inventory:transfer_request")) + "?variant=",
            link_end=link_end,
            destination_id=context.get("destination_id") or 0,
            home_store_id=home.pk if home else 0,
            request=escape(_("request a transfer")),
            held=escape(_("%(n)s held")),
            incoming=escape(_("+%(n)s on the way")),
            warehouse=escape(_("Warehouse")),
            my_store=escape(_("My store")),
            destination=escape(_("Destination")),
        )


def _meta(text: _GridText, cell: FinderCell) -> str:
    meta = ""
    if cell.reserved:
        meta += f'<span class="cell__meta">{text.held % {"n": cell.reserved}}</span>'
    if cell.incoming:
        meta += f'<span class="cell__meta">{text.incoming % {"n": cell.incoming}}</span>'
    return meta


@register.simple_tag(takes_context=True)
def finder_row(context: Context, item: FinderProduct, row: FinderRow) -> SafeString:
    """One store's row of a product's grid: the store's head, then a cell per size with the
    pairs available now (a link to request a transfer, except at the destination itself),
    those held and those on the way."""
    text = context.render_context.get(_GRID_TEXT)
    if not isinstance(text, _GridText):
        text = _GridText.of(context)
        context.render_context[_GRID_TEXT] = text
    head = text.store_heads.get(row.store.pk)
    if head is None:
        head = text.store_heads[row.store.pk] = _store_head(text, row.store)
    return mark_safe(head + _cells(text, item, row) + "</tr>")  # noqa: S308 (escaped throughout)


def _store_head(text: _GridText, store: FinderStore) -> str:
    """The row's opening and its head: the store's name, its badges and its distance."""
    warehouse, destination = store.is_warehouse, store.pk == text.destination_id
    classes = ("is-warehouse" if warehouse else "") + (" is-destination" if destination else "")
    head = (
        f'<tr class="{classes}" data-store="{escape(store.store.code)}"><th scope="row">'
        f'<span class="store-name">{escape(store.store.name)}</span>'
    )
    if warehouse:
        head += f'<span class="badge badge--warehouse">{text.warehouse}</span>'
    if store.pk == text.home_store_id:
        head += f'<span class="badge badge--home">{text.my_store}</span>'
    if destination:
        head += f'<span class="badge badge--destination">{text.destination}</span>'
    if store.distance_km is not None:
        head += f'<span class="distance">{escape(distance_label(store.distance_km))}</span>'
    return head + "</th>"


def _cells(text: _GridText, item: FinderProduct, row: FinderRow) -> str:
    store_id, matched = row.store.pk, item.matched_variant_id
    offers = store_id != text.destination_id
    link = f"&amp;from_store={store_id}{text.link_end}"
    html = []
    for cell in row.cells:
        variant_id, available = cell.variant_id, cell.available
        td = '<td class="is-match">' if variant_id == matched else "<td>"
        meta = _meta(text, cell) if cell.reserved or cell.incoming else ""
        if available > 0 and offers:
            html.append(
                f'{td}<a class="cell cell--link" data-variant="{variant_id}" '
                f'href="{text.link_start}{variant_id}{link}">{available}'
                f'<span class="visually-hidden"> · {text.request}</span>{meta}</a></td>'
            )
        elif available > 0:
            html.append(
                f'{td}<span class="cell" data-variant="{variant_id}">{available}{meta}</span></td>'
            )
        else:
            html.append(
                f'{td}<span class="cell cell--empty" data-variant="{variant_id}">–'
                f"{meta}</span></td>"
            )
    return "".join(html)  # ids and numbers, and words escaped once
