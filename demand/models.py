"""What customers asked for: waiting for a size at a store, and transfers suggested to serve them.

The tables keep the names they were created with (`notifications_*`), when these models lived in
the messaging app: moving a model between apps changes no row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalog.models import Variant
from inventory.models import Hold, Store, Transfer
from notifications.models import LANGUAGE_CHOICES


class WaitlistEntryQuerySet(models.QuerySet["WaitlistEntry"]):
    def waiting(self) -> "WaitlistEntryQuerySet":
        """Entries that get the next pair, oldest sign-up first."""
        return self.filter(status=WaitlistEntry.Status.ACTIVE).order_by("created_at", "id")

    def open(self) -> "WaitlistEntryQuerySet":
        return self.filter(status__in=WaitlistEntry.OPEN_STATUSES)


class WaitlistEntry(models.Model):
    """A customer waiting for one size at one store.

    pending (number not confirmed yet) → active (waiting, in sign-up order) → held (a pair is
    set aside: `hold`) → collected / lapsed (the hold expired or staff released it); or
    cancelled at any point before the pair is collected. A suggested transfer that a manager
    approved takes an active entry to "transfer" (a pair is on its way: `transfer`); it is held
    when the transfer arrives, and waiting again, in its old place, if the transfer is cancelled.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        ACTIVE = "active", _("Waiting")
        TRANSFER = "transfer", _("Pair on its way")
        HELD = "held", _("Pair held")
        COLLECTED = "collected", _("Collected")
        LAPSED = "lapsed", _("Hold ended")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.PENDING, Status.ACTIVE)

    phone = models.CharField(_("mobile"), max_length=20)
    variant = models.ForeignKey(
        Variant, on_delete=models.CASCADE, related_name="waitlist", verbose_name=_("size")
    )
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="waitlist", verbose_name=_("store")
    )
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES, default="he")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    hold = models.OneToOneField(
        Hold,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="waitlist_entry",
        verbose_name=_("hold"),
    )
    transfer = models.ForeignKey(
        Transfer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="waitlist_entries",
        verbose_name=_("transfer"),
    )
    # Sign-up order decides who gets a pair first.
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    activated_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    objects = WaitlistEntryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        db_table = "notifications_waitlistentry"
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")
        constraints = [
            # The same number, size and store again is one entry, not two.
            models.UniqueConstraint(
                fields=["phone", "variant", "store"],
                condition=Q(status__in=["pending", "active"]),
                name="waitlist_one_open_entry",
            ),
        ]
        indexes = [
            models.Index(
                fields=["store", "variant", "status", "created_at"], name="waitlist_queue"
            ),
            models.Index(fields=["phone", "status"], name="waitlist_phone"),
            # The dashboard's sign-ups of a period, all stores.
            models.Index(fields=["created_at"], name="waitlist_signed_up"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.variant} @ {self.store}"


class TransferSuggestion(models.Model):
    """Pairs a store could send to customers waiting at another: proposed by
    `transfer_suggestions_refresh`, approved (one transfer per customer) or dismissed by a
    manager, or withdrawn when its customers or its surplus are gone."""

    class Status(models.TextChoices):
        # Context: a suggestion (הצעה) is feminine in Hebrew.
        PROPOSED = "proposed", pgettext_lazy("suggestion status", "Proposed")
        APPROVED = "approved", pgettext_lazy("suggestion status", "Approved")
        DISMISSED = "dismissed", pgettext_lazy("suggestion status", "Dismissed")
        WITHDRAWN = "withdrawn", pgettext_lazy("suggestion status", "Withdrawn")

    variant = models.ForeignKey(
        Variant, on_delete=models.CASCADE, related_name="+", verbose_name=_("size")
    )
    from_store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="+", verbose_name=_("from")
    )
    to_store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="+", verbose_name=_("to")
    )
    entries = models.ManyToManyField(
        WaitlistEntry, related_name="transfer_suggestions", verbose_name=_("customers served")
    )
    distance_km = models.FloatField(_("distance (km)"))
    oldest_wait_since = models.DateTimeField(_("waiting since"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    # A dismissed suggestion is not proposed again (same size, same two stores) until then.
    snoozed_until = models.DateTimeField(_("not proposed again until"), null=True, blank=True)
    transfers = models.ManyToManyField(
        Transfer, blank=True, related_name="+", verbose_name=_("transfers")
    )

    class Meta:
        ordering = ["oldest_wait_since", "distance_km", "id"]
        db_table = "notifications_transfersuggestion"
        verbose_name = _("suggested transfer")
        verbose_name_plural = _("suggested transfers")
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "from_store", "to_store"],
                condition=Q(status="proposed"),
                name="suggestion_one_proposed_per_route",
            ),
            models.CheckConstraint(
                condition=~Q(from_store=models.F("to_store")), name="suggestion_distinct_stores"
            ),
        ]
        indexes = [models.Index(fields=["status", "to_store"], name="suggestion_status_to")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.variant} {self.from_store} → {self.to_store}"
