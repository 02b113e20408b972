"""Numbers that asked for no more texts: checked before every send, honoured for good.

Every check compares the number's keyed hash (`core.phones.phone_key`), so an opt-out whose
number was deleted with the rest of a customer's data still stops every text to it.
"""

from collections.abc import Iterable

from django.db import transaction

from core.phones import phone_key

from .. import events
from ..models import OptOut
from .consent import consent_withdraw


def is_opted_out(phone: str) -> bool:
    return OptOut.objects.filter(phone_key=phone_key(phone)).exists()


def opted_out_among(phones: Iterable[str]) -> set[str]:
    """Which of `phones` opted out, in one query."""
    keys = {phone_key(phone): phone for phone in phones}
    found = OptOut.objects.filter(phone_key__in=list(keys)).values_list("phone_key", flat=True)
    return {keys[key] for key in found}


def phone_opt_out(*, phone: str, source: str) -> OptOut:
    """No more texts to this number; `events.number_opted_out` tells the apps above, in the same
    transaction (the waiting alerts are cancelled; pairs already held stay held). Its consent
    records are marked withdrawn."""
    with transaction.atomic():
        opt_out, _created = OptOut.objects.get_or_create(
            phone_key=phone_key(phone), defaults={"phone": phone, "source": source}
        )
        consent_withdraw(phone=phone)
        events.number_opted_out.send(sender=OptOut, phone=phone, source=source)
    return opt_out


def phone_opt_in(*, phone: str) -> bool:
    """The number replied START: texts may go to it again. Returns whether it was opted out."""
    deleted, _rows = OptOut.objects.filter(phone_key=phone_key(phone)).delete()
    return bool(deleted)
