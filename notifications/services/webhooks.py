"""What the provider tells us: delivery reports and texts from customers (STOP, START, HELP).

Each event is handled once, however often the provider delivers it (`ProcessedWebhook`); the
views in `notifications.webhooks` check the signature before calling these.
"""

import logging
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.phones import phone_or_none
from inventory import services as inventory

from ..models import Channel, ConfirmedNumber, Message, OptOut, ProcessedWebhook
from .conversations import Inbound, conversation_inbound
from .errors import BudgetExhausted
from .optouts import is_opted_out, phone_opt_in, phone_opt_out
from .outbox import message_create
from .sending import message_failed_for_good, whatsapp_failed
from .whatsapp import whatsapp_inbound_record

WHATSAPP_PREFIX = "whatsapp:"

logger = logging.getLogger(__name__)

Status = Message.Status
Purpose = Message.Purpose


STOP_WORDS = {
    "STOP",
    "STOPALL",
    "UNSUBSCRIBE",
    "CANCEL",
    "END",
    "QUIT",
    "REVOKE",
    "OPTOUT",
    "הסר",
    "הסרה",
    "עצור",
    "הפסק",
    "די",
    "בטל",
    "ביטול",
}
START_WORDS = {"START", "UNSTOP", "SUBSCRIBE", "YES", "התחל", "חידוש", "הרשמה"}
HELP_WORDS = {"HELP", "INFO", "עזרה", "מידע"}

# Twilio's statuses, and which of ours each moves a text to.
_PROVIDER_STATUS = {
    "sent": Status.SENT,
    "delivered": Status.DELIVERED,
    "read": Status.DELIVERED,
    "undelivered": Status.UNDELIVERED,
    "failed": Status.FAILED,
}
_RANK = {
    Status.QUEUED: 0,
    Status.SENDING: 1,
    Status.SENT: 2,
    Status.DELIVERED: 3,
    Status.UNDELIVERED: 3,
    Status.FAILED: 3,
}


def _first_time(key: str) -> bool:
    """Record a provider event; False if it was already handled (a retried callback)."""
    try:
        with transaction.atomic():
            ProcessedWebhook.objects.create(key=key[:120])
    except IntegrityError:
        return False
    return True


def message_status_update(*, provider_id: str, status: str, error_code: str = "") -> bool:
    """Apply a delivery report. Idempotent per (message id, status); a status never moves
    back (a late "sent" after "delivered" changes nothing). An undelivered waitlist hold text
    releases the hold to the next person; 21610 records an opt-out. WhatsApp's "read" is kept
    on the text (and a hold's desk shows it); a WhatsApp text that failed because the number is
    not on WhatsApp goes once more by SMS. Returns whether anything changed."""
    new = _PROVIDER_STATUS.get(status.lower())
    if new is None or not provider_id:
        return False
    with transaction.atomic():
        if not _first_time(f"status:{provider_id}:{status.lower()}"):
            return False
        message = Message.objects.select_for_update().filter(provider_id=provider_id).first()
        if message is None:
            return False
        now = timezone.now()
        if status.lower() == "read" and message.read_at is None:
            message.read_at = now
            message.save(update_fields=["read_at", "updated_at"])
            if message.hold_id is not None:
                inventory.hold_text_read(hold_id=message.hold_id, at=now)
        if _RANK[Status(message.status)] >= _RANK[new]:
            return status.lower() == "read"
        if (
            new in (Status.UNDELIVERED, Status.FAILED)
            and message.channel == Channel.WHATSAPP
            and whatsapp_failed(message, code=error_code, error=f"Twilio error {error_code}")
        ):
            return True
        message.status = new
        fields = ["status", "updated_at"]
        if new == Status.DELIVERED:
            message.delivered_at = now
            fields.append("delivered_at")
        if error_code:
            message.error_code = error_code[:20]
            fields.append("error_code")
        message.save(update_fields=fields)
        if new in (Status.UNDELIVERED, Status.FAILED):
            if error_code == "21610":
                phone_opt_out(phone=message.recipient, source=OptOut.Source.PROVIDER)
            message_failed_for_good(message)
    return True


def message_inbound(
    *, provider_id: str, sender: str, body: str, media: Sequence[str] = ()
) -> str | None:
    """A text from a customer: STOP (and its Hebrew forms) opts out, START opts back in (with
    a reply), HELP gets a reply; anything else joins the number's conversation with its store
    (`conversations.conversation_inbound`; `media` are its attachments' links). Idempotent per
    message id. Returns the keyword handled, or "conversation".

    A WhatsApp message (`From` "whatsapp:+972…") opens the 24-hour window in which free-form
    WhatsApp messages may go; its replies go by WhatsApp. An opt-out covers both channels."""
    channel = Channel.SMS
    if sender.startswith(WHATSAPP_PREFIX):
        channel, sender = Channel.WHATSAPP, sender.removeprefix(WHATSAPP_PREFIX)
    phone = phone_or_none(sender)
    if phone is None:  # the view refuses these; a reply to it would go nowhere
        logger.warning("Inbound text from something that is not a mobile number ignored")
        return None
    word = body.strip().strip(".!").upper()
    with transaction.atomic():
        if not _first_time(f"inbound:{provider_id}"):
            return None
        if channel == Channel.WHATSAPP:
            whatsapp_inbound_record(phone=phone)
        if word in STOP_WORDS:
            phone_opt_out(phone=phone, source=OptOut.Source.REPLY)
            return "stop"
        language = _language_of(phone, word)
        if word in START_WORDS:
            phone_opt_in(phone=phone)
            _reply(phone, "start_reply", language, f"reply:start:{provider_id}", channel)
            return "start"
        if word in HELP_WORDS:
            if not is_opted_out(phone):
                _reply(phone, "help_reply", language, f"reply:help:{provider_id}", channel)
            return "help"
        conversation_inbound(
            message=Inbound(
                phone=phone,
                channel=channel,
                provider_id=provider_id,
                body=body.strip(),
                media=tuple(media),
            )
        )
    return "conversation"


def _language_of(phone: str, word: str) -> str:
    if any("\u0590" <= ch <= "\u05ff" for ch in word):
        return "he"
    known = ConfirmedNumber.objects.filter(phone=phone).values_list("language", flat=True)
    return next(iter(known), "en" if word.isascii() else "he")


def _reply(phone: str, template: str, language: str, key: str, channel: str) -> None:
    try:
        message_create(
            recipient=phone,
            purpose=Purpose.REPLY,
            language=language,
            idempotency_key=key,
            template=template,
            channel=channel,
        )
    except BudgetExhausted:
        logger.warning("SMS budget spent: no reply to an inbound keyword")
