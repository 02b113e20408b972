"""Retention: what finished long ago is deleted; opt-outs are kept for good."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from inventory.models import Hold
from notifications.models import (
    ConfirmedNumber,
    Conversation,
    Message,
    PhoneVerification,
    ProcessedWebhook,
)

from ..models import WaitlistEntry

Status = Message.Status


def retention_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Delete what finished more than `ALERT_RETENTION_DAYS` ago: ended alerts, their texts,
    numbers no longer waiting for anything, used codes, handled webhook ids, conversations
    (their messages' bodies with them) quiet since then; and blank the
    number on old ended holds. Opt-outs are kept: they must be honoured for good."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ALERT_RETENTION_DAYS)
    ended = [
        WaitlistEntry.Status.COLLECTED,
        WaitlistEntry.Status.LAPSED,
        WaitlistEntry.Status.CANCELLED,
    ]
    counts: dict[str, int] = {}
    with transaction.atomic():
        open_numbers = WaitlistEntry.objects.filter(
            Q(status__in=[*WaitlistEntry.OPEN_STATUSES, WaitlistEntry.Status.TRANSFER])
            | Q(status=WaitlistEntry.Status.HELD, hold__status=Hold.Status.ACTIVE)
        ).values("phone")
        counts["texts"] = (
            Message.objects.filter(
                created_at__lt=cutoff,
                status__in=[Status.SENT, Status.DELIVERED, Status.UNDELIVERED, Status.FAILED],
            )
            .exclude(recipient__in=open_numbers)
            .delete()[0]
        )
        counts["entries"] = WaitlistEntry.objects.filter(
            Q(status__in=ended, ended_at__lt=cutoff)
            | Q(status=WaitlistEntry.Status.HELD, hold__ended_at__lt=cutoff)
            # Never confirmed: gone after a day.
            | Q(status=WaitlistEntry.Status.PENDING, created_at__lt=now - timedelta(days=1))
        ).delete()[0]
        counts["numbers"] = (
            ConfirmedNumber.objects.filter(last_used_at__lt=cutoff)
            .exclude(phone__in=open_numbers)
            .delete()[0]
        )
        counts["codes"] = PhoneVerification.objects.filter(
            created_at__lt=now - timedelta(days=1)
        ).delete()[0]
        counts["conversations"] = Conversation.objects.filter(last_message_at__lt=cutoff).delete()[
            0
        ]
        counts["webhooks"] = ProcessedWebhook.objects.filter(received_at__lt=cutoff).delete()[0]
        counts["holds"] = (
            Hold.objects.filter(
                purpose=Hold.Purpose.WAITLIST,
                ended_at__lt=cutoff,
            )
            .exclude(customer_phone="")
            .update(customer_phone="")
        )
    return counts
