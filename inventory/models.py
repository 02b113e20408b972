from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalog.localized import Localized
from catalog.models import Variant

from . import policy


class StoreQuerySet(models.QuerySet["Store"]):
    def for_customers(self) -> "StoreQuerySet":
        """Open shops a customer can walk into: never the warehouse."""
        return self.filter(policy.customer_store_q())

    def for_staff(self) -> "StoreQuerySet":
        """Open stores whose pairs staff see and may send: the warehouse included."""
        return self.filter(policy.staff_store_q())


class Store(models.Model):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    name_he = models.CharField(_("name (Hebrew)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    city_he = models.CharField(_("city (Hebrew)"), max_length=60)
    city_en = models.CharField(_("city (English)"), max_length=60)
    address_he = models.CharField(_("address (Hebrew)"), max_length=200)
    address_en = models.CharField(_("address (English)"), max_length=200)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    opening_hours_he = models.TextField(_("opening hours (Hebrew)"), blank=True)
    opening_hours_en = models.TextField(_("opening hours (English)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_warehouse = models.BooleanField(
        _("central warehouse"),
        default=False,
        help_text=_("The warehouse's stock is never shown to customers as a store's."),
    )
    safety_stock = models.PositiveSmallIntegerField(
        _("safety stock"),
        null=True,
        blank=True,
        help_text=_(
            "Pairs of each size kept for walk-in customers before the rest is offered "
            "to other stores' waiting lists. Empty: the default setting."
        ),
    )
    pickup_reminder = models.BooleanField(
        _("pick-up reminder"),
        default=False,
        help_text=_(
            "Text customers who have not said when they will come, shortly before "
            "their hold runs out."
        ),
    )
    pickup_reminder_hours = models.PositiveSmallIntegerField(
        _("reminder lead time (hours)"),
        default=2,
        help_text=_("How long before the hold runs out the reminder goes."),
    )

    name = Localized("name")
    city = Localized("city")
    address = Localized("address")
    opening_hours = Localized("opening_hours")

    objects = StoreQuerySet.as_manager()

    class Meta:
        ordering = ["is_warehouse", "name_en"]
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        permissions = [("view_all_stores", _("Can see every store's transfers and holds"))]
        constraints = [
            models.UniqueConstraint(
                fields=["is_warehouse"],
                condition=Q(is_warehouse=True),
                name="store_single_warehouse",
            ),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="store_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(self.name)


class StoreHours(models.Model):
    """When a store is open on one day of the week: the pick-up slots customers can choose.
    A day without a row is a day the store is closed."""

    class Weekday(models.IntegerChoices):
        # The Israeli week: Sunday first.
        SUNDAY = 0, _("Sunday")
        MONDAY = 1, _("Monday")
        TUESDAY = 2, _("Tuesday")
        WEDNESDAY = 3, _("Wednesday")
        THURSDAY = 4, _("Thursday")
        FRIDAY = 5, _("Friday")
        SATURDAY = 6, _("Saturday")

    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="hours", verbose_name=_("store")
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["store", "weekday"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.UniqueConstraint(fields=["store", "weekday"], name="storehours_one_per_day"),
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="storehours_closes_after_opens"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="storehours_weekday_valid"
            ),
        ]

    def __str__(self) -> str:
        hours = f"{self.opens:%H:%M}–{self.closes:%H:%M}"
        return f"{self.store.code} {self.get_weekday_display()} {hours}"

    @staticmethod
    def weekday_of(day: "date") -> int:
        """The `Weekday` of a date (Python counts from Monday)."""
        return (day.weekday() + 1) % 7


class StockLevelQuerySet(models.QuerySet["StockLevel"]):
    def with_available(self) -> "StockLevelQuerySet":
        return self.annotate(available_qty=policy.available_expression())

    def in_stock(self, *, at_least: int = 1) -> "StockLevelQuerySet":
        """Levels with at least `at_least` pairs available."""
        return self.filter(policy.in_stock_q(at_least=at_least))

    def at_customer_stores(self) -> "StockLevelQuerySet":
        """Levels at the shops customers can walk into (`Store.objects.for_customers()`)."""
        return self.filter(policy.customer_store_q("store__"))


class StockLevel(models.Model):
    """How many pairs of one size are at one store. Changed only by inventory.services."""

    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="stock_levels", verbose_name=_("store")
    )
    variant = models.ForeignKey(
        Variant, on_delete=models.PROTECT, related_name="stock_levels", verbose_name=_("size")
    )
    on_hand = models.IntegerField(_("on hand"), default=0)
    reserved = models.IntegerField(_("reserved"), default=0)
    # When the number was last confirmed by a till, a count or a stock movement.
    updated_at = models.DateTimeField(_("last confirmed"), auto_now_add=True)

    objects = StockLevelQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        permissions = [("adjust_stock", _("Can adjust and count stock at their store"))]
        constraints = [
            models.UniqueConstraint(fields=["store", "variant"], name="stocklevel_unique"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="stocklevel_on_hand_gte_0"),
            models.CheckConstraint(
                condition=Q(reserved__gte=0) & Q(reserved__lte=F("on_hand")),
                name="stocklevel_reserved_within_on_hand",
            ),
        ]
        indexes = [models.Index(fields=["variant", "store"], name="stocklevel_variant_store")]

    def __str__(self) -> str:
        return f"{self.store} · {self.variant}: {self.on_hand}"

    @property
    def available(self) -> int:
        return policy.available(on_hand=self.on_hand, reserved=self.reserved)


class TillToken(models.Model):
    """A store till's API credential. Only a hash of the secret is kept."""

    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="till_tokens", verbose_name=_("store")
    )
    name = models.CharField(_("till name"), max_length=60)
    prefix = models.CharField(_("key prefix"), max_length=12, unique=True)
    key_hash = models.CharField(_("key hash"), max_length=128)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("till token")
        verbose_name_plural = _("till tokens")

    def __str__(self) -> str:
        return f"{self.store.code}/{self.name} ({self.prefix}…)"


class StockMovement(models.Model):
    """The ledger: one row per change of on-hand. Their sum per level equals `on_hand`."""

    class Reason(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        SALE = "sale", _("Sale")
        RETURN = "return", _("Return")
        COUNT = "count", _("Stock count")
        ADJUSTMENT = "adjustment", _("Adjustment")
        TRANSFER_OUT = "transfer_out", _("Transfer out")
        TRANSFER_IN = "transfer_in", _("Transfer in")
        HOLD_COLLECTED = "hold_collected", _("Hold collected")

    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="movements", verbose_name=_("store")
    )
    variant = models.ForeignKey(
        Variant, on_delete=models.PROTECT, related_name="movements", verbose_name=_("size")
    )
    delta = models.IntegerField(_("change"))
    on_hand_after = models.IntegerField(_("on hand after"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    # The till's own reference for this line: a resent line is recognised and skipped.
    external_reference = models.CharField(_("till reference"), max_length=100, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    till = models.ForeignKey(
        TillToken,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="movements",
        verbose_name=_("till"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        constraints = [
            models.UniqueConstraint(
                fields=["store", "external_reference"],
                condition=~Q(external_reference=""),
                name="movement_unique_till_reference",
            ),
        ]
        indexes = [models.Index(fields=["store", "variant"], name="movement_store_variant")]

    def __str__(self) -> str:
        return f"{self.store.code} {self.variant.sku} {self.delta:+d} ({self.reason})"


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
            models.CheckConstraint(
                condition=Q(purpose="waitlist", transfer__isnull=True)
                | Q(purpose="transfer", transfer__isnull=False)
                | Q(purpose="request", transfer__isnull=True) & ~Q(customer_phone=""),
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


class StaffProfile(models.Model):
    """A staff member's home store: where their stock finder measures distance from."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("user"),
    )
    home_store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="staff", verbose_name=_("home store")
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return f"{self.user} @ {self.home_store}"
