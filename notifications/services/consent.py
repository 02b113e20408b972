"""Consent to texts: the words a form shows beside a number, and the record kept of them.

Alerts, holds and pick-up texts are service messages, agreed to by asking for them; news and
offers need a tick of their own, off by default. The record keeps the exact words shown, in
the language they were shown in, the page and the channel, so a dispute can be answered with
what the customer read.
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.language import current_language

from ..models import ConsentRecord
from .whatsapp import channel_for

Purpose = ConsentRecord.Purpose

SERVICE_WORDING = _(
    "By sending this form you agree that we text this number about what you asked for: a "
    "code to confirm it, and when a pair is held for you, on its way or waiting to be "
    "collected. These are not advertising. Reply STOP to any of our texts to end them."
)
# A launch draw's entry form: the draw's result is a service text too (asked for by entering).
DRAW_WORDING = _(
    "By sending this form you agree that we text this number about your entry in this draw: "
    "a code to confirm it, the draw's result, and when a pair is held for you and waiting to "
    "be collected. These are not advertising. Reply STOP to any of our texts to end them."
)
PROMOTIONAL_WORDING = _(
    "Also send me news and offers (a few a month at most). I can stop them at any time."
)


@dataclass(frozen=True)
class Consent:
    """What a form showed beside a number: `page` (its address), `language` (the page's),
    `service` (the words of the service consent) and `promotional` (the words of the offers
    tick, when it was ticked; empty otherwise)."""

    page: str
    language: str
    service: str
    promotional: str = ""

    @classmethod
    def shown(
        cls, *, page: str, promotional: bool, service: str | Promise = SERVICE_WORDING
    ) -> "Consent":
        """The words as the form showed them (`service`: its service wording), rendered now in
        the page's language."""
        return cls(
            page=page[:200],
            language=current_language(),
            service=str(service),
            promotional=str(PROMOTIONAL_WORDING) if promotional else "",
        )

    def to_json(self) -> dict[str, str]:
        return {
            "page": self.page,
            "language": self.language,
            "service": self.service,
            "promotional": self.promotional,
        }

    @classmethod
    def from_json(cls, data: Any) -> "Consent | None":
        if not isinstance(data, dict) or not all(
            isinstance(data.get(key), str) and data.get(key) for key in ("page", "service")
        ):
            return None
        return cls(
            page=data["page"],
            language=str(data.get("language") or "he"),
            service=data["service"],
            promotional=str(data.get("promotional") or ""),
        )


def consent_record(
    *, phone: str, consent: Consent, channel: str, by_code: bool, recorded_by: Any = None
) -> list[ConsentRecord]:
    """Keep what `phone`'s owner agreed to: a service record, and a promotional one when the
    offers tick was ticked. `by_code`: proven by a code just now (else by a browser that
    proved the number before, or `recorded_by` staff who typed it for her)."""
    now = timezone.now()
    wordings = [(Purpose.SERVICE, consent.service)]
    if consent.promotional:
        wordings.append((Purpose.PROMOTIONAL, consent.promotional))
    with transaction.atomic():
        return [
            ConsentRecord.objects.create(
                phone=phone,
                purpose=purpose,
                channel=channel,
                language=consent.language,
                page=consent.page,
                wording=wording,
                given_at=now,
                by_code=by_code,
                recorded_by=recorded_by,
            )
            for purpose, wording in wordings
        ]


def consent_withdraw(*, phone: str) -> int:
    """The number opted out: every consent it gave is withdrawn now (kept, for the record)."""
    return ConsentRecord.objects.filter(phone=phone, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )


def promotional_change(*, phone: str, wanted: bool, page: str, channel: str) -> bool:
    """The customer ticked or unticked news and offers on her own page (proven by a code in
    this session): a new promotional record in the words shown, or hers withdrawn. Returns
    whether anything changed."""
    if wanted == promotional_consent(phone):
        return False
    if not wanted:
        return bool(
            ConsentRecord.objects.filter(
                phone=phone, purpose=Purpose.PROMOTIONAL, withdrawn_at__isnull=True
            ).update(withdrawn_at=timezone.now())
        )
    ConsentRecord.objects.create(
        phone=phone,
        purpose=Purpose.PROMOTIONAL,
        channel=channel,
        language=current_language(),
        page=page[:200],
        wording=str(PROMOTIONAL_WORDING),
        given_at=timezone.now(),
        by_code=True,
    )
    return True


def promotional_consent(phone: str) -> bool:
    """Whether `phone` agreed to news and offers and has not withdrawn it."""
    return ConsentRecord.objects.filter(
        phone=phone, purpose=Purpose.PROMOTIONAL, withdrawn_at__isnull=True
    ).exists()


def on_customer_number_given(
    sender: Any, phone: str, page: str, wording: str, language: str, user: Any, **kwargs: Any
) -> None:
    """Inside the transaction of a transfer staff requested for a customer: her consent, in
    the words staff were shown to tell her, recorded by them."""
    consent_record(
        phone=phone,
        consent=Consent(page=page[:200], language=language, service=wording),
        channel=channel_for(phone),
        by_code=False,
        recorded_by=user,
    )
