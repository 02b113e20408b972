"""What customers asked for: waiting for a size at a store, and transfers suggested to serve them.

The tables keep the names they were created with (`notifications_*`), when these models lived in
the messaging app: moving a model between apps changes no row.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalog.models import Product, Variant
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


class Launch(models.Model):
    """A launch draw: a hyped release raffled per store and size.

    scheduled (entries open from `opens_at` to `closes_at`; the `commitment` — SHA-256 of the
    secret `seed` — is public from `opens_at`) → drawing (entries closed; each store's sizes
    drawn one by one, resumable) → drawn (the seed is published: anyone can recompute the
    order). Cancelled before the draw gives every reserved pair back.
    """

    class Status(models.TextChoices):
        # Context: a draw (הגרלה) is feminine in Hebrew.
        SCHEDULED = "scheduled", pgettext_lazy("draw status", "Scheduled")
        DRAWING = "drawing", pgettext_lazy("draw status", "Drawing")
        DRAWN = "drawn", pgettext_lazy("draw status", "Drawn")
        CANCELLED = "cancelled", pgettext_lazy("draw status", "Cancelled")

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="launches", verbose_name=_("model")
    )
    opens_at = models.DateTimeField(_("entries open"))
    closes_at = models.DateTimeField(_("entries close"))
    draw_at = models.DateTimeField(_("draw time"))
    pickup_hours = models.PositiveIntegerField(_("pick-up window (hours)"), default=48)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    # 32 random bytes (hex), secret until the draw; `commitment` is their SHA-256.
    seed = models.CharField(_("seed"), max_length=64, editable=False)
    commitment = models.CharField(_("commitment"), max_length=64, editable=False)
    seed_published_at = models.DateTimeField(_("seed published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    drawn_at = models.DateTimeField(_("drawn"), null=True, blank=True)

    class Meta:
        ordering = ["-draw_at", "-id"]
        verbose_name = _("launch draw")
        verbose_name_plural = _("launch draws")
        permissions = [("manage_launches", _("Can run launch draws"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("closes_at"))
                & Q(closes_at__lte=models.F("draw_at")),
                name="launch_times_in_order",
            ),
        ]
        indexes = [models.Index(fields=["status", "draw_at"], name="launch_due")]

    def __str__(self) -> str:
        return f"{self.product} ({timezone.localtime(self.draw_at):%d/%m/%Y %H:%M})"

    def is_open(self, now: datetime) -> bool:
        """Whether entries are taken at `now`."""
        return self.status == self.Status.SCHEDULED and self.opens_at <= now < self.closes_at

    @property
    def pickup_window(self) -> timedelta:
        return timedelta(hours=self.pickup_hours)


class LaunchAllocation(models.Model):
    """The pairs of one size at one store that a launch draws: `pairs` promised, `reserved` of
    them set aside at the store now (the rest are on their way in a transfer). Drawn once
    (`drawn_at`); its pairs then belong to its winners' holds."""

    launch = models.ForeignKey(
        Launch, on_delete=models.CASCADE, related_name="allocations", verbose_name=_("launch")
    )
    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store")
    )
    variant = models.ForeignKey(
        Variant, on_delete=models.PROTECT, related_name="+", verbose_name=_("size")
    )
    pairs = models.PositiveIntegerField(_("pairs"))
    reserved = models.PositiveIntegerField(_("pairs set aside"), default=0)
    drawn_at = models.DateTimeField(_("drawn"), null=True, blank=True)

    class Meta:
        ordering = ["store_id", "variant_id"]
        verbose_name = _("pairs of a launch")
        verbose_name_plural = _("pairs of a launch")
        constraints = [
            models.UniqueConstraint(
                fields=["launch", "store", "variant"], name="launch_allocation_unique"
            ),
            models.CheckConstraint(
                condition=Q(reserved__lte=models.F("pairs")), name="launch_reserved_le_pairs"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant} @ {self.store}: {self.pairs}"


class LaunchEntryQuerySet(models.QuerySet["LaunchEntry"]):
    def in_draw(self) -> "LaunchEntryQuerySet":
        """Entries that take part in the draw (not withdrawn, not disqualified)."""
        return self.filter(status=LaunchEntry.Status.ENTERED)

    def next_in_line(self) -> "LaunchEntryQuerySet":
        """Entrants who did not win, in drawn order: the next pair that comes free is theirs."""
        return self.filter(status=LaunchEntry.Status.IN_LINE).order_by("rank", "id")


class LaunchEntry(models.Model):
    """One confirmed number's entry in a launch: one size at one store (entering again
    replaces them).

    entered → won (a pair held: `hold`) → collected / lapsed; or entered → in line (not drawn
    this time; their turn comes if a winner before them lapses) → won …; withdrawn by the
    entrant or disqualified by staff before the draw. `rank` is the place in the drawn order
    of the entry's store and size (1 first), by HMAC-SHA256(seed, public_id).
    """

    class Status(models.TextChoices):
        ENTERED = "entered", _("Entered")
        WON = "won", _("Won: pair held")
        IN_LINE = "in_line", _("Not drawn: next in line")
        COLLECTED = "collected", _("Collected")
        LAPSED = "lapsed", _("Hold ended")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DISQUALIFIED = "disqualified", _("Disqualified")

    # A drawn entry whose number was erased keeps its place in the published order with this
    # mark and its code instead of the number (see `services.launch_privacy`).
    ERASED = "erased:"

    launch = models.ForeignKey(
        Launch, on_delete=models.CASCADE, related_name="entries", verbose_name=_("launch")
    )
    # What the published list shows instead of the number; the draw's keyed hash is over it.
    public_id = models.CharField(_("entry code"), max_length=16, unique=True)
    phone = models.CharField(_("mobile"), max_length=20)
    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store")
    )
    variant = models.ForeignKey(
        Variant, on_delete=models.PROTECT, related_name="+", verbose_name=_("size")
    )
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES, default="he")
    result_text = models.BooleanField(_("text me the result"), default=False)
    # The client address it came from (an IPv6 address by its /64): the cap per address.
    client_key = models.CharField(_("client address"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ENTERED
    )
    rank = models.PositiveIntegerField(_("place in the draw"), null=True, blank=True)
    hold = models.OneToOneField(
        Hold,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="launch_entry",
        verbose_name=_("hold"),
    )
    note = models.CharField(_("staff note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = LaunchEntryQuerySet.as_manager()

    class Meta:
        ordering = ["launch", "store_id", "variant_id", "rank", "id"]
        verbose_name = _("launch entry")
        verbose_name_plural = _("launch entries")
        constraints = [
            models.UniqueConstraint(fields=["launch", "phone"], name="launch_one_entry_per_number"),
        ]
        indexes = [
            models.Index(
                fields=["launch", "store", "variant", "status"], name="launch_entry_queue"
            ),
            models.Index(fields=["launch", "client_key"], name="launch_entry_client"),
            models.Index(fields=["phone", "status"], name="launch_entry_phone"),
        ]

    def __str__(self) -> str:
        return self.public_id

    @property
    def erased(self) -> bool:
        return self.phone.startswith(self.ERASED)
