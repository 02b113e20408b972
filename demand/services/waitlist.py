"""Waiting for a size: signing up, activating an entry once its number is confirmed, and
cancelling. The number itself is confirmed by the messaging layer (`notifications`)."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Literal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Variant
from core.ids import pk_of
from core.language import language_or_default
from core.phones import phone_normalize
from inventory import services as inventory
from inventory.models import Hold, Store
from notifications import services as messaging
from notifications.models import ConfirmedNumber
from notifications.services import AlertAlreadyEnded

from ..models import WaitlistEntry
from .allocation import waitlist_queue_allocation


@dataclass(frozen=True)
class SignupResult:
    """`active`: the alert is on and the browser may be told so. `check_phone`: the page asks
    for a code (whatever the number's history, so it never reveals it)."""

    entry: WaitlistEntry
    state: Literal["active", "check_phone"]
    verification_id: int | None = None


def waitlist_signup(
    *,
    phone: str,
    variant: Variant | int,
    store: Store | int,
    language: str,
    client_ip: str,
    trusted: bool = False,
    verification_id: int | None = None,
    channel: str | None = None,
    consent: messaging.Consent | None = None,
) -> SignupResult:
    """Put `phone` on the list for `variant` at `store` (one entry per number, size and store).

    `trusted` says this browser confirmed this number before: its entry is active at once. Any
    other entry waits for a code sent to the number — even for a number confirmed in another
    browser, so a stranger can neither put someone on a list nor hold a pair in their name; the
    page looks the same whether the number is known or not.
    `verification_id`, a code this browser is still waiting for (same number, still valid),
    covers this entry too: no second code is sent.
    `channel` (SMS or WhatsApp) is how the code goes, and the number's channel once confirmed;
    a trusted browser's choice applies at once. `consent` (what the form showed) is recorded
    once the number is proven.
    Raises `InvalidPhone`, `TooManyRequests`, `BudgetExhausted`.
    """
    phone = phone_normalize(phone)
    language = language_or_default(language)
    gate = messaging.number_gate(
        phone=phone, client_ip=client_ip, trusted=trusted, channel=channel, consent=consent
    )
    if gate.confirmed:
        entry = _entry_get_or_create(
            phone=phone, variant=variant, store=store, language=language, active=True
        )
        return SignupResult(entry=entry, state="active")
    with transaction.atomic():
        entry = _entry_get_or_create(
            phone=phone, variant=variant, store=store, language=language, active=False
        )
        code = messaging.code_for(
            phone=phone,
            language=language,
            client_ip=client_ip,
            gate=gate,
            verification_id=verification_id,
            channel=channel,
            consent=consent,
        )
        return SignupResult(entry=entry, state="check_phone", verification_id=code)


def waitlist_entry_confirmed(
    *, phone: str, variant: Variant | int, store: Store | int, language: str
) -> WaitlistEntry:
    """An active entry for a number already proven (it received the text whose link this
    came from): the same entry again if it is already waiting."""
    return _entry_get_or_create(
        phone=phone,
        variant=variant,
        store=store,
        language=language_or_default(language),
        active=True,
    )


def _entry_get_or_create(
    *, phone: str, variant: Variant | int, store: Store | int, language: str, active: bool
) -> WaitlistEntry:
    variant_id, store_id = pk_of(variant), pk_of(store)
    now = timezone.now()
    with transaction.atomic():
        current = (
            WaitlistEntry.objects.select_for_update(of=("self",))
            .filter(phone=phone, variant_id=variant_id, store_id=store_id)
            .filter(
                Q(status__in=[*WaitlistEntry.OPEN_STATUSES, WaitlistEntry.Status.TRANSFER])
                | Q(status=WaitlistEntry.Status.HELD, hold__status=Hold.Status.ACTIVE)
            )
            .first()
        )
        if current is None:
            try:
                with transaction.atomic():
                    current = WaitlistEntry.objects.create(
                        phone=phone,
                        variant_id=variant_id,
                        store_id=store_id,
                        language=language,
                        status=(
                            WaitlistEntry.Status.ACTIVE if active else WaitlistEntry.Status.PENDING
                        ),
                        activated_at=now if active else None,
                    )
            except IntegrityError:  # a concurrent identical sign-up won
                current = WaitlistEntry.objects.select_for_update().get(
                    phone=phone,
                    variant_id=variant_id,
                    store_id=store_id,
                    status__in=WaitlistEntry.OPEN_STATUSES,
                )
        if active and current.status == WaitlistEntry.Status.PENDING:
            current.status = WaitlistEntry.Status.ACTIVE
            current.activated_at = now
            current.save(update_fields=["status", "activated_at"])
        if current.status == WaitlistEntry.Status.ACTIVE:
            transaction.on_commit(partial(waitlist_queue_allocation, store_id, variant_id))
    return current


def waitlist_confirm(
    *, verification_id: int | None, code: str, client_ip: str, entry_ids: Sequence[int] = ()
) -> ConfirmedNumber:
    """Check a code (`notifications.services.verification_confirm`); on success this number's
    pending entries among `entry_ids` (the ones this browser signed up) become active and their
    allocation is queued. Raises `CodeRejected` and `TooManyRequests`."""
    confirmed = messaging.verification_confirm(
        verification_id=verification_id, code=code, client_ip=client_ip
    )
    now = timezone.now()
    with transaction.atomic():
        pending = list(
            WaitlistEntry.objects.select_for_update().filter(
                pk__in=list(entry_ids),
                phone=confirmed.phone,
                status=WaitlistEntry.Status.PENDING,
            )
        )
        WaitlistEntry.objects.filter(pk__in=[e.pk for e in pending]).update(
            status=WaitlistEntry.Status.ACTIVE, activated_at=now
        )
        for key in sorted({(e.store_id, e.variant_id) for e in pending}):
            transaction.on_commit(partial(waitlist_queue_allocation, *key))
    return confirmed


def waitlist_cancel(*, entry: WaitlistEntry) -> WaitlistEntry:
    """The customer no longer wants it: a waiting entry is cancelled; a held pair is released
    and goes to the next person waiting. Raises `AlertAlreadyEnded` for a finished entry."""
    with transaction.atomic():
        locked = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        held = (
            locked.status == WaitlistEntry.Status.HELD
            and locked.hold_id is not None
            and Hold.objects.filter(pk=locked.hold_id, status=Hold.Status.ACTIVE).exists()
        )
        if locked.status not in WaitlistEntry.OPEN_STATUSES and not held:
            raise AlertAlreadyEnded(_("This alert has already ended."))
        locked.status = WaitlistEntry.Status.CANCELLED
        locked.ended_at = timezone.now()
        locked.save(update_fields=["status", "ended_at"])
        if held:
            # Collected or expired a moment ago, under the hold's lock: that outcome stands,
            # and this cancel changes nothing (the entry is not marked cancelled as well).
            try:
                inventory.hold_release(hold=Hold(pk=locked.hold_id))
            except inventory.InvalidTransition:
                raise AlertAlreadyEnded(_("This alert has already ended.")) from None
    return locked
