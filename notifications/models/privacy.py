"""What the law asks us to keep about a number: consents, data requests, staff's reveals."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.phones import mask_phone

from .numbers import LANGUAGE_CHOICES, Channel


class ConsentRecord(models.Model):
    """What a customer agreed to, for one number: on which page, in the exact words shown
    there (in the language shown), by which channel, for which purpose. Written when the
    number is proven (its code, or a browser that proved it before); never edited."""

    class Purpose(models.TextChoices):
        # Texts about what the customer asked for: codes, holds, arrivals, pick-up.
        SERVICE = "service", _("Service texts about my requests")
        # News and offers: only with its own tick, off by default.
        PROMOTIONAL = "promotional", _("News and offers")

    phone = models.CharField(_("mobile"), max_length=20, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language shown"), max_length=5, choices=LANGUAGE_CHOICES)
    page = models.CharField(_("page"), max_length=200)
    wording = models.TextField(_("wording shown"))
    given_at = models.DateTimeField(_("given"))
    # Proven by a code texted to the number, or by a browser that proved it before.
    by_code = models.BooleanField(_("proven by a code"), default=True)
    # Staff who typed the number for the customer and told her (none: she typed it herself).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by staff"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self) -> str:
        return f"{mask_phone(self.phone)} · {self.get_purpose_display()}"


class PrivacyRequest(models.Model):
    """The audit trail of customers' requests about their data: a download, or a deletion
    (with how many rows of each kind went). Keeps the keyed hash of the number, never it."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("Downloaded their data")
        ERASURE = "erasure", _("Deleted their data")

    kind = models.CharField(_("request"), max_length=10, choices=Kind.choices)
    phone_key = models.CharField(_("keyed hash of the number"), max_length=64, db_index=True)
    masked = models.CharField(_("mobile (masked)"), max_length=20)
    counts = models.JSONField(_("rows"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    # Staff who carried it out for a customer who asked by phone or at a store (none: she
    # did it herself on "My data").
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by staff"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.masked}"


class PhoneReveal(models.Model):
    """A staff member saw a customer's full number: who, when, whose (masked, and by key)
    and why, in their own words."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("staff member"),
    )
    phone_key = models.CharField(_("keyed hash of the number"), max_length=64, db_index=True)
    masked = models.CharField(_("mobile (masked)"), max_length=20)
    # What it was shown on: "inventory.hold #12".
    subject = models.CharField(_("shown on"), max_length=100)
    reason = models.CharField(_("why"), max_length=200)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("number revealed")
        verbose_name_plural = _("numbers revealed")

    def __str__(self) -> str:
        return f"{self.user} · {self.masked} · {self.created_at:%Y-%m-%d %H:%M}"
