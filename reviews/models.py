from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from catalog.models import Product
from inventory.models import Store

from .embeds import video_embed_url, video_host_name

https_only = URLValidator(schemes=["https"], message=_("Enter a secure (https://) address."))


class ReviewSource(models.Model):
    """A site or channel whose reviews we link to."""

    class Kind(models.TextChoices):
        MAGAZINE = "magazine", _("Magazine")
        BLOG = "blog", _("Blog")
        VIDEO_CHANNEL = "video_channel", _("Video channel")
        RETAILER = "retailer", _("Retailer")

    name = models.CharField(_("name"), max_length=100, unique=True)
    site = models.URLField(_("website"), validators=[https_only])
    country = models.CharField(_("country"), max_length=2, help_text=_("Two-letter code, e.g. IL"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("review source")
        verbose_name_plural = _("review sources")

    def __str__(self) -> str:
        return self.name


class ReviewLinkQuerySet(models.QuerySet["ReviewLink"]):
    def visible(self) -> "ReviewLinkQuerySet":
        return self.filter(source__is_active=True)


class ReviewLink(models.Model):
    """An independent review of one product: an article or a video."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        VIDEO = "video", _("Video")

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="review_links", verbose_name=_("product")
    )
    source = models.ForeignKey(
        ReviewSource, on_delete=models.PROTECT, related_name="links", verbose_name=_("source")
    )
    url = models.URLField(_("address"), max_length=500, validators=[https_only])
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ARTICLE)
    published_on = models.DateField(_("published"), null=True, blank=True)
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    score_scale = models.DecimalField(
        _("out of"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1"))],
    )
    is_featured = models.BooleanField(_("featured"), default=False)
    position = models.PositiveSmallIntegerField(_("display order"), default=0)

    objects = ReviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-is_featured", "position", "-published_on", "id"]
        verbose_name = _("review link")
        verbose_name_plural = _("review links")
        constraints = [
            models.UniqueConstraint(fields=["product", "url"], name="reviewlink_unique_url"),
            models.CheckConstraint(
                condition=Q(score__isnull=True)
                | Q(score_scale__isnull=False, score__lte=F("score_scale")),
                name="reviewlink_score_within_scale",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.score is not None and self.score_scale is None:
            raise ValidationError({"score_scale": _("Say what the score is out of.")})
        if (
            self.score is not None
            and self.score_scale is not None
            and self.score > self.score_scale
        ):
            raise ValidationError({"score": _("The score cannot exceed its scale.")})
        if self.kind == self.Kind.VIDEO and self.url and not video_embed_url(self.url):
            raise ValidationError({"url": _("Videos must be YouTube or Vimeo watch addresses.")})

    @property
    def embed_url(self) -> str | None:
        return video_embed_url(self.url) if self.kind == self.Kind.VIDEO else None

    @property
    def video_host(self) -> str:
        embed = self.embed_url
        return video_host_name(embed) if embed else ""


class Rating(models.Model):
    """A customer's 1–5 rating of one interaction: a hold that ended (collected or lapsed).

    One rating per interaction: the hold is the key. Low ratings are flagged for the
    store's manager until someone marks the call-back as handled.
    """

    class Interaction(models.TextChoices):
        HOLD_COLLECTED = "hold_collected", _("Alert pair collected")
        TRANSFER_COLLECTED = "transfer_collected", _("Transfer picked up")
        HOLD_LAPSED = "hold_lapsed", _("Hold lapsed")

    LOW_SCORE = 2

    hold = models.OneToOneField(
        "inventory.Hold",
        on_delete=models.CASCADE,
        related_name="rating",
        verbose_name=_("interaction"),
    )
    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("store")
    )
    interaction = models.CharField(_("interaction"), max_length=20, choices=Interaction.choices)
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("rated"), auto_now_add=True, db_index=True)
    needs_callback = models.BooleanField(_("call back"), default=False)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_note = models.TextField(_("what was done"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            ),
        ]
        indexes = [models.Index(fields=["store", "created_at"], name="rating_store_time")]
        permissions = [("view_dashboard", "Can see the customer-experience dashboard")]

    def __str__(self) -> str:
        return f"{self.store} · {self.score}/5"


class SiteFeedback(models.Model):
    """The storefront's anonymous "did you find what you were looking for?" answer."""

    product = models.ForeignKey(
        Product,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="site_feedback",
        verbose_name=_("product"),
    )
    found = models.BooleanField(_("found it"))
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("site feedback")
        verbose_name_plural = _("site feedback")

    def __str__(self) -> str:
        return f"{self.product or '-'}: {'yes' if self.found else 'no'}"


# --- The dashboard's daily totals --------------------------------------------------------------
# Kept by PostgreSQL triggers in the same transaction as the rows they count (reviews.totals),
# rebuilt from those rows by `manage.py rebuild_daily_totals`. Days are the site's (Israel's).


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
    reviews.totals.bucket_bounds)."""

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
