"""Reads of the store inbox: which conversations a staff member sees, in which order, and how
many wait for an answer."""

from typing import Any

from django.db.models import Count, F, Q, QuerySet

from inventory import permissions
from inventory.models import Store

from .models import Conversation, ConversationMessage

Status = Conversation.Status


def inbox_sees_all(user: Any) -> bool:
    """Head office: every store's conversations, and those no store could be found for."""
    return permissions.can_view_any_store(user) and user.has_perm("inventory.view_hold")


def conversations_visible(user: Any, store: Store | None = None) -> QuerySet[Conversation]:
    """The conversations `user` may read: their own store's (salespeople, managers), or any
    (head office; `store` narrows it to one, `None` means all). None for anyone else."""
    rows = Conversation.objects.all()
    if inbox_sees_all(user):
        return rows.filter(store=store) if store is not None else rows
    home = permissions.user_home_store(user)
    if home is None or not permissions.can_view_holds(user, home):
        return rows.none()
    return rows.filter(store=home)


def inbox_rows(user: Any, store: Store | None = None) -> QuerySet[Conversation]:
    """The inbox: open conversations, those waiting for an answer first (the longest waiting
    first), then the answered ones (the latest first); each with its unread count."""
    unread = Count(
        "messages",
        filter=Q(messages__direction=ConversationMessage.Direction.INBOUND)
        & (Q(seen_at__isnull=True) | Q(messages__created_at__gt=F("seen_at"))),
    )
    return (
        conversations_visible(user, store)
        .filter(status__in=Conversation.OPEN_STATUSES)
        .select_related("store__inbox", "hold__variant__product", "transfer__variant__product")
        # Each wait is counted within its store's hours: read once for every row.
        .prefetch_related("store__hours", "store__special_hours")
        .annotate(unread=unread)
        .order_by(
            F("waiting_since").asc(nulls_last=True),
            F("last_message_at").desc(),
            "pk",
        )
    )


def inbox_waiting_count(user: Any) -> int:
    """How many conversations the staff member could answer are waiting (the staff menu)."""
    return conversations_visible(user).filter(status=Status.WAITING).count()


def conversation_for_customer(
    phone: str, *, last: int = 10
) -> tuple[Conversation, list[Any]] | None:
    """The number's open conversation and its latest messages, oldest first, for the
    customer's "My requests" (they answer by text; the page only shows it)."""
    conversation = (
        Conversation.objects.filter(phone=phone, status__in=Conversation.OPEN_STATUSES)
        .select_related("store")
        .first()
    )
    if conversation is None:
        return None
    latest = list(conversation.messages.order_by("-created_at", "-pk")[:last])
    return conversation, latest[::-1]
