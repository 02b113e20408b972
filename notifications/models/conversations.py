"""Conversations: what customers write back to our texts, and the store's answers.

A conversation is one number talking with one store. It says what it is about the way a text
does (the inventory hold or transfer, both below this layer), or by a label the layer above
gave when it routed the reply (`subject`). Re-exported by `notifications.models`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.phones import InvalidPhone, mask_phone, phone_normalize
from inventory.models import Hold, Store, Transfer

LANGUAGES = [("he", _("Hebrew")), ("en", _("English"))]


class Conversation(models.Model):
    """One number and one store. waiting (the customer wrote last, nobody answered yet) →
    answered (the store wrote last) → closed (staff closed it; the next reply opens a new
    one). Only one conversation of a number is open at a time."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    OPEN_STATUSES = (Status.WAITING, Status.ANSWERED)

    phone = models.CharField(_("mobile"), max_length=20)
    store = models.ForeignKey(
        Store,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("store"),
    )
    # The channel the customer last wrote on: answers go back on it.
    channel = models.CharField(_("channel"), max_length=10, default="sms")
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGES, default="he")
    hold = models.ForeignKey(
        Hold,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("hold"),
    )
    transfer = models.ForeignKey(
        Transfer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("transfer"),
    )
    # What the customer waits for when neither a hold nor a transfer says it (a waitlist
    # alert): a label the layer that routed the reply wrote, in the customer's language.
    subject = models.CharField(_("about"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    # The customer's oldest message not answered yet (None once answered).
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    last_message_at = models.DateTimeField(_("last message"), db_index=True)
    # When staff last opened it: newer messages from the customer are unread.
    seen_at = models.DateTimeField(_("seen by staff"), null=True, blank=True)
    # The opening time of the closed period an automatic reply was sent for (once per period).
    auto_replied_until = models.DateTimeField(_("auto-reply sent until"), null=True, blank=True)
    # When the store's manager was told it had waited longer than the target.
    overdue_alerted_at = models.DateTimeField(_("manager alerted"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        ordering = ["-last_message_at"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"],
                condition=~Q(status="closed"),
                name="conversation_one_open_per_number",
            ),
        ]
        indexes = [
            models.Index(fields=["store", "status", "waiting_since"], name="conversation_inbox"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.masked_phone}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class ConversationMessage(models.Model):
    """One message of a conversation: from the customer (inbound, once per provider id) or to
    them (its outbox row says how it went)."""

    class Direction(models.TextChoices):
        INBOUND = "in", _("From the customer")
        OUTBOUND = "out", _("From the store")

    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("conversation"),
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    channel = models.CharField(_("channel"), max_length=10, default="sms")
    body = models.TextField(_("text"), blank=True)
    # Links to what the customer attached (a photo on WhatsApp): shown, never fetched.
    media = models.JSONField(_("attachments"), default=list, blank=True)
    provider_id = models.CharField(
        _("provider message id"), max_length=64, null=True, blank=True, unique=True
    )
    outbox = models.OneToOneField(
        "notifications.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversation_message",
        verbose_name=_("text"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    # Written by the system (the closed-hours reply), not a person: it answers nothing.
    automatic = models.BooleanField(_("automatic"), default=False)
    created_at = models.DateTimeField(_("at"), db_index=True)
    # Inbound: when the store first answered it, and how long that took within opening hours.
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    response_seconds = models.PositiveIntegerField(
        _("first response (seconds, opening hours)"), null=True, blank=True
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("conversation message")
        verbose_name_plural = _("conversation messages")
        indexes = [
            models.Index(fields=["direction", "answered_at"], name="conversation_answered"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_direction_display()}"


class QuickAnswer(models.Model):
    """A ready answer staff pick in the reply box, in both languages (managers edit them)."""

    # The button's label, in the language staff read the inbox in.
    title_he = models.CharField(_("title (Hebrew)"), max_length=60)
    title_en = models.CharField(_("title (English)"), max_length=60)
    text_he = models.TextField(_("text (Hebrew)"), max_length=600)
    text_en = models.TextField(_("text (English)"), max_length=600)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("quick answer")
        verbose_name_plural = _("quick answers")

    def __str__(self) -> str:
        return self.title_he

    def title_for(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_he

    def text_for(self, language: str) -> str:
        return self.text_en if language == "en" else self.text_he


class StoreInbox(models.Model):
    """A store's own inbox settings: how soon it means to answer, and whether its manager is
    texted when a customer has waited longer. Without a row the settings' defaults apply."""

    store = models.OneToOneField(
        Store, on_delete=models.CASCADE, related_name="inbox", verbose_name=_("store")
    )
    response_target_minutes = models.PositiveSmallIntegerField(
        _("answer within (minutes)"),
        null=True,
        blank=True,
        help_text=_("Counted within opening hours. Empty: the site's default."),
    )
    alert_phone = models.CharField(
        _("manager's mobile for alerts"),
        max_length=20,
        blank=True,
        help_text=_("Texted when a customer has waited longer than the target."),
    )

    class Meta:
        verbose_name = _("store inbox")
        verbose_name_plural = _("store inboxes")

    def __str__(self) -> str:
        return str(self.store)

    def clean(self) -> None:
        if self.alert_phone:
            try:
                self.alert_phone = phone_normalize(self.alert_phone)
            except InvalidPhone:
                raise ValidationError(
                    {"alert_phone": _("Enter a mobile number, e.g. 050-1234567.")}
                ) from None
