"""A customer's rights over her number's data: see it, download it, delete it.

Every app that keeps rows about a number registers a source with `core.privacy`; these
services ask all of them at once and leave a trail staff can see (`PrivacyRequest`: what was
asked and when, by the number's keyed hash — never the number).
"""

from django.db import transaction

from core import privacy
from core.phones import mask_phone, phone_key
from core.privacy import Section

from ..models import PrivacyRequest


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


def number_erase(*, phone: str) -> PrivacyRequest:
    """Delete what every app holds about `phone`, in one transaction, top layer first: what is
    still open ends (held pairs go to the next customer), rows about the number are deleted or
    lose the number. Only the opt-out stays, as a keyed hash, so the number is never texted
    again. Returns the audit record (how many rows of each kind went)."""
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
        )
