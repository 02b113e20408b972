"""Conversations with customers: a reply that is not a keyword opens or continues one.

A number has at most one open conversation; the first reply routes it to a store
(`notifications.routing`). Every inbound message is kept once per provider id. A number that
floods us is cut off after `INBOX_FLOOD_LIMIT` messages in `INBOX_FLOOD_WINDOW`: what it sends
first is always kept, only the excess is dropped (and logged). Outside opening hours the
customer gets one automatic reply per closed period.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import metrics
from core.language import language_or_default
from inventory.models import Hold, Transfer

from ..models import Conversation, ConversationMessage, Message
from ..response_time import next_opening
from ..routing import Route, language_for, route_reply
from ..texts import format_until
from .errors import BudgetExhausted
from .optouts import is_opted_out
from .outbox import message_create

logger = logging.getLogger(__name__)

Direction = ConversationMessage.Direction


@dataclass(frozen=True)
class Inbound:
    """One message a customer sent: who, on which channel, its text and attachments' links."""

    phone: str
    channel: str
    provider_id: str
    body: str
    media: tuple[str, ...] = ()


def conversation_for(
    *,
    phone: str,
    body: str = "",
    now: datetime,
    hold: Hold | None = None,
    transfer: Transfer | None = None,
) -> Conversation:
    """The number's open conversation, locked; a new one if it has none, at `hold`'s store
    or `transfer`'s destination (staff start it) or routed (`routing.route_reply`)."""
    existing = Conversation.objects.select_for_update().filter(
        phone=phone, status__in=Conversation.OPEN_STATUSES
    )
    conversation = existing.first()
    if conversation is not None:
        if conversation.store_id is None and hold is None and transfer is None:
            _route_again(conversation)
        return conversation
    if hold is not None:
        route = Route(hold.store, hold=hold, language=hold.language)
    elif transfer is not None:
        route = Route(transfer.to_store, transfer=transfer, language=transfer.customer_language)
    else:
        route = route_reply(phone)
    try:
        with transaction.atomic():
            return Conversation.objects.create(
                phone=phone,
                store=route.store,
                hold=route.hold,
                transfer=route.transfer,
                subject=route.subject,
                language=language_for(phone, body, route),
                status=Conversation.Status.ANSWERED,
                last_message_at=now,
            )
    except IntegrityError:  # the same number's other message opened it meanwhile
        return existing.get()


def _route_again(conversation: Conversation) -> None:
    """A conversation head office holds (no store could be found) goes to a store as soon as
    the customer has something open at one."""
    route = route_reply(conversation.phone)
    if route.store is None:
        return
    conversation.store, conversation.hold, conversation.transfer = (
        route.store,
        route.hold,
        route.transfer,
    )
    conversation.subject = route.subject
    conversation.save(update_fields=["store", "hold", "transfer", "subject"])


def _flooding(conversation: Conversation, now: datetime) -> bool:
    recent = conversation.messages.filter(
        direction=Direction.INBOUND, created_at__gte=now - settings.INBOX_FLOOD_WINDOW
    ).count()
    return recent >= settings.INBOX_FLOOD_LIMIT


def conversation_inbound(
    *, message: Inbound, now: datetime | None = None
) -> ConversationMessage | None:
    """Add a customer's message to their conversation (opening one if needed); the
    conversation waits for the store from its oldest unanswered message. Once per provider id
    (a repeat returns None), and None for a message past the flood limit (logged). Outside the
    store's hours the customer is told when it opens, once per closed period."""
    now = now or timezone.now()
    with transaction.atomic():
        if ConversationMessage.objects.filter(provider_id=message.provider_id).exists():
            return None
        conversation = conversation_for(phone=message.phone, body=message.body, now=now)
        if _flooding(conversation, now):
            logger.warning("Inbound flood: message from %s not added", conversation.masked_phone)
            return None
        added = ConversationMessage.objects.create(
            conversation=conversation,
            direction=Direction.INBOUND,
            channel=message.channel,
            body=message.body,
            media=list(message.media),
            provider_id=message.provider_id,
            created_at=now,
        )
        conversation.channel = message.channel
        conversation.last_message_at = now
        if conversation.status != Conversation.Status.WAITING:
            conversation.status = Conversation.Status.WAITING
            conversation.waiting_since = now
        conversation.save(update_fields=["channel", "last_message_at", "status", "waiting_since"])
        _auto_reply(conversation, now)
        routed = "yes" if conversation.store_id else "no"
        metrics.after_commit(metrics.INBOX_INBOUND.labels(message.channel, routed).inc)
    return added


def _auto_reply(conversation: Conversation, now: datetime) -> None:
    """Outside the store's hours: say when it opens (and that the pair stays held), once for
    each closed period."""
    store = conversation.store
    if store is None or not settings.INBOX_AUTO_REPLY or is_opted_out(conversation.phone):
        return
    opens = next_opening(store, now)
    if opens is None or conversation.auto_replied_until == opens:
        return
    language = language_or_default(conversation.language)
    held = conversation.hold is not None and conversation.hold.status == Hold.Status.ACTIVE
    try:
        text = message_create(
            recipient=conversation.phone,
            purpose=Message.Purpose.AUTO_REPLY,
            language=language,
            idempotency_key=f"auto:{conversation.pk}:{opens:%Y%m%d%H%M}",
            template="auto_reply",
            context={
                "store": getattr(store, f"name_{language}") or store.name_he,
                "opens": format_until(opens),
                "held": held,
            },
            channel=conversation.channel,
        )
    except BudgetExhausted:
        logger.warning("SMS budget spent: no automatic reply to a conversation")
        return
    ConversationMessage.objects.create(
        conversation=conversation,
        direction=Direction.OUTBOUND,
        channel=conversation.channel,
        body=text.body,
        outbox=text,
        automatic=True,
        created_at=now,
    )
    conversation.auto_replied_until = opens
    conversation.save(update_fields=["auto_replied_until"])
