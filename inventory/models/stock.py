"""Stock: a level per size and store, the ledger of every change, and the tills' keys."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from catalog.models import Variant

from .. import policy
from .stores import Store


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
    # A hash of the whole line the till sent under that reference: a resend is that same line,
    # anything else under the reference is a conflict. Empty for lines recorded before it.
    external_fingerprint = models.CharField(_("till line fingerprint"), max_length=64, blank=True)
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


class SizeStock(models.Model):
    """One size's pairs for sale, store by store: a compact copy of its stock levels for the
    pages that show them (one row read instead of a level per store).

    Kept by `services.locks.levels_write` in the transaction of every stock write, with what
    `policy.available` counts on the locked rows; `manage.py rebuild_size_stock` writes every
    row again from the levels. A size no write has touched yet has no row: nothing for sale.
    """

    variant = models.OneToOneField(
        Variant, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="+", db_index=True
    )
    # Store id (a string: JSON keys are) → [pairs available, when last confirmed (ISO 8601)],
    # for every store, whatever its kind, with a pair available; pages pick the stores they
    # show.
    shops = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("size stock summary")
        verbose_name_plural = _("size stock summaries")

    def __str__(self) -> str:
        return f"{self.variant_id}: {len(self.shops)}"
