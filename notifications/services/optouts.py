"""Numbers that asked for no more texts: checked before every send, honoured for good."""

from django.db import transaction

from .. import events
from ..models import OptOut


def is_opted_out(phone: str) -> bool:
    return OptOut.objects.filter(phone=phone).exists()


def phone_opt_out(*, phone: str, source: str) -> OptOut:
    """No more texts to this number; `events.number_opted_out` tells the apps above, in the same
    transaction (the waiting alerts are cancelled; pairs already held stay held)."""
    with transaction.atomic():
        opt_out, _created = OptOut.objects.get_or_create(phone=phone, defaults={"source": source})
        events.number_opted_out.send(sender=OptOut, phone=phone, source=source)
    return opt_out


def phone_opt_in(*, phone: str) -> bool:
    """The number replied START: texts may go to it again. Returns whether it was opted out."""
    deleted, _rows = OptOut.objects.filter(phone=phone).delete()
    return bool(deleted)
