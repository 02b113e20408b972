"""What customers' requests hold about a number (see `core.privacy`): its alerts (waitlist
entries). Erasing first ends everything still open for the number — a waiting alert, a pair
held on an alert or a request, a pair asked to be brought that has not left — through the same
services as its "My requests" buttons, then deletes its alerts."""

from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.privacy import Revealable, Section, when
from inventory.models import Hold, Transfer
from notifications.models import LANGUAGE_CHOICES

from . import services
from .models import WaitlistEntry


class RequestsData:
    order = 30

    def records_for(self, phone: str) -> Sequence[Section]:
        entries = WaitlistEntry.objects.filter(phone=phone).select_related(
            "variant__product", "store"
        )
        return [
            Section(
                "alerts",
                _("Alerts and waitlists"),
                [
                    {
                        "id": str(entry.pk),
                        "pair": str(entry.variant),
                        "store": str(entry.store),
                        "language": entry.language,
                        "status": entry.status,
                        "signed_up_at": when(entry.created_at),
                        "confirmed_at": when(entry.activated_at),
                        "ended_at": when(entry.ended_at),
                    }
                    for entry in entries.order_by("created_at", "id")
                ],
                choices={
                    "status": dict(WaitlistEntry.Status.choices),
                    "language": dict(LANGUAGE_CHOICES),
                },
            )
        ]

    def erase(self, phone: str) -> dict[str, int]:
        ended = 0
        for hold_id in Hold.objects.filter(
            customer_phone=phone, status=Hold.Status.ACTIVE
        ).values_list("pk", flat=True):
            ended += _quietly(services.request_hold_release, hold_id=hold_id, phone=phone)
        for transfer_id in Transfer.objects.filter(
            customer_phone=phone,
            origin=Transfer.Origin.CUSTOMER,
            status__in=[Transfer.Status.AWAITING_APPROVAL, Transfer.Status.REQUESTED],
        ).values_list("pk", flat=True):
            ended += _quietly(services.bring_request_cancel, transfer_id=transfer_id, phone=phone)
        for entry in WaitlistEntry.objects.filter(
            phone=phone, status__in=WaitlistEntry.OPEN_STATUSES
        ):
            ended += _quietly(services.waitlist_cancel, entry=entry)
        return {
            "requests_ended": ended,
            "alerts": WaitlistEntry.objects.filter(phone=phone).delete()[0],
        }


def _quietly(end: Callable[..., object], **kwargs: Any) -> int:
    """1 if `end(**kwargs)` ended something, 0 if it had ended already (nothing to do)."""
    try:
        end(**kwargs)
    except DomainError:
        return 0
    return 1


def entry_number(pk: int) -> Revealable | None:
    entry = WaitlistEntry.objects.filter(pk=pk).only("phone", "store_id").first()
    if entry is None:
        return None
    return Revealable(entry.phone, f"demand.waitlistentry #{pk}", (entry.store_id,))
