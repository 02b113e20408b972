"""Pick-up planning from the hold text's page, and the reminder before an unplanned hold lapses.

The customer chooses a slot or one more day through `inventory.services` (the hold's lock
first); "I no longer want it" ends the hold at once through the same release as staff use, so
the restock signal hands the pair to the next person waiting. A store that turned reminders on
texts each customer who has not said when they will come, once per hold, its lead time before
the hold runs out: through the outbox (a non-essential text: it stops when the daily budget is
spent), never to an opted-out number, never in quiet hours, never too late to be of use.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from core.language import language_or_default
from core.phones import phone_or_none
from inventory.models import Hold, Store
from notifications.models import Message, OptOut
from notifications.services import (
    AlertAlreadyEnded,
    BudgetExhausted,
    message_create,
    quiet_hours_end,
)

from ..models import LaunchEntry, WaitlistEntry
from .allocation import transfer_hold_release
from .waitlist import waitlist_cancel

logger = logging.getLogger(__name__)

REMINDER_KEY = "pickup-reminder:{hold_id}"


def pickup_release(*, hold: Hold, phone: str) -> Hold:
    """The customer no longer wants the held pair: the hold ends now (a waitlist customer's
    alert with it) and the pair goes to the next person waiting. Raises `AlertAlreadyEnded`
    when the hold ended first (collected, expired, released) — then nothing changes."""
    if hold.purpose == Hold.Purpose.WAITLIST:
        entry = WaitlistEntry.objects.filter(hold_id=hold.pk, phone=phone).first()
        if entry is not None:
            waitlist_cancel(entry=entry)
            return hold
        # A launch winner's hold is for someone waiting too: released like a transfer's.
        if not LaunchEntry.objects.filter(hold_id=hold.pk, phone=phone).exists():
            raise AlertAlreadyEnded(_("This alert has already ended."))
    return transfer_hold_release(hold=hold, phone=phone)


def pickup_reminders_due(*, now: datetime | None = None) -> list[int]:
    """Write the reminder of every hold now within its store's lead time of running out whose
    customer has not chosen a pick-up time (at most one per hold: idempotency key
    "pickup-reminder:<hold id>"). Returns the texts' ids. A reminder that quiet hours would hold
    back past the hold's end is not written."""
    now = now or timezone.now()
    quiet_until = quiet_hours_end(now)
    reminded = Message.objects.filter(
        hold_id=OuterRef("pk"), purpose=Message.Purpose.PICKUP_REMINDER
    )
    opted_out = OptOut.objects.filter(phone=OuterRef("customer_phone"))
    written: list[int] = []
    for store in Store.objects.filter(pickup_reminder=True, is_active=True).order_by("pk"):
        due = (
            Hold.objects.filter(
                store=store,
                status=Hold.Status.ACTIVE,
                pickup_at__isnull=True,
                notified_at__isnull=False,
                expires_at__gt=now,
                expires_at__lte=now + timedelta(hours=store.pickup_reminder_hours),
            )
            .exclude(Exists(reminded))
            .exclude(Exists(opted_out))
            .order_by("expires_at", "pk")
        )
        for hold in due:
            assert hold.expires_at is not None
            if quiet_until is not None and quiet_until >= hold.expires_at:
                continue
            phone = phone_or_none(hold.customer_phone)
            if phone is None:
                continue
            try:
                with transaction.atomic():
                    message = message_create(
                        recipient=phone,
                        purpose=Message.Purpose.PICKUP_REMINDER,
                        language=language_or_default(hold.language),
                        idempotency_key=REMINDER_KEY.format(hold_id=hold.pk),
                        hold=hold,
                        send_after=quiet_until,
                    )
            except BudgetExhausted:
                logger.warning("Pick-up reminders paused: today's SMS budget is spent")
                return written
            written.append(message.pk)
    return written
