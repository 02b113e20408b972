"""The messaging layer's data: confirmed numbers and their codes, channels, opt-outs and the
outbox of texts.

Numbers are stored in E.164 (`+972501234567`). Nothing here is ever written to a log or a URL.
"""

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.phones import mask_phone, phone_key
from inventory.models import Hold, Transfer

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


class Message(models.Model):
    """One message in the outbox, by SMS or WhatsApp, written in the transaction of whatever
    it announces. (Its table keeps the name it was created with, when texts were SMS only.)

    queued → sending → sent → delivered / undelivered / failed (the provider's verdict),
    or failed directly (a permanent error, or too many attempts: a dead letter).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        UNDELIVERED = "undelivered", _("Undelivered")
        FAILED = "failed", _("Failed")

    class Purpose(models.TextChoices):
        VERIFICATION = "verification", _("Confirmation code")
        # No longer written (an alert is on only after its own code); kept for old rows.
        SIGNUP_NOTICE = "signup_notice", _("Alert is on")
        HOLD_READY = "hold_ready", _("Pair held (waitlist)")
        TRANSFER_ARRIVED = "transfer_arrived", _("Transfer arrived")
        PAIR_HELD = "pair_held", _("Pair held (on request)")
        TRANSFER_DECLINED = "transfer_declined", _("Transfer request declined")
        REPLY = "reply", _("Reply (START/HELP)")
        RATING_INVITE = "rating_invite", _("Rating invitation")
        PICKUP_REMINDER = "pickup_reminder", _("Pick-up reminder")
        # A launch draw's entrant who was not drawn (they asked for the result).
        LAUNCH_RESULT = "launch_result", _("Launch draw: not this time")
        # Conversations: staff's answer, a text staff start, the closed-hours reply.
        ANSWER = "answer", _("Answer to a customer")
        STAFF_TEXT = "staff_text", _("Text from the store")
        AUTO_REPLY = "auto_reply", _("Automatic reply (store closed)")
        # To a store's manager: a customer has waited longer than the store's target.
        STAFF_ALERT = "staff_alert", _("Alert to a manager")
        OTHER = "other", _("Other")

    # Texts that stop when the daily budget is spent. Hold texts never do: a pair is waiting.
    # A pick-up reminder does: the customer already has the hold's own text.
    NON_ESSENTIAL = (
        Purpose.VERIFICATION,
        Purpose.SIGNUP_NOTICE,
        Purpose.REPLY,
        Purpose.OTHER,
        Purpose.RATING_INVITE,
        Purpose.PICKUP_REMINDER,
        Purpose.AUTO_REPLY,
        Purpose.STAFF_ALERT,
    )

    recipient = models.CharField(_("recipient"), max_length=20)
    # The channel chosen when the text was written; the one it went by once it is sent.
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.SMS
    )
    body = models.TextField(_("text"))
    # The values the text was rendered with: a WhatsApp template's variables come from them.
    variables = models.JSONField(_("template values"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES, default="he")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    hold = models.ForeignKey(
        Hold,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("hold"),
    )
    # The customer's transfer request a text is about (declined: its link offers the waitlist).
    transfer = models.ForeignKey(
        Transfer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("transfer"),
    )
    provider_id = models.CharField(
        _("provider message id"), max_length=64, null=True, blank=True, unique=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error_code = models.CharField(_("error code"), max_length=20, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    # Not before this time (quiet hours, retry backoff); a periodic task picks it up.
    send_after = models.DateTimeField(_("not before"), null=True, blank=True)
    # When a send task was last handed to the broker (or should run): the sweep's clock.
    enqueued_at = models.DateTimeField(_("handed to a worker"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        db_table = "notifications_smsmessage"
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        permissions = [("view_phone_numbers", _("Can see customers' full mobile numbers"))]
        indexes = [
            models.Index(fields=["status", "enqueued_at"], name="sms_sweep"),
            models.Index(fields=["status", "send_after"], name="sms_due"),
            # The dashboard's texts sent in a period.
            models.Index(fields=["sent_at"], name="sms_sent_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_purpose_display()} → {self.masked_recipient}"

    @property
    def masked_recipient(self) -> str:
        return mask_phone(self.recipient)


class ProcessedWebhook(models.Model):
    """A provider callback already handled: a retried delivery of it changes nothing."""

    key = models.CharField(_("event"), max_length=120, unique=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("processed webhook")
        verbose_name_plural = _("processed webhooks")

    def __str__(self) -> str:
        return self.key


# Conversations live in their own module; Django finds models through this one.
from .conversation_models import (  # noqa: E402, F401
    Conversation,
    ConversationMessage,
    QuickAnswer,
    StoreInbox,
)
