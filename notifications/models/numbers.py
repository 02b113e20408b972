"""Numbers: codes, confirmed numbers, channels and WhatsApp state, approved templates, opt-outs."""

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.phones import mask_phone, phone_key

LANGUAGE_CHOICES = [("he", _("Hebrew")), ("en", _("English"))]


class Channel(models.TextChoices):
    """How texts reach a number: SMS, or WhatsApp through the same Twilio Messages API."""

    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


def default_channel() -> str:
    """`ALERT_CHANNEL_DEFAULT`: the channel offered first at sign-up."""
    value = str(getattr(settings, "ALERT_CHANNEL_DEFAULT", Channel.SMS))
    return value if value in Channel.values else Channel.SMS


class PhoneVerification(models.Model):
    """A one-time code texted to a number; only its hash is kept."""

    phone = models.CharField(_("mobile"), max_length=20)
    code_hash = models.CharField(_("code hash"), max_length=128)
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES, default="he")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # The channel chosen at sign-up: the code goes over it, and it is kept once confirmed.
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=default_channel
    )
    # What the form the number was typed into said it agreed to (`services.consent.Consent`):
    # written as consent records once the code proves the number is the customer's.
    consent = models.JSONField(_("consent asked"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("phone verification")
        verbose_name_plural = _("phone verifications")
        indexes = [models.Index(fields=["phone", "created_at"], name="verification_phone")]

    def __str__(self) -> str:
        return f"{mask_phone(self.phone)} ({self.created_at:%Y-%m-%d %H:%M})"


class ConfirmedNumber(models.Model):
    """A number its owner confirmed with a code: their next alerts are active at once."""

    phone = models.CharField(_("mobile"), max_length=20, unique=True)
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES, default="he")
    confirmed_at = models.DateTimeField(_("confirmed"))
    last_used_at = models.DateTimeField(_("last used"))
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=default_channel
    )

    class Meta:
        ordering = ["-confirmed_at"]
        verbose_name = _("confirmed number")
        verbose_name_plural = _("confirmed numbers")

    def __str__(self) -> str:
        return mask_phone(self.phone)


class WhatsAppNumber(models.Model):
    """What WhatsApp told us about a number, confirmed or not: when its owner last wrote to us
    (a free-form message is allowed for 24 hours after that), and whether it is on WhatsApp."""

    phone = models.CharField(_("mobile"), max_length=20, unique=True)
    last_inbound_at = models.DateTimeField(
        _("last message from the customer"), null=True, blank=True
    )
    # Set when Twilio said the number cannot get WhatsApp messages: its texts go by SMS.
    not_on_whatsapp_at = models.DateTimeField(_("not on WhatsApp since"), null=True, blank=True)

    class Meta:
        verbose_name = _("WhatsApp number")
        verbose_name_plural = _("WhatsApp numbers")

    def __str__(self) -> str:
        return mask_phone(self.phone)


class WhatsAppTemplate(models.Model):
    """A Content template approved by WhatsApp for one purpose in one language.

    `variables` maps the template's numbered placeholders to the names our texts use:
    `{"1": "model", "2": "size", "3": "store"}` sends `ContentVariables={"1": <model>, ...}`.
    `text` is the template's body as registered with Twilio, for the preview.
    """

    purpose = models.CharField(_("purpose"), max_length=20)
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    content_sid = models.CharField(
        _("Content SID"), max_length=34, help_text=_("HX… from Twilio's Content Template Builder.")
    )
    variables = models.JSONField(_("variables"), default=dict, blank=True)
    text = models.TextField(_("template text"), blank=True)
    approved = models.BooleanField(
        _("approved by WhatsApp"),
        default=False,
        help_text=_("Only approved templates are used; without one, texts go by SMS."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["purpose", "language"]
        verbose_name = _("WhatsApp template")
        verbose_name_plural = _("WhatsApp templates")
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "language"], name="whatsapp_template_one_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} ({self.language})"

    def clean(self) -> None:
        """The mapping is {"1": "<name>", ...}; every placeholder in the text is mapped."""
        mapping = self.variables
        if not isinstance(mapping, dict) or not all(
            str(key).isdigit() and isinstance(name, str) and name.strip()
            for key, name in mapping.items()
        ):
            raise ValidationError(
                {
                    "variables": _(
                        "Map each placeholder number to a value name, "
                        'e.g. {"1": "model", "2": "size"}.'
                    )
                }
            )
        used = set(re.findall(r"{{\s*(\d+)\s*}}", self.text))
        missing = sorted(used - set(map(str, mapping)), key=int)
        if missing:
            raise ValidationError(
                {
                    "variables": _("The text uses %(keys)s, which the variables do not map.")
                    % {"keys": ", ".join(f"{{{{{key}}}}}" for key in missing)}
                }
            )


class OptOut(models.Model):
    """A number that asked for no more texts (STOP, or the provider reported it unsubscribed)."""

    class Source(models.TextChoices):
        REPLY = "reply", _("Replied STOP")
        PROVIDER = "provider", _("Unsubscribed at the provider")
        LINK = "link", _("Cancelled by link")
        STAFF = "staff", _("Staff")
        ERASED = "erased", _("Data deleted at the customer's request")

    # Blank once the customer had her data deleted: only `phone_key` is kept then.
    phone = models.CharField(_("mobile"), max_length=20, blank=True)
    # core.phones.phone_key(phone): what every check of an opt-out compares.
    phone_key = models.CharField(_("keyed hash of the number"), max_length=64, unique=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("opt-out")
        verbose_name_plural = _("opt-outs")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~models.Q(phone=""), name="optout_one_per_number"
            ),
        ]

    def __str__(self) -> str:
        return mask_phone(self.phone) if self.phone else str(_("(number deleted)"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.phone and not self.phone_key:
            self.phone_key = phone_key(self.phone)
        super().save(*args, **kwargs)
