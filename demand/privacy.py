"""What customers' requests hold about a number (see `core.privacy`): its alerts (waitlist
entries) and launch draw entries. Erasing first ends everything still open for the number — a
launch entry waiting for its draw or next in line, a waiting alert, a pair held on an alert, a
request or a draw, a pair asked to be brought that has not left — through the same services as
its "My requests" buttons, then deletes its alerts and launch entries (a drawn entry stays in
the published order without its number: `services.launch_privacy`)."""

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import Field, Model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.privacy import Revealable, Section, when
from inventory.models import Hold, Transfer
from notifications.models import LANGUAGE_CHOICES

from . import services
from .models import Launch, LaunchEntry, WaitlistEntry


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
            ),
            _launch_entries(phone),
        ]

    def erase(self, phone: str) -> dict[str, int]:
        # Out of every draw first, so a pair the number gives back below never comes to it.
        ended = services.launch_entries_withdraw_open(phone=phone)
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
            **services.launch_entries_forget(entries=LaunchEntry.objects.filter(phone=phone)),
        }


def _label(model: type[Model], name: str) -> Any:
    """A field's name as its model gives it, capitalised (lazily: in the page's language)."""
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    return capfirst(field.verbose_name)


def _launch_entries(phone: str) -> Section:
    entries = LaunchEntry.objects.filter(phone=phone).select_related(
        "launch__product__brand", "store", "variant"
    )
    return Section(
        "launch_entries",
        _("Launch draw entries"),
        [
            {
                "code": entry.public_id,
                "launch": f"{entry.launch.product.brand} {entry.launch.product.name}",
                "size": f"EU {entry.variant.size_label}",
                "store": str(entry.store),
                "status": entry.status,
                "place": "" if entry.rank is None else str(entry.rank),
                "language": entry.language,
                "result_text": "yes" if entry.result_text else "no",
                "signed_up_at": when(entry.created_at),
                "draw_at": when(entry.launch.draw_at),
                "changed_at": when(entry.updated_at),
            }
            for entry in entries.order_by("created_at", "id")
        ],
        labels={
            "code": _label(LaunchEntry, "public_id"),
            "launch": _label(LaunchEntry, "launch"),
            "size": _label(LaunchEntry, "variant"),
            "place": _label(LaunchEntry, "rank"),
            "result_text": _label(LaunchEntry, "result_text"),
            "draw_at": _label(Launch, "draw_at"),
            "signed_up_at": _label(LaunchEntry, "created_at"),
            "changed_at": _label(LaunchEntry, "updated_at"),
        },
        choices={
            "status": dict(LaunchEntry.Status.choices),
            "language": dict(LANGUAGE_CHOICES),
            "result_text": {"yes": _("Yes"), "no": _("No")},
        },
    )


def _quietly(end: Callable[..., object], **kwargs: Any) -> int:
    """1 if `end(**kwargs)` ended something, 0 if it had ended already (nothing to do)."""
    try:
        end(**kwargs)
    except DomainError:
        return 0
    return 1


def launch_entry_number(pk: int) -> Revealable | None:
    entry = LaunchEntry.objects.filter(pk=pk).only("phone", "store_id").first()
    if entry is None or entry.erased:
        return None
    return Revealable(entry.phone, f"demand.launchentry #{pk}", (entry.store_id,))


def entry_number(pk: int) -> Revealable | None:
    entry = WaitlistEntry.objects.filter(pk=pk).only("phone", "store_id").first()
    if entry is None:
        return None
    return Revealable(entry.phone, f"demand.waitlistentry #{pk}", (entry.store_id,))
