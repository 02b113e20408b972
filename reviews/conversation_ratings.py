"""Rating how the store answered: after staff close a conversation, the customer is invited to
rate it in one tap, and the rating joins the store's others (dashboard, call-back flags)."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.language import language_or_default
from core.text import clean_text
from notifications.links import make_token
from notifications.models import Conversation, ConversationMessage, Message
from notifications.services import BudgetExhausted, message_create, quiet_hours_end
from notifications.texts import link_for

from .models import Rating
from .services import AlreadyRated, RatingError, RatingLinkExpired, RatingUnavailable, rating_window

CONVERSATION_TOKEN_PURPOSE = "rating-conversation"  # noqa: S105 - a signing salt, not a secret


def conversation_rating_path(conversation: Conversation) -> str:
    with translation.override(language_or_default(conversation.language)):
        return reverse(
            "reviews:rate_conversation",
            kwargs={"token": make_token(CONVERSATION_TOKEN_PURPOSE, conversation.pk)},
        )


def _answered_by_staff(conversation: Conversation) -> bool:
    return conversation.messages.filter(
        direction=ConversationMessage.Direction.OUTBOUND, automatic=False
    ).exists()


def conversation_rating_invite(*, conversation: Conversation) -> Message | None:
    """Text the customer of a closed conversation a link to rate how the store answered: once
    per conversation, only when a person answered and the conversation has a store, never once
    the day's budget is spent; quiet hours push it to the morning (opt-outs: the sender)."""
    store = conversation.store
    if store is None or conversation.closed_at is None or not _answered_by_staff(conversation):
        return None
    language = language_or_default(conversation.language)
    try:
        return message_create(
            recipient=conversation.phone,
            purpose=Message.Purpose.RATING_INVITE,
            language=language,
            idempotency_key=f"rating:conversation:{conversation.pk}",
            template="rating_invite",
            context={
                "store": getattr(store, f"name_{language}") or store.name_he,
                "rating_link": link_for(conversation_rating_path(conversation)),
                "conversation": True,
            },
            channel=conversation.channel,
            send_after=quiet_hours_end(),
        )
    except BudgetExhausted:
        return None


def conversation_rating_open(conversation: Conversation, *, now: datetime | None = None) -> None:
    """Raise why the conversation cannot be rated now; return quietly when it can."""
    if conversation.closed_at is None or conversation.store_id is None:
        raise RatingUnavailable(_("There is nothing to rate for this visit."))
    if (now or timezone.now()) > conversation.closed_at + rating_window():
        raise RatingLinkExpired(_("This rating link has expired. Thank you all the same!"))
    if Rating.objects.filter(conversation=conversation).exists():
        raise AlreadyRated(_("You have already rated this visit. Thank you!"))


def conversation_rating_submit(
    *, conversation: Conversation, score: int, comment: str = "", language: str
) -> Rating:
    """Record the customer's rating of a closed conversation (once; 1–2 flags a call-back).
    Raises RatingUnavailable, RatingLinkExpired or AlreadyRated."""
    if not 1 <= score <= 5:
        raise RatingError(_("Choose a score from 1 to 5."))
    conversation_rating_open(conversation)
    store_id = conversation.store_id
    assert store_id is not None  # conversation_rating_open refused the others
    try:
        with transaction.atomic():
            return Rating.objects.create(
                conversation=conversation,
                store_id=store_id,
                interaction=Rating.Interaction.CONVERSATION,
                score=score,
                comment=clean_text(comment).strip(),
                language=language,
                needs_callback=score <= Rating.LOW_SCORE,
            )
    except IntegrityError as exc:
        raise AlreadyRated(_("You have already rated this visit. Thank you!")) from exc
