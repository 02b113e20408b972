"""The outbox: every text, by SMS or WhatsApp, and the provider's webhooks already handled."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.phones import mask_phone
from inventory.models import Hold, Transfer

from .numbers import LANGUAGE_CHOICES, Channel


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
