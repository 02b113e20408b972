"""The dashboard's filters, and its two long lists written in Python: the money table's store
rows (100 stores × 3 pairs of cells, each amount through the money format: about 90 µs a row
as a template loop) and the open call-backs (50 forms, about 300 µs each). What is the same
for every row — the translated words, the money format, the form's hidden fields — is worked
out once per page."""

from dataclasses import dataclass

from django import template
from django.template.context import Context
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from core.templatetags.money import Shekels
from core.templatetags.when import ago
from reviews.models import Rating

from ..selectors import Collected, Money

register = template.Library()


@register.filter
def duration(seconds: float | None) -> str:
    """A median duration for people: "3 h 20 min", "2 days 4 h", or "–" when there is none."""
    if seconds is None:
        return "–"
    minutes = int(round(seconds / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days} + (
            " " + gettext("%(n)d h") % {"n": hours} if hours else ""
        )
    if hours:
        return gettext("%(h)d h %(m)d min") % {"h": hours, "m": minutes}
    return gettext("%(n)d min") % {"n": minutes}


def _money_cells(cells: list[Collected], total: Collected, shekels: Shekels) -> str:
    return "".join(
        f"<td>{cell.pairs}</td><td>{escape(shekels(cell.value))}</td>" for cell in [*cells, total]
    )


@register.simple_tag
def money_rows(money: Money) -> SafeString:
    """The money table's body: a row per store, its pairs and their value per purpose, then
    its total."""
    shekels = Shekels()
    return mark_safe(  # noqa: S308 (escaped throughout)
        "".join(
            f'<tr><th scope="row">{escape(row.store.name)}</th>'
            f"{_money_cells(row.cells, row.total, shekels)}</tr>\n"
            for row in money.stores
        )
    )


@register.simple_tag
def money_total_cells(money: Money) -> SafeString:
    """The money table's foot: every store's pairs and value per purpose, then in total."""
    return mark_safe(_money_cells(money.cells, money.total, Shekels()))  # noqa: S308 (escaped)


@dataclass(frozen=True)
class _FlagText:
    """Per page: what every call-back's form carries."""

    action_start: str  # the form's action up to the rating's id
    action_end: str
    hidden: str  # the CSRF token and where to come back to
    done: str
    mark: str

    @classmethod
    def of(cls, context: Context) -> "_FlagText":
        request = context["request"]
        token = context.get("csrf_token")
        csrf = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'
            if token and token != "NOTPROVIDED"  # noqa: S105 (Django's marker, not a secret)
            else ""
        )
        start, _pk, end = reverse("insights:flag_handle", args=[0]).rpartition("/0/")
        return cls(
            action_start=escape(start + "/"),
            action_end=escape("/" + end),
            hidden=(
                f"{csrf}\n          "
                f'<input type="hidden" name="next" value="{escape(request.get_full_path())}">'
            ),
            done=escape(gettext("What was done")),
            mark=escape(gettext("Mark handled")),
        )


def _flag(text: _FlagText, rating: Rating) -> str:
    variant = rating.hold.variant if rating.hold else None
    product = f"{escape(variant.product.name)} {escape(variant.size_label)}" if variant else " "
    comment = f"<blockquote>{escape(rating.comment)}</blockquote>" if rating.comment else ""
    return (
        '<article class="cx__flag">\n'
        f"        <p><strong>{rating.score}/5</strong> · {escape(rating.store.name)}"
        f" · {escape(rating.get_interaction_display())} · {escape(ago(rating.created_at))}\n"
        f"          · {product}</p>\n"
        f"        {comment}\n"
        f'        <form method="post" action="{text.action_start}{rating.pk}{text.action_end}"'
        ' class="cx__flag-form">\n'
        f"          {text.hidden}\n"
        f'          <label>{text.done} <input type="text" name="note" required maxlength="1000">'
        "</label>\n"
        f'          <button type="submit" class="staff-button staff-button--quiet">{text.mark}'
        "</button>\n"
        "        </form>\n"
        "      </article>\n"
    )


@register.simple_tag(takes_context=True)
def open_flags(context: Context, ratings: list[Rating]) -> SafeString:
    """The call-backs still open: each rating, its store, what it was about and the sizes, and
    a form to mark it handled with a note of what was done."""
    text = _FlagText.of(context)
    return mark_safe("".join(_flag(text, rating) for rating in ratings))  # noqa: S308 (escaped)
