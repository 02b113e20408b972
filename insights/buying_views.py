"""Head office's buying report: per model and size, the demand the system sees and a
suggested order, on a page and as CSV."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.csv import write_csv
from core.replica import report_view

from . import buying
from .permissions import can_see_buying_report


@login_required
@require_GET
@report_view
def buying_report(request: HttpRequest) -> HttpResponse:
    if not can_see_buying_report(request.user):
        raise PermissionDenied
    report = buying.buying_report()
    if request.GET.get("export") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="buying-{report.now:%Y-%m-%d}.csv"'
        write_csv(response, buying.buying_rows(report))
        return response
    # By default only what the buyer can act on (the CSV always has every row).
    everything = request.GET.get("all") == "1"
    models = report.models if everything else [m for m in report.models if m.to_act_on]
    shown = [(m, m.sizes if everything else m.sizes_to_act_on) for m in models]
    hidden = sum(len(m.sizes) for m in report.models) - sum(len(sizes) for _m, sizes in shown)
    return render(
        request,
        "insights/buying_report.html",
        {
            "report": report,
            "models": shown[: buying.PAGE_MODELS],
            "more": max(len(shown) - buying.PAGE_MODELS, 0),
            "everything": everything,
            "hidden": hidden,
            "staff_section": "cx",
        },
    )
