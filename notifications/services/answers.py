"""The store answers: staff's replies in a conversation, texts staff start from a hold, and
closing a conversation.

An answer goes through the outbox on the conversation's channel, and the outbox's rules decide
how (WhatsApp free-form inside the 24-hour window, the approved `answer` template outside it,
else SMS). Two people answering at once never both send unknowingly: each answer names the
last message its writer saw, and one written after a newer message is refused with it.
"""

from datetime import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import metrics
from core.language import language_or_default
from core.text import clean_text
from inventory.models import Hold, Transfer

from ..events import conversation_closed
from ..models import Conversation, ConversationMessage, Message
from ..response_time import open_seconds_between
from .conversations import conversation_for
from .errors import AlertError
from .limits import quiet_hours_end
from .optouts import is_opted_out
from .outbox import message_create

Direction = ConversationMessage.Direction
Status = Conversation.Status

ANSWER_MAX_CHARS = 1000


class StaleConversation(AlertError):
    """Someone else wrote in the conversation since the writer last looked: `newer` are the
    messages they have not seen."""

    def __init__(self, newer: list[ConversationMessage]) -> None:
        super().__init__(
            _("A new message arrived while you were writing. Read it, then send again."),
            newer=[m.pk for m in newer],
        )
        self.newer = newer


def _cleaned(body: str) -> str:
    text = clean_text(body).strip()
    if not text:
        raise AlertError(_("Write an answer first."))
    if len(text) > ANSWER_MAX_CHARS:
        raise AlertError(
            _("An answer may be at most %(count)d characters.") % {"count": ANSWER_MAX_CHARS}
        )
    return text


def _store_name(conversation: Conversation, language: str) -> str:
    store = conversation.store
    if store is None:
        return ""
    return str(getattr(store, f"name_{language}") or store.name_he)


def _send(
    conversation: Conversation, *, body: str, author: Any, key: str, purpose: str, now: datetime
) -> ConversationMessage:
    """Write the text and its place in the conversation (refused for an opted-out number)."""
    if is_opted_out(conversation.phone):
        raise AlertError(_("This number asked for no more texts: it cannot be messaged."))
    language = language_or_default(conversation.language)
    text = message_create(
        recipient=conversation.phone,
        purpose=purpose,
        language=language,
        idempotency_key=key,
        body=body,
        channel=conversation.channel,
        # No hold on the text: a hold's text is rendered from the hold and starts its clock;
        # the conversation says what it is about. The `answer` template (outside WhatsApp's
        # window) says who writes, then the text.
        variables={"store": _store_name(conversation, language), "text": body},
        send_after=quiet_hours_end(now) if purpose == Message.Purpose.STAFF_TEXT else None,
    )
    return ConversationMessage.objects.create(
        conversation=conversation,
        direction=Direction.OUTBOUND,
        channel=conversation.channel,
        body=body,
        outbox=text,
        author=author if getattr(author, "pk", None) else None,
        created_at=now,
    )


def conversation_answer(
    *, conversation_id: int, author: Any, body: str, last_seen_id: int, now: datetime | None = None
) -> ConversationMessage:
    """Answer the customer. `last_seen_id` is the newest message the writer saw: if another
    came since (the customer's, or a colleague's answer) nothing is sent and
    `StaleConversation` carries the newer messages. The customer's unanswered messages are
    answered now (their first-response time counted within opening hours); the conversation
    no longer waits. Sending the same form twice sends once. Raises `AlertError` for an empty
    or too long answer, an opted-out number, or a closed conversation."""
    text = _cleaned(body)
    now = now or timezone.now()
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation_id)
        if conversation.status == Status.CLOSED:
            raise AlertError(_("This conversation is closed."))
        newer = list(conversation.messages.filter(pk__gt=last_seen_id).order_by("pk"))
        if newer:
            mine = newer[-1]
            if (
                len(newer) == 1
                and mine.author_id == getattr(author, "pk", None)
                and mine.body == text
            ):
                return mine  # the same form posted twice
            raise StaleConversation(newer)
        answer = _send(
            conversation,
            body=text,
            author=author,
            key=f"answer:{conversation.pk}:{last_seen_id}",
            purpose=Message.Purpose.ANSWER,
            now=now,
        )
        _mark_answered(conversation, now)
    return answer


def _mark_answered(conversation: Conversation, now: datetime) -> None:
    """The customer's unanswered messages are answered now: each one's first-response time,
    within the store's opening hours, is kept and observed for the operator's metrics."""
    store = conversation.store.code if conversation.store is not None else "none"
    waiting = conversation.messages.filter(direction=Direction.INBOUND, answered_at__isnull=True)
    for message in waiting:
        message.answered_at = now
        message.response_seconds = open_seconds_between(conversation.store, message.created_at, now)
        message.save(update_fields=["answered_at", "response_seconds"])
        metrics.after_commit(
            partial(metrics.INBOX_FIRST_RESPONSE.labels(store).observe, message.response_seconds)
        )
    conversation.status = Status.ANSWERED
    conversation.waiting_since = None
    conversation.last_message_at = now
    conversation.seen_at = now
    conversation.save(update_fields=["status", "waiting_since", "last_message_at", "seen_at"])


def conversation_start(
    *,
    author: Any,
    body: str,
    hold: Hold | None = None,
    transfer: Transfer | None = None,
    now: datetime | None = None,
) -> ConversationMessage:
    """Staff text the customer of a hold or a bring request ("your pair is ready, we close at
    21:00"): the number's open conversation goes on, else one opens at the hold's store (the
    request's destination). Quiet hours hold the text back to the morning. Raises
    `AlertError` as `conversation_answer` does, or for one without a customer number."""
    text = _cleaned(body)
    phone = (hold.customer_phone if hold is not None else "") or (
        transfer.customer_phone if transfer is not None else ""
    )
    if not phone:
        raise AlertError(_("This hold has no customer number."))
    now = now or timezone.now()
    with transaction.atomic():
        conversation = conversation_for(phone=phone, now=now, hold=hold, transfer=transfer)
        count = conversation.messages.count()
        sent = _send(
            conversation,
            body=text,
            author=author,
            key=f"staff:{conversation.pk}:{count}",
            purpose=Message.Purpose.STAFF_TEXT,
            now=now,
        )
        conversation.last_message_at = now
        conversation.seen_at = now
        conversation.save(update_fields=["last_message_at", "seen_at"])
    return sent


def conversation_seen(*, conversation: Conversation, now: datetime | None = None) -> None:
    """Staff opened the conversation: its customer's messages so far are read."""
    Conversation.objects.filter(pk=conversation.pk).update(seen_at=now or timezone.now())


def conversation_close(*, conversation_id: int, user: Any) -> Conversation:
    """Close the conversation (the customer's next message opens a new one); the layers above
    are told after commit (a rating invitation). Refuses one still waiting for an answer,
    unless the number may not be answered (it opted out, or its data was deleted)."""
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation_id)
        if conversation.status == Status.WAITING and not is_opted_out(conversation.phone):
            raise AlertError(_("Answer the customer before closing the conversation."))
        if conversation.status == Status.CLOSED:
            return conversation
        conversation.status = Status.CLOSED
        conversation.closed_at = timezone.now()
        conversation.closed_by = user if getattr(user, "pk", None) else None
        conversation.save(update_fields=["status", "closed_at", "closed_by"])
        transaction.on_commit(
            lambda: conversation_closed.send(sender=Conversation, conversation=conversation)
        )
    return conversation
