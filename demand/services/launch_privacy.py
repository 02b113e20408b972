"""A launch entrant's number, forgotten: when the customer deletes her data ("My data") and
when the launch finished long ago (`retention_purge`).

A drawn entry has a place in the published order, which anyone may recompute from the seed and
every entry's code: deleting it would leave a gap no one could check. So a drawn entry stays —
its code, store, size, place and whether it won — with its number replaced by `ERASED` and its
code (unique, and no number), its client address and staff note blanked. An entry never drawn
(withdrawn, disqualified, or a draw not held) is in no published list and is deleted.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Concat
from django.utils import timezone

from core.errors import DomainError
from inventory.models import Hold

from ..models import Launch, LaunchEntry
from .launches import launch_entry_withdraw

ERASED = LaunchEntry.ERASED


def launch_entries_withdraw_open(*, phone: str) -> int:
    """Take every entry of `phone` still waiting for a draw or next in line out of it, through
    `launch_entry_withdraw` (its pairs go to the others). Returns how many. Runs before the
    number's holds are released, so a pair it gives back never comes to it again."""
    withdrawn = 0
    for entry in LaunchEntry.objects.filter(
        phone=phone, status__in=[LaunchEntry.Status.ENTERED, LaunchEntry.Status.IN_LINE]
    ):
        try:
            launch_entry_withdraw(entry=entry, phone=phone)
        except DomainError:  # drawn meanwhile: its hold is released with the others
            continue
        withdrawn += 1
    return withdrawn


def launch_entries_forget(*, entries: QuerySet[LaunchEntry]) -> dict[str, int]:
    """Delete the `entries` never drawn; keep the drawn ones without their number (see the
    module). Entries whose pair is still held are left alone (release the hold first)."""
    with transaction.atomic():
        entries = entries.exclude(phone__startswith=ERASED).exclude(hold__status=Hold.Status.ACTIVE)
        ids = list(entries.values_list("pk", flat=True))
        rows = LaunchEntry.objects.filter(pk__in=ids)
        deleted = rows.filter(rank__isnull=True).delete()[0]
        anonymised = rows.filter(rank__isnull=False).update(
            phone=Concat(Value(ERASED), F("public_id")),
            client_key="",
            note="",
            updated_at=timezone.now(),
        )
    return {"launch_entries_deleted": deleted, "launch_entries_anonymised": anonymised}


def launch_entries_finished(*, cutoff: datetime) -> QuerySet[LaunchEntry]:
    """Entries of launches finished before `cutoff`: drawn, and their pick-up window over; or
    cancelled, their draw time passed. (A chain runs a few launches a month: their windows are
    worked out here rather than as interval arithmetic, which SQLite does not do.)"""
    ended = Launch.objects.filter(
        status__in=[Launch.Status.DRAWN, Launch.Status.CANCELLED], draw_at__lt=cutoff
    ).only("pk", "status", "draw_at", "pickup_hours")
    finished = [
        launch.pk
        for launch in ended
        if launch.status == Launch.Status.CANCELLED
        or launch.draw_at + timedelta(hours=launch.pickup_hours) < cutoff
    ]
    return LaunchEntry.objects.filter(launch_id__in=finished)
