"""What the messaging layer reports back, settled here: it never knows what a text announced."""

import contextlib

from django.utils import timezone

from inventory import services as inventory
from inventory.models import Hold
from notifications.models import Message

from ..models import WaitlistEntry

Purpose = Message.Purpose


def number_opted_out(*, phone: str) -> int:
    """Inside the opt-out's transaction: the number's waiting alerts are cancelled (pairs already
    held stay held until collected or expired). Returns how many were cancelled."""
    return WaitlistEntry.objects.filter(phone=phone, status__in=WaitlistEntry.OPEN_STATUSES).update(
        status=WaitlistEntry.Status.CANCELLED, ended_at=timezone.now()
    )


def message_failed(*, message: Message) -> None:
    """Inside the transaction that failed the text for good. A waitlist customer who cannot be
    told loses the hold: the pair goes to the next person, and so does a pair held on request
    ("hold a pair for me"). A transfer customer keeps theirs (staff will call): its clock starts
    so it can expire."""
    if message.hold_id is None:
        return
    hold = Hold(pk=message.hold_id)
    if message.purpose == Purpose.PAIR_HELD:  # nobody waits on it: the pair goes back on sale
        with contextlib.suppress(inventory.InvalidTransition):
            inventory.hold_release(hold=hold)
    elif message.purpose == Purpose.HOLD_READY:
        WaitlistEntry.objects.filter(
            hold_id=message.hold_id, status=WaitlistEntry.Status.HELD
        ).update(status=WaitlistEntry.Status.LAPSED, ended_at=timezone.now())
        with contextlib.suppress(inventory.InvalidTransition):
            inventory.hold_release(hold=hold)
    else:  # (a clock already running, from the claim, is left as it is)
        with contextlib.suppress(inventory.InvalidTransition):
            inventory.hold_start_clock(hold=hold)
