"""Allocation on restock: who gets the pairs that became available, their holds and texts.

The restock signal (after commit) queues one allocation per size and store; a periodic sweep
(`waitlist_allocate_pending`) reaches a pair whose task was lost. How a hold ends is recorded on
its entry; a transfer customer's hold gets its text here too.
"""

import logging
from collections.abc import Sequence
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from core.language import language_or_default
from core.phones import phone_or_none
from core.tasks import queue_after_commit
from inventory import services as inventory
from inventory.models import Hold, StockLevel
from notifications import services as messaging
from notifications.models import Message, OptOut
from notifications.services import AlertAlreadyEnded, message_create, quiet_hours_end

from ..models import Launch, LaunchEntry, WaitlistEntry
from .draw import launch_allocate, launch_wants_pairs

logger = logging.getLogger(__name__)

Purpose = Message.Purpose


def waitlist_queue_allocation(store_id: int, variant_id: int) -> None:
    """Queue, after commit, the allocation task for one size at one store if anyone is waiting
    for it (the restock signal already comes after commit; any other caller may be inside a
    transaction). A broker outage is logged: `waitlist_allocate_pending` finds the pair later."""
    if not WaitlistEntry.objects.filter(
        store_id=store_id, variant_id=variant_id, status=WaitlistEntry.Status.ACTIVE
    ).exists() and not launch_wants_pairs(store_id, variant_id):
        return
    queue_after_commit(
        "demand.waitlist_allocate",
        store_id,
        variant_id,
        what=f"the allocation for store {store_id}, variant {variant_id} (the sweep will)",
    )


def waitlist_allocate(*, store_id: int, variant_id: int) -> list[Hold]:
    """Give the pairs available at this store to the people waiting, oldest sign-up first
    (after a launch's entrants next in line: `draw.launch_allocate`).

    One transaction: the stock level is locked (serialising every allocation of this size at
    this store — so entries are taken in order, not with SKIP LOCKED), one hold per entry up to
    the available quantity, and one hold text per hold (idempotency key "hold:<id>"), sent
    after commit — or in the morning, in quiet hours. Running it twice for one pair changes
    nothing: the pair is reserved by then.
    """
    now = timezone.now()
    send_after = quiet_hours_end(now)
    with transaction.atomic():
        # The one lock order: a hold here whose time ran out is expired first (its pair is
        # free again, for the people waiting now), then the level is locked.
        key = (store_id, variant_id)
        level: StockLevel = inventory.stock_lock([], expire=[key], now=now).levels[key]
        # A launch's entrants next in line come before the waitlist (`draw.launch_allocate`).
        taken = launch_allocate(store_id=store_id, variant_id=variant_id, level=level, now=now)
        fresh = _waiting_entries(store_id, variant_id, level.available - taken)
        if not fresh:
            return []
        placed = inventory.hold_place_many(
            store=store_id,
            variant=variant_id,
            requests=[
                inventory.HoldRequest(customer_phone=phone, language=language)
                for _pk, phone, language in fresh
            ],
        )
        _entries_held(
            [(pk, hold.pk) for (pk, _phone, _language), hold in zip(fresh, placed, strict=True)]
        )
        _hold_texts_create(fresh, placed, send_after=send_after)
    logger.info("Allocated %d pair(s) at store %s, variant %s", len(placed), store_id, variant_id)
    return placed


def _entries_held(pairs: Sequence[tuple[int, int]]) -> None:
    """Each entry points at the hold placed for it, as (entry id, hold id), in one statement
    over the pairs given as VALUES (the ORM's CASE of one WHEN a row costs more to build than
    the rest of the allocation)."""
    table = WaitlistEntry._meta.db_table
    rows = ", ".join(["(CAST(%s AS bigint), CAST(%s AS bigint))"] * len(pairs))
    sql = f"""
        WITH v(entry_id, hold_id) AS (VALUES {rows})
        UPDATE {table} SET status = %s,
               hold_id = (SELECT v.hold_id FROM v WHERE v.entry_id = {table}.id)
        WHERE id IN (SELECT entry_id FROM v)
    """  # noqa: S608 (the model's table; every value is a parameter)
    params = [value for pair in pairs for value in pair] + [WaitlistEntry.Status.HELD.value]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _waiting_entries(store_id: int, variant_id: int, available: int) -> list[tuple[int, str, str]]:
    """Under the level's lock: up to `available` entries waiting here, oldest first, as (id,
    phone, language); a number that opted out is skipped."""
    if available <= 0:
        return []
    opted_out = OptOut.objects.filter(phone=OuterRef("phone"))
    return list(
        WaitlistEntry.objects.waiting()
        .filter(store_id=store_id, variant_id=variant_id)
        .exclude(Exists(opted_out))
        .select_for_update(of=("self",))
        .values_list("pk", "phone", "language")[:available]
    )


