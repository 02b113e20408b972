"""Pairs that move or wait for a customer: transfers between stores, and holds."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalog.models import Variant

from .stores import Store


class Transfer(models.Model):
    """Pairs moved between stores, often for a customer waiting at the destination."""

    class Status(models.TextChoices):
        # Context: a transfer (העברה) is feminine in Hebrew, a shipment is not.
        # A customer's own request: its pair is set aside at the source while staff decide.
        AWAITING_APPROVAL = "awaiting", pgettext_lazy("transfer status", "Awaiting approval")
        REQUESTED = "requested", pgettext_lazy("transfer status", "Requested")
        DISPATCHED = "dispatched", pgettext_lazy("transfer status", "Dispatched")
        RECEIVED = "received", pgettext_lazy("transfer status", "Received")
        CANCELLED = "cancelled", pgettext_lazy("transfer status", "Cancelled")
        DECLINED = "declined", pgettext_lazy("transfer status", "Declined")

    class Origin(models.TextChoices):
        STAFF = "staff", _("Staff")
        CUSTOMER = "customer", _("Customer on the website")

    variant = models.ForeignKey(
        Variant, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("size")
    )
    from_store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="transfers_out", verbose_name=_("from")
    )
    to_store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="transfers_in", verbose_name=_("to")
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    customer_name = models.CharField(_("customer name"), max_length=100, blank=True)
    customer_phone = models.CharField(_("customer mobile"), max_length=20, blank=True)
    customer_language = models.CharField(_("customer language"), max_length=5, default="he")
    expected_date = models.DateField(_("expected arrival"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    origin = models.CharField(
        _("asked by"), max_length=12, choices=Origin.choices, default=Origin.STAFF
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    # Why staff declined a customer's request; the customer is texted it.
    decline_reason = models.CharField(_("reason for declining"), max_length=120, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dispatched by"),
    )
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        permissions = [
            ("dispatch_transfer", _("Can dispatch transfers from their store")),
            ("receive_transfer", _("Can receive transfers into their store")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="transfer_quantity_gt_0"),
            models.CheckConstraint(
                condition=~Q(from_store=F("to_store")), name="transfer_distinct_stores"
            ),
        ]
        indexes = [
            models.Index(fields=["to_store", "status"], name="transfer_incoming"),
            models.Index(fields=["customer_phone", "status"], name="transfer_customer_phone"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.variant.sku} {self.from_store.code}→{self.to_store.code}"


class Hold(models.Model):
    """One pair set aside at a store for one customer, usually for 24 hours.

    `purpose` says what the hold is for: someone waiting for the size (the waitlist entry,
    in `demand`, points at its hold: this app sits below that one and never names it), a
    transfer that arrived for a customer (`transfer`), or a customer's own request. The
    database allows one active hold per transfer, and refuses a hold whose fields do not match
    its purpose.
    """

    class Purpose(models.TextChoices):
        WAITLIST = "waitlist", _("Waitlist")
        TRANSFER = "transfer", _("Transfer")
        # "Hold a pair for me": an in-stock pair the customer asked for on the website.
        REQUEST = "request", _("Hold request")

    class Status(models.TextChoices):
        # Context: a hold (שמירה) is feminine in Hebrew.
        ACTIVE = "active", pgettext_lazy("hold status", "Active")
        COLLECTED = "collected", pgettext_lazy("hold status", "Collected")
        RELEASED = "released", pgettext_lazy("hold status", "Released")
        EXPIRED = "expired", pgettext_lazy("hold status", "Expired")

    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="holds", verbose_name=_("store")
    )
    variant = models.ForeignKey(
        Variant, on_delete=models.PROTECT, related_name="holds", verbose_name=_("size")
    )
    purpose = models.CharField(_("held for"), max_length=10, choices=Purpose.choices)
    transfer = models.ForeignKey(
        Transfer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="holds",
        verbose_name=_("transfer"),
    )
    customer_name = models.CharField(_("customer name"), max_length=100, blank=True)
    customer_phone = models.CharField(_("customer mobile"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=5, default="he")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Set when the customer is told; the hold's clock runs from then.
    notified_at = models.DateTimeField(_("customer told"), null=True, blank=True)
    expires_at = models.DateTimeField(_("held until"), null=True, blank=True)
    # When the customer read the text about it (WhatsApp tells; SMS never does).
    text_read_at = models.DateTimeField(_("text read"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    # The product's price when the pair was collected: what the sale was worth, whatever the
    # price is later.
    collected_price = models.DecimalField(
        _("price when collected (₪)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    # The pick-up slot the customer chose from their text's link (its start), and when they
    # asked for one more day (once per hold).
    pickup_at = models.DateTimeField(_("coming at"), null=True, blank=True)
    extended_at = models.DateTimeField(_("extended"), null=True, blank=True)

    class Meta:
        ordering = ["expires_at", "id"]
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        permissions = [("manage_holds", _("Can mark holds collected or release them"))]
        constraints = [
            models.UniqueConstraint(
                fields=["transfer"],
                condition=Q(status="active"),
                name="hold_one_active_per_transfer",
            ),
            # Asking twice for the same size at the same store holds one pair, not two.
            models.UniqueConstraint(
                fields=["customer_phone", "store", "variant"],
                condition=Q(status="active", purpose="request"),
                name="hold_one_active_request_per_number",
            ),
            # A customer's own request names her number while it is held; once it has ended,
            # the number may be deleted (retention, or her own request to delete her data).
            models.CheckConstraint(
                condition=Q(purpose="waitlist", transfer__isnull=True)
                | Q(purpose="transfer", transfer__isnull=False)
                | Q(purpose="request", transfer__isnull=True)
                & (~Q(customer_phone="") | ~Q(status="active")),
                name="hold_purpose_matches_fields",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="hold_status_expiry"),
            models.Index(fields=["store", "status"], name="hold_store_status"),
            # The dashboard: holds placed in a period, pairs collected in a period.
            models.Index(fields=["created_at"], name="hold_created"),
            models.Index(fields=["ended_at"], name="hold_ended"),
            # The pairs a number has held at once (a limit per number).
            models.Index(fields=["customer_phone", "status"], name="hold_customer_phone"),
        ]

    def __str__(self) -> str:
        return f"{self.variant} @ {self.store} ({self.get_status_display()})"

    @property
    def held_for(self) -> str:
        """What the hold is for, as staff read it: "waitlist hold #7", "transfer #3"."""
        if self.purpose == Hold.Purpose.TRANSFER:
            return _("transfer #%(id)s") % {"id": self.transfer_id}
        if self.purpose == Hold.Purpose.REQUEST:
            return _("hold request #%(id)s") % {"id": self.pk}
        return _("waitlist hold #%(id)s") % {"id": self.pk}
