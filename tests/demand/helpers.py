"""Small reads the demand tests share."""

from demand.models import WaitlistEntry
from inventory.models import Hold


def entry_held_by(hold: Hold) -> int | None:
    """The waitlist entry a hold was placed for (the entry points at its hold)."""
    return WaitlistEntry.objects.filter(hold=hold).values_list("pk", flat=True).first()
