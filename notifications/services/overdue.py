"""Telling a store's manager that a customer has waited too long for an answer.

A conversation is overdue once its customer has waited longer than the store's target
(`StoreInbox.response_target_minutes`, else `INBOX_RESPONSE_TARGET_MINUTES`), counted within
opening hours. The inbox and the dashboard show it; a store with a manager's mobile set also
texts it, once per wait. The sweep runs every minute (`conversations_overdue_alert`).
"""

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.phones import phone_or_none
from inventory.models import Store

from ..models import Conversation, Message, StoreInbox
from ..response_time import open_seconds_between
from ..texts import link_for
from .errors import BudgetExhausted
from .outbox import message_create

logger = logging.getLogger(__name__)


def response_target_minutes(store: Store | None) -> int:
    """How soon `store` means to answer (minutes within its opening hours)."""
    try:
        # `select_related("store__inbox")` makes this free for a list of conversations.
        minutes = store.inbox.response_target_minutes if store is not None else None
    except StoreInbox.DoesNotExist:
        minutes = None
    return int(minutes or settings.INBOX_RESPONSE_TARGET_MINUTES)


def conversations_overdue_alert(*, now: datetime | None = None) -> list[int]:
    """Mark every waiting conversation past its store's target as alerted (once per wait) and
    text the store's manager where a mobile is set. Returns the conversations alerted."""
    now = now or timezone.now()
    alerted = []
    with transaction.atomic():
        waiting = (
            Conversation.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=Conversation.Status.WAITING, overdue_alerted_at__isnull=True)
            .exclude(waiting_since=None)
            .select_related("store__inbox")
        )
        for conversation in waiting:
            assert conversation.waiting_since is not None
            waited = open_seconds_between(conversation.store, conversation.waiting_since, now)
            if waited <= response_target_minutes(conversation.store) * 60:
                continue
            conversation.overdue_alerted_at = now
            conversation.save(update_fields=["overdue_alerted_at"])
            _text_manager(conversation, waited // 60)
            alerted.append(conversation.pk)
    return alerted


def _text_manager(conversation: Conversation, minutes: int) -> None:
    store = conversation.store
    inbox = getattr(store, "inbox", None) if store is not None else None
    phone = phone_or_none(inbox.alert_phone) if inbox is not None else None
    if phone is None or store is None:
        return
    with translation.override("he"):
        body = _("%(store)s: a customer has waited %(minutes)d min for an answer. %(link)s") % {
            "store": store.name_he,
            "minutes": minutes,
            "link": link_for(reverse("inbox:conversation", args=[conversation.pk])),
        }
    try:
        message_create(
            recipient=phone,
            purpose=Message.Purpose.STAFF_ALERT,
            idempotency_key=f"overdue:{conversation.pk}:{conversation.waiting_since:%Y%m%d%H%M%S}",
            body=body,
        )
    except BudgetExhausted:
        logger.warning("SMS budget spent: no overdue alert to a store manager")
