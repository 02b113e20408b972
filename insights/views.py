"""The managers' customer-experience dashboard, its CSV exports and the call-back flags."""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.csv import write_csv
from core.http import parse_id, safe_next
from core.replica import report_view
from reviews.models import Rating
from reviews.permissions import can_handle_flag, dashboard_scope
from reviews.services import RatingError, rating_flag_handle

from . import charts, selectors
from .forms import DashboardForm, FlagHandleForm
from .response_times import response_times

EXPORTS = ("summary", "trend", "ratings", "comments", "flags", "demand", "money")


@login_required
@report_view
def cx_dashboard(request: HttpRequest) -> HttpResponse:
    stores, allow_all = dashboard_scope(request.user)
    if not stores.exists():
        raise PermissionDenied
    asked = request.GET.get("store", "")
    if asked and not stores.filter(pk=parse_id(asked) or 0).exists():
        raise PermissionDenied  # another store's figures (or no store at all)
    form = DashboardForm(request.GET or None, stores=stores, allow_all=allow_all)
    if form.is_valid():
        start, end, store = (form.cleaned_data[k] for k in ("start", "end", "store"))
    else:
        fallback = DashboardForm({}, stores=stores, allow_all=allow_all)
        fallback.is_valid()
        start, end = fallback.cleaned_data["start"], fallback.cleaned_data["end"]
        store = None if allow_all else stores.first()
    period = selectors.Period(start=start, end=end, store=store)
    figures = selectors.dashboard(period=period)
    export = request.GET.get("export")
    if export in EXPORTS:
        return _csv_response(figures, export)
    return render(
        request,
        "insights/dashboard.html",
        {
            "form": form,
            "d": figures,
            "query": request.GET.urlencode(),
            "exports": EXPORTS,
            "charts": _charts(figures),
            "response": response_times(period=period),
            "staff_section": "cx",
        },
    )


@login_required
@require_POST
def flag_handle(request: HttpRequest, pk: int) -> HttpResponse:
    rating = Rating.objects.filter(pk=pk).first()
    if rating is None:
        raise Http404
    if not can_handle_flag(request.user, rating.store_id):
        raise PermissionDenied
    form = FlagHandleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a short note of what was done."))
    else:
        try:
            rating_flag_handle(rating=rating, user=request.user, note=form.cleaned_data["note"])
            messages.success(request, _("Marked as handled."))
        except RatingError as error:
            messages.error(request, error.message)
    return HttpResponseRedirect(safe_next(request, reverse("insights:dashboard")))


def _charts(d: selectors.Dashboard) -> dict[str, str]:
    labels = [day["day"].strftime("%d/%m") for day in d.trend]
    return {
        "trend": charts.line_chart(
            labels=labels,
            title=_("Sign-ups and collections per day"),
            series=[
                charts.Series(_("Sign-ups"), [day["signups"] for day in d.trend], "series-a"),
                charts.Series(_("Collected"), [day["collected"] for day in d.trend], "series-b"),
            ],
        ),
        "funnel": charts.bar_chart(
            labels=[label for label, _n in d.funnel],
            values=[n for _label, n in d.funnel],
            title=_("From sign-up to collection"),
            rtl=get_language_bidi(),
        ),
        "ratings": charts.bar_chart(
            labels=["1", "2", "3", "4", "5"],
            values=d.rating_distribution,
            title=_("Ratings, 1 to 5"),
            css_class="chart-bar series-b",
        ),
    }


def _csv_response(d: selectors.Dashboard, table: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="cx-{table}-{d.period.start}-{d.period.end}.csv"'
    )
    response.write("\ufeff")  # Excel opens UTF-8 (Hebrew) correctly with a BOM
    write_csv(response, _csv_rows(d, table))
    return response


def _csv_rows(d: selectors.Dashboard, table: str) -> list[list[Any]]:
    if table == "summary":
        return [["figure", "value"], *[[k, v] for k, v in _summary(d)]]
    if table == "trend":
        return [
            ["day", "signups", "collected", "average_rating"],
            *[
                [
                    t["day"].isoformat(),
                    t["signups"],
                    t["collected"],
                    "" if t["rating"] is None else round(t["rating"], 2),
                ]
                for t in d.trend
            ],
        ]
    if table == "ratings":
        return [["score", "count"], *[[n + 1, c] for n, c in enumerate(d.rating_distribution)]]
    if table == "money":
        money = d.money
        return [
            ["store_code", "store", "held_for", "pairs", "value"],
            *[
                [row.store.code, row.store.name_en, purpose, cell.pairs, _money(cell.value)]
                for row in money.stores
                for (purpose, _label), cell in zip(money.purposes, row.cells, strict=True)
            ],
            *[
                [
                    row.store.code,
                    row.store.name_en,
                    "total",
                    row.total.pairs,
                    _money(row.total.value),
                ]
                for row in money.stores
            ],
            ["all", "", "total", money.total.pairs, _money(money.total.value)],
        ]
    if table in ("comments", "flags"):
        rows = d.recent_comments if table == "comments" else d.open_flags
        return [
            ["when", "store", "interaction", "score", "comment"],
            *[
                [r.created_at.isoformat(), r.store.name_en, r.interaction, r.score, r.comment]
                for r in rows
            ],
        ]
    return [
        ["brand", "model", "style_code", "eu_size", "waiting", "stores", "oldest"],
        *[
            [
                row["variant__product__brand__name"],
                row["variant__product__name"],
                row["variant__product__style_code"],
                row["variant__eu_size"],
                row["waiting"],
                row["stores"],
                row["oldest"].isoformat(),
            ]
            for row in d.demand
        ],
    ]


def _summary(d: selectors.Dashboard) -> list[tuple[str, Any]]:
    return [
        ("period_start", d.period.start.isoformat()),
        ("period_end", d.period.end.isoformat()),
        ("store", d.period.store.code if d.period.store else "all"),
        ("alerts_signed_up", d.signups),
        ("texts_sent", d.texts_sent),
        ("holds_created", d.holds["created"]),
        ("holds_collected", d.holds["collected"]),
        ("holds_released", d.holds["released"]),
        ("holds_expired", d.holds["expired"]),
        ("conversion_signup_to_collection", "" if d.conversion is None else round(d.conversion, 4)),
        ("median_signup_to_text_seconds", _round(d.median_signup_to_text)),
        ("median_text_to_collection_seconds", _round(d.median_text_to_collection)),
        ("transfers_requested", d.transfers_requested),
        ("transfers_received", d.transfers_received),
        ("median_transfer_lead_seconds", _round(d.median_transfer_lead)),
        ("ratings", d.rating_count),
        ("average_rating", "" if d.rating_average is None else round(d.rating_average, 2)),
        ("open_callbacks", len(d.open_flags)),
        *[
            item
            for (purpose, _label), cell in zip(d.money.purposes, d.money.cells, strict=True)
            for item in (
                (f"collected_{purpose}_pairs", cell.pairs),
                (f"collected_{purpose}_value", _money(cell.value)),
            )
        ],
        ("collected_pairs", d.money.total.pairs),
        ("collected_value", _money(d.money.total.value)),
    ]


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _round(value: float | None) -> Any:
    return "" if value is None else round(value)
