"""Retention: what finished long ago is deleted or loses the customer's number; opt-outs are
kept for good, as a keyed hash once the number itself is no longer needed.

The README's retention table lists each kind of data and what `retention_purge` (the daily
`demand.purge` task) does with it; tests/demand/services/test_retention.py has one test each.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from inventory.models import Hold, Transfer
from notifications.models import (
    ConfirmedNumber,
    ConsentRecord,
    Conversation,
    Message,
    OptOut,
    PhoneReveal,
    PhoneVerification,
    PrivacyRequest,
    ProcessedWebhook,
    WhatsAppNumber,
)

from ..models import LaunchEntry, WaitlistEntry
from .launch_privacy import launch_entries_finished, launch_entries_forget

# A launch entry that may still bring its number a text.
LAUNCH_ENTRIES_OPEN = [
    LaunchEntry.Status.ENTERED,
    LaunchEntry.Status.WON,
    LaunchEntry.Status.IN_LINE,
]

Status = Message.Status
FINISHED_TRANSFERS = [
    Transfer.Status.RECEIVED,
    Transfer.Status.CANCELLED,
    Transfer.Status.DECLINED,
]


def retention_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Delete what finished more than `ALERT_RETENTION_DAYS` ago — ended alerts, their texts,
    numbers no longer waiting for anything with their consent records and WhatsApp state,
    handled webhook ids, conversations quiet since then (their messages' bodies with them) —
    and unconfirmed sign-ups and codes after a day; strip the customer's name and number from
    old ended holds and finished transfers; forget the numbers of launch entries whose launch
    finished before the cutoff; keep old opt-outs by their keyed hash only; delete the privacy
    audit trail after `PRIVACY_AUDIT_RETENTION_DAYS`.
    Returns how many rows of each kind."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ALERT_RETENTION_DAYS)
    with transaction.atomic():
        counts = _purge_requests(now=now, cutoff=cutoff)
        counts.update(_purge_numbers(cutoff=cutoff, open_numbers=_open_numbers()))
        counts.update(_purge_stock(cutoff=cutoff))
        counts["conversations"] = Conversation.objects.filter(last_message_at__lt=cutoff).delete()[
            0
        ]
        # Same rule as a deletion: a drawn entry keeps its place, without its number.
        counts.update(launch_entries_forget(entries=launch_entries_finished(cutoff=cutoff)))
        audit_cutoff = now - timedelta(days=settings.PRIVACY_AUDIT_RETENTION_DAYS)
        counts["privacy_requests"] = PrivacyRequest.objects.filter(
            created_at__lt=audit_cutoff
        ).delete()[0]
        counts["reveals"] = PhoneReveal.objects.filter(created_at__lt=audit_cutoff).delete()[0]
    return counts


def _open_numbers(field: str = "phone") -> Q:
    """Rows whose number (`field`) is still waiting for something — an alert, or a launch
    entry not yet drawn, held or next in line: their texts carry the links they need."""
    waiting = WaitlistEntry.objects.filter(
        Q(status__in=[*WaitlistEntry.OPEN_STATUSES, WaitlistEntry.Status.TRANSFER])
        | Q(status=WaitlistEntry.Status.HELD, hold__status=Hold.Status.ACTIVE)
    ).values("phone")
    entered = LaunchEntry.objects.filter(status__in=LAUNCH_ENTRIES_OPEN).values("phone")
    return Q(**{f"{field}__in": waiting}) | Q(**{f"{field}__in": entered})


def _purge_requests(*, now: datetime, cutoff: datetime) -> dict[str, int]:
    ended = [
        WaitlistEntry.Status.COLLECTED,
        WaitlistEntry.Status.LAPSED,
        WaitlistEntry.Status.CANCELLED,
    ]
    return {
        "texts": Message.objects.filter(
            created_at__lt=cutoff,
            status__in=[Status.SENT, Status.DELIVERED, Status.UNDELIVERED, Status.FAILED],
        )
        .exclude(_open_numbers("recipient"))
        .delete()[0],
        "entries": WaitlistEntry.objects.filter(
            Q(status__in=ended, ended_at__lt=cutoff)
            | Q(status=WaitlistEntry.Status.HELD, hold__ended_at__lt=cutoff)
            # Never confirmed: gone after a day.
            | Q(status=WaitlistEntry.Status.PENDING, created_at__lt=now - timedelta(days=1))
        ).delete()[0],
        "codes": PhoneVerification.objects.filter(created_at__lt=now - timedelta(days=1)).delete()[
            0
        ],
        "webhooks": ProcessedWebhook.objects.filter(received_at__lt=cutoff).delete()[0],
    }


def _purge_numbers(*, cutoff: datetime, open_numbers: Q) -> dict[str, int]:
    counts = {
        "numbers": ConfirmedNumber.objects.filter(last_used_at__lt=cutoff)
        .exclude(open_numbers)
        .delete()[0],
    }
    # What the number agreed to stays as long as the number is confirmed (the texts sent on it
    # may be asked about), and goes with it.
    counts["consents"] = (
        ConsentRecord.objects.filter(given_at__lt=cutoff)
        .exclude(phone__in=ConfirmedNumber.objects.values("phone"))
        .exclude(open_numbers)
        .delete()[0]
    )
    counts["whatsapp"] = (
        WhatsAppNumber.objects.filter(
            Q(last_inbound_at__isnull=True) | Q(last_inbound_at__lt=cutoff),
            Q(not_on_whatsapp_at__isnull=True) | Q(not_on_whatsapp_at__lt=cutoff),
        )
        .exclude(phone__in=ConfirmedNumber.objects.values("phone"))
        .exclude(open_numbers)
        .delete()[0]
    )
    # Honoured for good, by the keyed hash: the number itself is no longer needed.
    counts["opt_out_numbers"] = (
        OptOut.objects.filter(created_at__lt=cutoff).exclude(phone="").update(phone="")
    )
    return counts


def _purge_stock(*, cutoff: datetime) -> dict[str, int]:
    anonymous = {"customer_phone": "", "customer_name": ""}
    return {
        "holds": Hold.objects.filter(ended_at__lt=cutoff)
        .exclude(status=Hold.Status.ACTIVE)
        .filter(~Q(customer_phone="") | ~Q(customer_name=""))
        .update(**anonymous),
        "transfers": Transfer.objects.filter(status__in=FINISHED_TRANSFERS, requested_at__lt=cutoff)
        .exclude(holds__status=Hold.Status.ACTIVE)
        .filter(~Q(customer_phone="") | ~Q(customer_name=""))
        .update(**anonymous),
    }
