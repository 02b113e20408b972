"""Numbers that asked for no more texts: checked before every send, honoured for good."""

from django.db import transaction
from django.utils import timezone

from ..models import OptOut, WaitlistEntry


def is_opted_out(phone: str) -> bool:
    return OptOut.objects.filter(phone=phone).exists()


def phone_opt_out(*, phone: str, source: str) -> OptOut:
    """No more texts to this number; its waiting alerts are cancelled (pairs already held stay
    held until collected or expired)."""
    with transaction.atomic():
        opt_out, _created = OptOut.objects.get_or_create(phone=phone, defaults={"source": source})
        WaitlistEntry.objects.filter(phone=phone, status__in=WaitlistEntry.OPEN_STATUSES).update(
            status=WaitlistEntry.Status.CANCELLED, ended_at=timezone.now()
        )
    return opt_out


def phone_opt_in(*, phone: str) -> bool:
    """The number replied START: texts may go to it again. Returns whether it was opted out."""
    deleted, _rows = OptOut.objects.filter(phone=phone).delete()
    return bool(deleted)
