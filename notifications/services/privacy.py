"""A customer's rights over her number's data: see it, download it, delete it.

Every app that keeps rows about a number registers a source with `core.privacy`; these
services ask all of them at once and leave a trail staff can see (`PrivacyRequest`: what was
asked and when, by the number's keyed hash — never the number).
"""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core import privacy
from core.errors import DomainError
from core.phones import mask_phone, phone_key
from core.privacy import Revealable, Section
from inventory.permissions import can_reveal_phone

from ..models import PhoneReveal, PrivacyRequest


class RevealRefused(DomainError):
    """Not this user's to see, or no reason given."""


def number_data(*, phone: str, download: bool = False) -> list[Section]:
    """Everything every app holds about `phone`, and nothing about another number. A
    `download` is recorded in the audit trail."""
    sections = privacy.records_for(phone)
    if download:
        PrivacyRequest.objects.create(
            kind=PrivacyRequest.Kind.EXPORT,
            phone_key=phone_key(phone),
            masked=mask_phone(phone),
            counts={section.key: len(section.rows) for section in sections},
        )
    return sections


def number_erase(*, phone: str, staff: Any = None) -> PrivacyRequest:
    """Delete what every app holds about `phone`, in one transaction, top layer first: what is
    still open ends (held pairs go to the next customer), rows about the number are deleted or
    lose the number. Only the opt-out stays, as a keyed hash, so the number is never texted
    again. `staff`: who did it for a customer who asked them. Returns the audit record (how
    many rows of each kind went)."""
    counts: dict[str, int] = {}
    with transaction.atomic():
        for source in privacy.sources():
            for kind, count in source.erase(phone).items():
                counts[kind] = counts.get(kind, 0) + count
        return PrivacyRequest.objects.create(
            kind=PrivacyRequest.Kind.ERASURE,
            phone_key=phone_key(phone),
            masked=mask_phone(phone),
            counts=counts,
            staff=staff,
        )


def may_reveal(user: Any, found: Revealable) -> bool:
    """`inventory.permissions.can_reveal_phone` for the record's stores."""
    return can_reveal_phone(user, found.stores)


def phone_reveal(*, user: Any, kind: str, pk: int, reason: str) -> str:
    """The full number on the record `kind` #`pk`, for `user`, who said why (`reason`): the
    reveal is recorded first (`PhoneReveal`: who, when, whose, why). Raises `RevealRefused`
    for a record without a number, one the user may not see, or an empty reason."""
    found = privacy.revealable(kind, pk)
    if found is None or not may_reveal(user, found):
        raise RevealRefused(_("You may not see this number."))
    reason = " ".join(reason.split())[:200]
    if len(reason) < 3:
        raise RevealRefused(_("Say why you need the full number."))
    PhoneReveal.objects.create(
        user=user,
        phone_key=phone_key(found.phone),
        masked=mask_phone(found.phone),
        subject=found.subject,
        reason=reason,
    )
    return found.phone
