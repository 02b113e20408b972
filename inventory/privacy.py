"""What stock and stores hold about a number (see `core.privacy`): the customer's name and
number on holds and transfers. Erasing ends any pair still held for it and strips the name
and number from every hold and transfer; the rows stay, anonymous, for the stock ledger and
the dashboard's totals."""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from core.privacy import Revealable, Section, when

from . import services
from .models import Hold, Transfer


class StockData:
    order = 20

    def records_for(self, phone: str) -> Sequence[Section]:
        holds = Hold.objects.filter(customer_phone=phone).select_related(
            "store", "variant__product"
        )
        transfers = Transfer.objects.filter(customer_phone=phone).select_related(
            "from_store", "to_store", "variant__product"
        )
        return [
            Section(
                "holds",
                _("Pairs we held for you"),
                [
                    {
                        "id": str(hold.pk),
                        "pair": str(hold.variant),
                        "store": str(hold.store),
                        "name": hold.customer_name,
                        "status": hold.status,
                        "created_at": when(hold.created_at),
                        "held_until": when(hold.expires_at),
                        "coming_at": when(hold.pickup_at),
                        "ended_at": when(hold.ended_at),
                    }
                    for hold in holds.order_by("created_at", "id")
                ],
                choices={"status": dict(Hold.Status.choices)},
            ),
            Section(
                "transfers",
                _("Pairs brought to a store for you"),
                [
                    {
                        "id": str(transfer.pk),
                        "pair": str(transfer.variant),
                        "from": str(transfer.from_store),
                        "to": str(transfer.to_store),
                        "name": transfer.customer_name,
                        "status": transfer.status,
                        "requested_at": when(transfer.requested_at),
                        "received_at": when(transfer.received_at),
                    }
                    for transfer in transfers.order_by("requested_at", "id")
                ],
                choices={"status": dict(Transfer.Status.choices)},
            ),
        ]

    def erase(self, phone: str) -> dict[str, int]:
        # The apps above ended what they asked for; a pair held for the number by staff goes
        # back on sale here.
        for hold in Hold.objects.filter(customer_phone=phone, status=Hold.Status.ACTIVE):
            services.hold_release(hold=hold)
        anonymous = {"customer_phone": "", "customer_name": ""}
        return {
            "holds": Hold.objects.filter(customer_phone=phone).update(**anonymous),
            "transfers": Transfer.objects.filter(customer_phone=phone).update(**anonymous),
        }


def hold_number(pk: int) -> Revealable | None:
    hold = Hold.objects.filter(pk=pk).only("customer_phone", "store_id").first()
    if hold is None:
        return None
    return Revealable(hold.customer_phone, f"inventory.hold #{pk}", (hold.store_id,))


def transfer_number(pk: int) -> Revealable | None:
    transfer = (
        Transfer.objects.filter(pk=pk)
        .only("customer_phone", "from_store_id", "to_store_id")
        .first()
    )
    if transfer is None:
        return None
    return Revealable(
        transfer.customer_phone,
        f"inventory.transfer #{pk}",
        (transfer.to_store_id, transfer.from_store_id),
    )
