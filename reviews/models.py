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
    """A customer's 1–5 rating of one interaction: a hold that ended (collected or lapsed),
    or a conversation with the store that was closed.

    One rating per interaction: the hold, or the conversation, is the key. Low ratings are
    flagged for the store's manager until someone marks the call-back as handled.
    """

    class Interaction(models.TextChoices):
        HOLD_COLLECTED = "hold_collected", _("Alert pair collected")
        TRANSFER_COLLECTED = "transfer_collected", _("Transfer picked up")
        HOLD_LAPSED = "hold_lapsed", _("Hold lapsed")
        CONVERSATION = "conversation", _("Conversation with the store")

    LOW_SCORE = 2

    hold = models.OneToOneField(
        "inventory.Hold",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rating",
        verbose_name=_("interaction"),
    )
    # A rating of how the store answered in the inbox. Kept when retention deletes the
    # conversation: the store's figures do not change.
    conversation = models.OneToOneField(
        "notifications.Conversation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rating",
        verbose_name=_("conversation"),
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
