"""What we hold about one mobile number, asked of every app that holds some: the customer's
"My data" (see it, download it) and its deletion.

Each app that keeps rows about a number registers one `PersonalData` source in its
`AppConfig.ready()` (`privacy.register(...)`); this module imports none of them. A source
answers two questions about a number in E.164: what it holds (`records_for`, as sections of
plain rows), and how to delete it (`erase`, inside the caller's transaction). Deletion runs the
sources from the top layer down (`order`, highest first), so an app erases its rows before the
rows they point at in the apps below.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# How "My data" names the fields the sources use; a source may name its own (`labels`).
FIELD_LABELS: dict[str, str | Promise] = {
    "id": _("Number"),
    "pair": _("Pair"),
    "store": _("Store"),
    "from": _("From"),
    "to": _("To"),
    "name": _("Name"),
    "language": _("Language"),
    "channel": _("Channel"),
    "purpose": _("Purpose"),
    "status": _("Status"),
    "page": _("Page"),
    "wording": _("Wording shown"),
    "text": _("Text"),
    "source": _("How"),
    "since": _("Since"),
    "score": _("Score"),
    "comment": _("Comment"),
    "interaction": _("Visit"),
    "created_at": _("Created"),
    "signed_up_at": _("Signed up on"),
    "confirmed_at": _("Confirmed"),
    "last_used_at": _("Last used"),
    "given_at": _("Given"),
    "withdrawn_at": _("Withdrawn"),
    "sent_at": _("Sent"),
    "delivered_at": _("Delivered"),
    "requested_at": _("Asked for"),
    "received_at": _("Arrived"),
    "held_until": _("Held until"),
    "coming_at": _("Coming at"),
    "ended_at": _("Ended"),
    "rated_at": _("Rated"),
    "last_message_from_you": _("Your last message"),
    "not_on_whatsapp_since": _("Not on WhatsApp since"),
}


@dataclass(frozen=True)
class Section:
    """One kind of record about a number: `key` names it in downloads ("waitlist_entries"),
    `title` on the page; each row maps a column's name to its value, as text."""

    key: str
    title: str | Promise
    rows: Sequence[dict[str, str]] = field(default_factory=tuple)
    labels: Mapping[str, str | Promise] = field(default_factory=dict)
    # How the page shows a coded value ("active", "sms"): a field's choices, by field name.
    # Downloads keep the codes.
    choices: Mapping[str, Mapping[str, str | Promise]] = field(default_factory=dict)

    def label(self, name: str) -> str | Promise:
        return self.labels.get(name) or FIELD_LABELS.get(name) or name

    def shown(self, name: str, value: str) -> str | Promise:
        return self.choices.get(name, {}).get(value) or value


class PersonalData(Protocol):
    """One app's records about a number."""

    # Runs before every source with a lower `order` when a number is erased.
    order: int

    def records_for(self, phone: str) -> Sequence[Section]:
        """Every record this app holds about `phone`, and nothing about another number."""
        ...

    def erase(self, phone: str) -> dict[str, int]:
        """Delete (or strip the number from) what this app holds about `phone`; returns how
        many rows of each kind. Runs inside the caller's transaction."""
        ...


_SOURCES: dict[str, PersonalData] = {}


def register(name: str, source: PersonalData) -> None:
    """Add `source` under `name` (an app's label); registering a name again replaces it."""
    _SOURCES[name] = source


def sources() -> list[PersonalData]:
    """The registered sources, the top layer first (the order deletion runs in)."""
    return sorted(_SOURCES.values(), key=lambda source: -source.order)


def records_for(phone: str) -> list[Section]:
    """Every section every app holds about `phone`, lowest layer first (the number's own
    settings, then what it asked for)."""
    return [section for source in reversed(sources()) for section in source.records_for(phone)]


def when(moment: datetime | None) -> str:
    """A time in a download: Israel's local time, to the minute, or empty."""
    return timezone.localtime(moment).isoformat(timespec="minutes") if moment else ""


@dataclass(frozen=True)
class Revealable:
    """A customer's number on one record staff may ask to see in full: `stores` are the
    stores whose staff call that customer (empty: only those allowed to see every number)."""

    phone: str
    subject: str
    stores: tuple[int, ...] = ()


_REVEALABLE: dict[str, Callable[[int], Revealable | None]] = {}


def register_revealable(kind: str, find: Callable[[int], Revealable | None]) -> None:
    """`find(pk)` gives the number on the record `kind` #pk ("hold", "entry"…), or None."""
    _REVEALABLE[kind] = find


def revealable(kind: str, pk: int) -> Revealable | None:
    find = _REVEALABLE.get(kind)
    found = find(pk) if find is not None else None
    return found if found is not None and found.phone else None
