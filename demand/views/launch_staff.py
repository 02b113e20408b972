"""Head office's launch draw pages: the launches, a new one (its pairs per store and size taken
from what is available), and one launch's demand before the draw — entries against pairs per
store and size, moving pairs between stores (a transfer), entries that look alike, and the
draw once its time has come."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from catalog.models import Product
from core.errors import DomainError
from inventory import policy
from inventory.admin.base import masked_with_reveal
from inventory.models import StockLevel, Store
from inventory.views.common import refuse, staff_context

from .. import selectors, services
from ..models import Launch, LaunchEntry

PERMISSION = "demand.manage_launches"


class LaunchForm(forms.Form):
    style_code = forms.CharField(label=gettext_lazy("Style code"), max_length=40)
    opens_at = forms.DateTimeField(label=gettext_lazy("Entries open"))
    closes_at = forms.DateTimeField(label=gettext_lazy("Entries close"))
    draw_at = forms.DateTimeField(label=gettext_lazy("Draw time"))
    pickup_hours = forms.IntegerField(
        label=gettext_lazy("Pick-up window (hours)"), min_value=1, max_value=336, initial=48
    )

    def clean_style_code(self) -> Product:
        product = Product.objects.filter(style_code__iexact=self.cleaned_data["style_code"]).first()
        if product is None:
            raise forms.ValidationError(_("No model has this style code."))
        return product


class MoveForm(forms.Form):
    variant = forms.IntegerField()
    from_store = forms.IntegerField()
    to_store = forms.IntegerField()
    quantity = forms.IntegerField(min_value=1, max_value=1000)


def _may(request: HttpRequest) -> bool:
    return bool(request.user.has_perm(PERMISSION))


@staff_member_required
@require_http_methods(["GET", "POST"])
def launch_list(request: HttpRequest) -> HttpResponse:
    """The launches, and a new one: its times, then its pairs per store and size."""
    if not _may(request):
        return refuse(request, _("Your account may not run launch draws."))
    form = LaunchForm(request.POST or None)
    product = None
    if form.is_valid():
        product = form.cleaned_data["style_code"]
        if "create" in request.POST:
            launch = _create(request, form, product)
            if launch is not None:
                return redirect("launches:detail", pk=launch.pk)
    levels = _levels(product) if product is not None else []
    return render(
        request,
        "demand/launch_staff_list.html",
        staff_context(
            request,
            section="launches",
            launches=Launch.objects.select_related("product").order_by("-draw_at")[:50],
            form=form,
            product=product,
            levels=levels,
        ),
        status=400 if form.errors else 200,
    )


def _levels(product: Product) -> list[dict[str, Any]]:
    """Every shop's sizes of the model with pairs available, for the pairs grid."""
    rows = (
        StockLevel.objects.filter(variant__product=product)
        .filter(policy.customer_store_q("store__"))
        .filter(policy.in_stock_q())
        .select_related("store", "variant")
        .order_by("store__name_he", "variant__eu_size")
    )
    return [
        {
            "store": level.store,
            "variant": level.variant,
            "available": level.available,
            "name": f"pairs-{level.store_id}-{level.variant_id}",
        }
        for level in rows
    ]


def _create(request: HttpRequest, form: LaunchForm, product: Product) -> Launch | None:
    pairs: dict[tuple[int, int], int] = {}
    for key in request.POST:
        value = request.POST.get(key, "")
        if not key.startswith("pairs-") or not value.strip():
            continue
        try:
            _prefix, store_id, variant_id = key.split("-")
            count = int(value)
        except ValueError:
            form.add_error(None, _("Pairs must be whole numbers."))
            return None
        if count:
            pairs[(int(store_id), int(variant_id))] = count
    if not pairs:
        form.add_error(None, _("Give the launch at least one pair."))
        return None
    data = form.cleaned_data
    try:
        return services.launch_create(
            product=product,
            times=services.LaunchTimes(
                data["opens_at"], data["closes_at"], data["draw_at"], data["pickup_hours"]
            ),
            pairs=pairs,
            user=request.user,
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return None


@staff_member_required
def launch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Demand before the draw: entries against pairs per store and size, lookalike entries."""
    if not _may(request):
        return refuse(request, _("Your account may not run launch draws."))
    launch = get_object_or_404(Launch.objects.select_related("product"), pk=pk)
    demand = selectors.launch_demand(launch)
    duplicates = selectors.launch_duplicates(launch)
    # Masked for everyone; a full number only through the reveal page (asked why, recorded).
    for group in duplicates:
        for entry in group.entries:
            entry.shown_phone = masked_with_reveal(  # type: ignore[attr-defined]
                request, entry.phone, kind="launchentry", pk=entry.pk, stores=(entry.store_id,)
            )
    return render(
        request,
        "demand/launch_staff_detail.html",
        staff_context(
            request,
            section="launches",
            launch=launch,
            demand=demand,
            entries=sum(row.entries for row in demand),
            pairs=sum(row.allocation.pairs for row in demand),
            duplicates=duplicates,
            stores=Store.objects.filter(policy.customer_store_q()).order_by("name_he"),
            scheduled=launch.status == Launch.Status.SCHEDULED,
        ),
    )


@staff_member_required
@require_POST
def launch_move(request: HttpRequest, pk: int) -> HttpResponse:
    if not _may(request):
        return refuse(request, _("Your account may not run launch draws."))
    launch = get_object_or_404(Launch, pk=pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a size, two stores and a number of pairs."))
        return redirect("launches:detail", pk=pk)
    data = form.cleaned_data
    try:
        transfer = services.launch_move_pairs(
            launch=launch,
            variant=data["variant"],
            from_store=data["from_store"],
            to_store=data["to_store"],
            quantity=data["quantity"],
            user=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Transfer #%(id)s asked for: the pairs are counted there now.") % {"id": transfer.pk},
        )
    return redirect("launches:detail", pk=pk)


@staff_member_required
@require_POST
def launch_disqualify(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    if not _may(request):
        return refuse(request, _("Your account may not run launch draws."))
    entry = get_object_or_404(LaunchEntry, pk=entry_id, launch_id=pk)
    try:
        services.launch_entry_disqualify(
            entry=entry, note=request.POST.get("note", "")[:200], user=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Entry %(code)s is out of the draw.") % {"code": entry.public_id}
        )
    return redirect("launches:detail", pk=pk)


@staff_member_required
@require_POST
def launch_draw_now(request: HttpRequest, pk: int) -> HttpResponse:
    """Draw now (the periodic task does at draw time; this is for staff who are watching)."""
    if not _may(request):
        return refuse(request, _("Your account may not run launch draws."))
    try:
        result = services.launch_draw(launch=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Drawn: %(winners)d winners held and texted, %(in_line)d in line.")
            % {"winners": result.winners, "in_line": result.in_line},
        )
    return redirect("launches:detail", pk=pk)
