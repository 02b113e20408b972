"""Supplier shipments on their way to a store, and their lines."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.models import Variant

from .stores import Store


class InboundShipment(models.Model):
    class Status(models.TextChoices):
        EXPECTED = "expected", _("Expected")
        IN_TRANSIT = "in_transit", _("In transit")
        RECEIVED = "received", _("Received")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.EXPECTED, Status.IN_TRANSIT)

    reference = models.CharField(_("supplier reference"), max_length=60, unique=True)
    supplier = models.CharField(_("supplier"), max_length=100, blank=True)
    store = models.ForeignKey(
        Store,
        on_delete=models.PROTECT,
        related_name="inbound_shipments",
        verbose_name=_("destination"),
    )
    expected_date = models.DateField(_("expected arrival"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.EXPECTED
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    # Whoever booked the last outstanding pairs (each receipt's own is in the ledger).
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )

    class Meta:
        ordering = ["expected_date", "id"]
        verbose_name = _("inbound shipment")
        verbose_name_plural = _("inbound shipments")
        indexes = [models.Index(fields=["status", "expected_date"], name="shipment_open_eta")]

    def __str__(self) -> str:
        return self.reference


class InboundShipmentLine(models.Model):
    shipment = models.ForeignKey(
        InboundShipment, on_delete=models.CASCADE, related_name="lines", verbose_name=_("shipment")
    )
    variant = models.ForeignKey(
        Variant, on_delete=models.PROTECT, related_name="inbound_lines", verbose_name=_("size")
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    received_quantity = models.PositiveIntegerField(_("received"), default=0)

    class Meta:
        verbose_name = _("shipment line")
        verbose_name_plural = _("shipment lines")
        constraints = [
            models.UniqueConstraint(fields=["shipment", "variant"], name="shipmentline_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="shipmentline_quantity_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.shipment} · {self.variant.sku} × {self.quantity}"

    @property
    def outstanding(self) -> int:
        return max(self.quantity - self.received_quantity, 0)