def _hold_texts_create(
    entries: Sequence[tuple[int, str, str]], holds: Sequence[Hold], *, send_after: datetime | None
) -> list[int]:
    """One "pair held" text per entry's hold (idempotency key "hold:<hold id>"), in sign-up
    order; `entries` as (id, phone, language), each with the hold placed for it. Returns the
    new texts' ids."""
    return messaging.messages_create(
        purpose=Purpose.HOLD_READY,
        texts=[
            messaging.Text(phone, language, f"hold:{hold.pk}", hold_id=hold.pk)
            for (_pk, phone, language), hold in zip(entries, holds, strict=True)
        ],
        send_after=send_after,
    )


def waitlist_allocate_pending() -> list[tuple[int, int]]:
    """Queue an allocation for every size and store with pairs available and people waiting,
    or a launch's entrants next in line (a restock whose task was lost still reaches them)."""
    waiting = WaitlistEntry.objects.filter(
        store_id=OuterRef("store_id"),
        variant_id=OuterRef("variant_id"),
        status=WaitlistEntry.Status.ACTIVE,
    )
    in_line = LaunchEntry.objects.next_in_line().filter(
        store_id=OuterRef("store_id"),
        variant_id=OuterRef("variant_id"),
        launch__status__in=[Launch.Status.DRAWING, Launch.Status.DRAWN],
    )
    keys = list(
        StockLevel.objects.in_stock()
        .filter(Exists(waiting) | Exists(in_line))
        .order_by("store_id", "variant_id")
        .values_list("store_id", "variant_id")
    )
    for store_id, variant_id in keys:
        waitlist_queue_allocation(store_id, variant_id)
    return keys


def message_for_customer_hold(*, hold: Hold) -> Message | None:
    """Inside the transaction that held a pair for a named customer (a transfer arrived for
    them): write their text. Its clock starts when the text goes."""
    phone = phone_or_none(hold.customer_phone)
    if phone is None:
        logger.warning("Hold #%s: the customer's number cannot receive texts", hold.pk)
        return None
    language = language_or_default(hold.language)
    return message_create(
        recipient=phone,
        purpose=Purpose.TRANSFER_ARRIVED,
        language=language,
        idempotency_key=f"hold:{hold.pk}",
        hold=hold,
        send_after=quiet_hours_end(),
    )


def transfer_hold_release(*, hold: Hold, phone: str) -> Hold:
    """The customer a transfer was for no longer wants the pair (from their text's link)."""
    if hold.customer_phone and phone_or_none(hold.customer_phone) != phone:
        raise AlertAlreadyEnded(_("This alert has already ended."))
    try:
        return inventory.hold_release(hold=hold)
    except inventory.InvalidTransition:
        raise AlertAlreadyEnded(_("This alert has already ended.")) from None


def waitlist_hold_ended(*, hold: Hold, outcome: str) -> None:
    """Record on the entry how its hold ended (the restock signal hands the pair on); a
    suggested transfer's hold is its customer's entry's too."""
    status = (
        WaitlistEntry.Status.COLLECTED
        if outcome == Hold.Status.COLLECTED
        else WaitlistEntry.Status.LAPSED
    )
    WaitlistEntry.objects.filter(hold_id=hold.pk, status=WaitlistEntry.Status.HELD).update(
        status=status, ended_at=hold.ended_at or timezone.now()
    )
