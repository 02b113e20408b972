"""Inbound shipments in the admin: receive, mark in transit and cancel through the services.

The list offers actions (receive everything still outstanding, mark in transit, cancel); each
shipment's page has a "Receive goods" button leading to a page where staff enter, per line,
the pairs that arrived. Who may do it is checked per shipment (`permissions`), on the server.
Mixed into `InboundShipmentAdmin` below, with the lines inline.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import act_on_each

from .. import permissions, services
from ..models import InboundShipment, InboundShipmentLine


class ShipmentReceiveForm(forms.Form):
    """One whole-number field per line, from 0 to what is still outstanding."""

    def __init__(self, *args: Any, lines: list[InboundShipmentLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[self.field_name(line)] = forms.IntegerField(
                label=str(line.variant),
                min_value=0,
                max_value=line.outstanding,
                initial=line.outstanding,
                required=False,
                disabled=line.outstanding == 0,
                error_messages={
                    "max_value": _("Only %(limit_value)s pairs of this size are still expected."),
                    "min_value": _("Enter 0 or more pairs."),
                },
                widget=forms.NumberInput(attrs={"class": "vIntegerField", "inputmode": "numeric"}),
            )

    @staticmethod
    def field_name(line: InboundShipmentLine) -> str:
        return f"line_{line.pk}"

    def rows(self) -> list[tuple[InboundShipmentLine, forms.BoundField]]:
        return [(line, self[self.field_name(line)]) for line in self.lines]

    def quantities(self) -> dict[int, int]:
        return {
            line.pk: self.cleaned_data.get(self.field_name(line)) or 0
            for line in self.lines
            if line.outstanding
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not any(self.quantities().values()):
            raise forms.ValidationError(_("Enter the pairs that arrived for at least one line."))
        return cleaned


class ShipmentReceiveMixin:
    """Actions and the per-shipment receive page for `InboundShipmentAdmin`."""

    actions = ["receive_shipments", "mark_shipments_in_transit", "cancel_shipments"]
    change_form_template = "admin/inventory/inboundshipment/change_form.html"

    admin_site: admin.AdminSite
    model: type[InboundShipment]

    # --- which actions are offered; each shipment is checked again against its store -------

    def has_receive_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("inventory.change_inboundshipment"))

    def _each(
        self, request: HttpRequest, queryset: QuerySet[InboundShipment], act: Any, done: Any
    ) -> None:
        act_on_each(
            request,
            queryset.select_related("store"),
            act=act,
            done=done,
            allowed=permissions.can_receive_shipment,
            refusal=lambda shipment: (
                _("%(shipment)s: only a manager of %(store)s can change this shipment.")
                % {"shipment": shipment, "store": shipment.store}
            ),
        )

    @admin.action(description=_("Receive everything still expected"), permissions=["receive"])
    def receive_shipments(self, request: HttpRequest, queryset: QuerySet[InboundShipment]) -> None:
        self._each(
            request,
            queryset,
            act=lambda s: services.shipment_receive(shipment=s, user=request.user),
            done=lambda n: ngettext(
                "%(count)d shipment received into stock.",
                "%(count)d shipments received into stock.",
                n,
            ),
        )

    @admin.action(description=_("Mark in transit: the supplier sent it"), permissions=["receive"])
    def mark_shipments_in_transit(
        self, request: HttpRequest, queryset: QuerySet[InboundShipment]
    ) -> None:
        self._each(
            request,
            queryset,
            act=lambda s: services.shipment_mark_in_transit(shipment=s),
            done=lambda n: ngettext(
                "%(count)d shipment marked in transit.", "%(count)d shipments marked in transit.", n
            ),
        )

    @admin.action(
        description=_("Cancel: the supplier will not send the rest"), permissions=["receive"]
    )
    def cancel_shipments(self, request: HttpRequest, queryset: QuerySet[InboundShipment]) -> None:
        self._each(
            request,
            queryset,
            act=lambda s: services.shipment_cancel(shipment=s, user=request.user),
            done=lambda n: ngettext(
                "%(count)d shipment cancelled.", "%(count)d shipments cancelled.", n
            ),
        )

    # --- the receive page -----------------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        opts = self.model._meta
        extra = [
            path(
                "<path:object_id>/receive/",
                self.admin_site.admin_view(self.receive_view),
                name=f"{opts.app_label}_{opts.model_name}_receive",
            )
        ]
        return extra + super().get_urls()  # type: ignore[misc]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        shipment = _shipment(object_id)
        extra_context = {
            **(extra_context or {}),
            "can_receive_goods": bool(
                shipment is not None
                and shipment.status in InboundShipment.OPEN_STATUSES
                and permissions.can_receive_shipment(request.user, shipment)
            ),
        }
        return super().change_view(  # type: ignore[misc]
            request, object_id, form_url, extra_context
        )

    def receive_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        shipment = _shipment(object_id)
        if shipment is None:
            raise Http404(_("No such shipment."))
        if not permissions.can_receive_shipment(request.user, shipment):
            raise PermissionDenied
        opts = self.model._meta
        change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[shipment.pk])
        if shipment.status not in InboundShipment.OPEN_STATUSES:
            messages.error(
                request,
                _("%(shipment)s is %(status)s: there is nothing to receive.")
                % {"shipment": shipment, "status": shipment.get_status_display()},
            )
            return HttpResponseRedirect(change_url)

        lines = list(shipment.lines.select_related("variant__product").order_by("pk"))
        form = ShipmentReceiveForm(request.POST or None, lines=lines)
        if request.method == "POST" and form.is_valid():
            try:
                movements = services.shipment_receive(
                    shipment=shipment, quantities=form.quantities(), user=request.user
                )
            except services.InvalidReceipt as exc:
                # Someone else received part of it meanwhile: show why, per line.
                for line_id, message in exc.errors.items():
                    field = next(
                        (form.field_name(line) for line in lines if line.pk == line_id), None
                    )
                    form.add_error(field, message)
            except services.StockError as exc:
                messages.error(request, exc.message)
                return HttpResponseRedirect(change_url)
            else:
                pairs = sum(m.delta for m in movements)
                if shipment.status == InboundShipment.Status.RECEIVED:
                    text = ngettext(
                        "%(pairs)d pair received; shipment %(shipment)s is complete.",
                        "%(pairs)d pairs received; shipment %(shipment)s is complete.",
                        pairs,
                    )
                else:
                    text = ngettext(
                        "%(pairs)d pair received; the rest of %(shipment)s is still expected.",
                        "%(pairs)d pairs received; the rest of %(shipment)s is still expected.",
                        pairs,
                    )
                messages.success(request, text % {"pairs": pairs, "shipment": shipment})
                return HttpResponseRedirect(change_url)

        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": _("Receive shipment %(shipment)s") % {"shipment": shipment},
            "shipment": shipment,
            "form": form,
            "change_url": change_url,
            "changelist_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        }
        return TemplateResponse(request, "admin/inventory/inboundshipment/receive.html", context)


def _shipment(object_id: str) -> InboundShipment | None:
    try:
        return InboundShipment.objects.select_related("store").get(pk=int(object_id))
    except (ValueError, InboundShipment.DoesNotExist):
        return None


class InboundShipmentLineInline(admin.TabularInline):
    model = InboundShipmentLine
    fields = ["variant", "quantity", "received_quantity"]
    readonly_fields = ["received_quantity"]
    autocomplete_fields = ["variant"]
    extra = 0

    def _editable(self, obj: InboundShipment | None) -> bool:
        # Lines are the order: fixed once goods are on their way.
        return obj is None or obj.status == InboundShipment.Status.EXPECTED

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(InboundShipment)
class InboundShipmentAdmin(ShipmentReceiveMixin, admin.ModelAdmin):  # type: ignore[misc]
    list_display = [
        "reference",
        "supplier",
        "store",
        "expected_date",
        "status",
        "line_count",
        "pairs",
        "received_at",
    ]
    list_filter = ["status", "store", "expected_date"]
    list_select_related = ["store"]
    search_fields = ["reference", "supplier", "lines__variant__sku", "lines__variant__barcode"]
    date_hierarchy = "expected_date"
    autocomplete_fields = ["store"]
    # The status moves through services (receive, cancel), never by editing the field.
    readonly_fields = [
        "status",
        "created_at",
        "received_at",
        "received_by",
        "cancelled_at",
        "cancelled_by",
    ]
    inlines = [InboundShipmentLineInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[InboundShipment]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                line_count=Count("lines", distinct=True),
                pairs=Sum("lines__quantity"),
            )
        )

    @admin.display(description=_("lines"), ordering="line_count")
    def line_count(self, obj: Any) -> int:
        return int(obj.line_count)

    @admin.display(description=_("pairs"), ordering="pairs")
    def pairs(self, obj: Any) -> int:
        return int(obj.pairs or 0)
