"""The dashboard's daily totals: kept by database triggers in the same transaction as the rows
they count (insights.totals), rebuilt from those rows by `manage.py rebuild_daily_totals`. Days
are the site's (Israel's)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from inventory.models import Store


class DailyTotal(models.Model):
    """One store's counts for one day; `store` is empty for texts that belong to no store
    (confirmation codes and the like), which count only in the all-stores figures."""

    day = models.DateField(_("day"))
    store = models.ForeignKey(
        Store,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("store"),
    )
    signups = models.IntegerField(default=0)  # confirmed sign-ups, by the day signed up
    signups_collected = models.IntegerField(default=0)  # of those, pair collected
    texts_sent = models.IntegerField(default=0)  # by the day sent
    holds_created = models.IntegerField(default=0)  # holds by the day placed, and their status
    holds_active = models.IntegerField(default=0)
    holds_collected = models.IntegerField(default=0)
    holds_released = models.IntegerField(default=0)
    holds_expired = models.IntegerField(default=0)
    collected = models.IntegerField(default=0)  # pairs collected, by the day collected
    transfers_requested = models.IntegerField(default=0)  # transfers in, by the day requested
    transfers_received = models.IntegerField(default=0)
    ratings = models.IntegerField(default=0)
    rating_points = models.IntegerField(default=0)  # the sum of the scores
    ratings_1 = models.IntegerField(default=0)
    ratings_2 = models.IntegerField(default=0)
    ratings_3 = models.IntegerField(default=0)
    ratings_4 = models.IntegerField(default=0)
    ratings_5 = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("daily total")
        verbose_name_plural = _("daily totals")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "store"], nulls_distinct=False, name="dailytotal_one_per_store_day"
            )
        ]
        indexes = [models.Index(fields=["store", "day"], name="dailytotal_store_day")]

    def __str__(self) -> str:
        return f"{self.day} · {self.store or '-'}"


class DailyCollection(models.Model):
    """Pairs collected at a store on a day for one hold purpose, and what they were worth at
    the price when collected. A new purpose is a new row value."""

    day = models.DateField(_("day"))
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="+", verbose_name=_("store")
    )
    purpose = models.CharField(_("held for"), max_length=20)
    pairs = models.IntegerField(_("pairs"), default=0)
    value = models.DecimalField(_("value (₪)"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("daily collection")
        verbose_name_plural = _("daily collections")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "store", "purpose"], name="dailycollection_one_per_purpose"
            )
        ]
        indexes = [models.Index(fields=["store", "day"], name="dailycollection_store_day")]

    def __str__(self) -> str:
        return f"{self.day} · {self.store_id} · {self.purpose}"


class DailyDuration(models.Model):
    """How many durations of one kind fell in one histogram bucket, per store and day, and for
    all stores together (`store` empty): the medians of long periods are read from these (see
    insights.totals.bucket_bounds)."""

    class Measure(models.TextChoices):
        SIGNUP_TO_TEXT = "signup_to_text", _("Sign-up to hold text")
        TEXT_TO_COLLECTION = "text_to_collection", _("Hold text to collection")
        TRANSFER_LEAD = "transfer_lead", _("Transfer requested to received")

    day = models.DateField(_("day"))
    store = models.ForeignKey(
        Store,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("store"),
    )
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    bucket = models.SmallIntegerField(_("bucket"))
    count = models.IntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("daily duration")
        verbose_name_plural = _("daily durations")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "store", "measure", "bucket"],
                nulls_distinct=False,
                name="dailyduration_one_per_bucket",
            )
        ]
        indexes = [models.Index(fields=["store", "day"], name="dailyduration_store_day")]

    def __str__(self) -> str:
        return f"{self.day} · {self.store_id} · {self.measure} #{self.bucket}"


class TotalsVersion(models.Model):
    """A token renewed, in the same transaction, by every write that changes what a closed day
    (before the writer's today) of one month counts for one store (`scope`: the store's id) and
    for all stores together (`scope` 0): the totals' triggers and `rebuild_daily_totals` renew
    it (insights.totals). The dashboard keeps a closed month's figures under its token
    (insights.kept), so a late write is seen on the next read. A random token, not a counter:
    a database restored or rolled back never brings back a token kept with other figures."""

    scope = models.BigIntegerField(_("store, or 0 for all stores"))
    month = models.DateField(_("month"))  # its first day
    token = models.CharField(_("token"), max_length=32)

    class Meta:
        verbose_name = _("totals version")
        verbose_name_plural = _("totals versions")
        constraints = [
            models.UniqueConstraint(fields=["scope", "month"], name="totalsversion_one_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.scope} · {self.month:%Y-%m} · {self.token}"
