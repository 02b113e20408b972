"""Pick-up planning, from the customer's hold text: when they will come, one more day.

Each service locks the hold row first (then, where stock changes, the levels: the one lock
order of `holds`), refuses a hold that has ended, and expires one whose time has run out —
so a customer never plans or extends a pair that is already back on sale. The customer who no
longer wants the pair releases it with `hold_release`, like staff.
"""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import HoldExpired, InvalidPickup
from ..models import Hold
from ..selectors.pickup import pickup_slot_at, pickup_slots
from .holds import _lock_hold, _require_active, hold_ends_at
from .locks import holds_expire


def _lapsed(hold: Hold, now: datetime) -> bool:
    return hold.expires_at is not None and hold.expires_at <= now


def _expired_error(hold: Hold, wanted: str) -> HoldExpired:
    assert hold.expires_at is not None
    return HoldExpired(
        _("This hold ran out at %(time)s and has expired; its pair is back on offer.")
        % {"time": timezone.localtime(hold.expires_at).strftime("%d/%m/%Y %H:%M")},
        current=Hold.Status.EXPIRED,
        wanted=wanted,
    )


def hold_plan_pickup(*, hold: Hold | int, at: datetime, now: datetime | None = None) -> Hold:
    """Record when the customer will come: `at` must start one of the slots `pickup_slots`
    offers (a day the pair is held, inside the store's hours that date, after now, before the
    hold runs out).
    Choosing again replaces the earlier choice.

    Raises `InvalidPickup` for any other time, `InvalidTransition` for a hold that has ended,
    and `HoldExpired` for one whose time ran out (it is expired, committed; the pair goes on).
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_hold(hold)
        _require_active(locked, wanted="pickup")
        lapsed = _lapsed(locked, now)
        if lapsed:
            holds_expire([locked], now=now)
        else:
            until = hold_ends_at(locked, told_at=now)
            days = pickup_slots(store=locked.store, until=until, now=now)
            if pickup_slot_at(days, at) is None:
                raise InvalidPickup(_slot_refusal(at, days, until=until, now=now))
            locked.pickup_at = at
            locked.save(update_fields=["pickup_at"])
    if lapsed:
        raise _expired_error(locked, wanted="pickup")
    return locked


def _slot_refusal(at: datetime, days: list, *, until: datetime, now: datetime) -> str:
    if at <= now:
        return _("That time has already passed. Please choose a later one.")
    if at >= until:
        return _(
            "The pair is held for you until %(time)s. Choose an earlier time, or ask "
            "for one more day first."
        ) % {"time": timezone.localtime(until).strftime("%d/%m %H:%M")}
    return _("The store is not open then. Please choose one of the times shown.")


def hold_extend(*, hold: Hold | int, now: datetime | None = None) -> Hold:
    """One more day, once: the hold's expiry moves by `HOLD_EXTENSION`. Nobody else loses
    anything — the people waiting for this size keep their places for the next pair.

    Raises `InvalidPickup` for a second extension (or when extensions are off, or the hold's
    time has not started), `InvalidTransition` for a hold that has ended, and `HoldExpired`
    for one whose time ran out (it is expired, committed; the pair goes on).
    """
    now = now or timezone.now()
    if not settings.HOLD_EXTENSION:
        raise InvalidPickup(_("Holds cannot be extended."))
    with transaction.atomic():
        locked = _lock_hold(hold)
        _require_active(locked, wanted="extend")
        lapsed = _lapsed(locked, now)
        if lapsed:
            holds_expire([locked], now=now)
        else:
            if locked.extended_at is not None:
                raise InvalidPickup(
                    _("This hold has already been extended once; it cannot be extended again.")
                )
            if locked.expires_at is None:
                raise InvalidPickup(
                    _("The hold's time starts when our text goes out; please ask again then.")
                )
            locked.expires_at += settings.HOLD_EXTENSION
            locked.extended_at = now
            locked.save(update_fields=["expires_at", "extended_at"])
    if lapsed:
        raise _expired_error(locked, wanted="extend")
    return locked
