"""Confirming a number: one-time codes, the gate every request by number passes, and the
numbers their owners proved.

Codes are hashed, expire and have few tries; requests and codes are rate-limited per number and
per client address, and codes site-wide.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from core import ratelimit
from core.clientip import client_key
from core.phones import phone_digest, phone_normalize

from ..models import Channel, ConfirmedNumber, Message, PhoneVerification
from .consent import Consent, consent_record
from .errors import (
    BudgetExhausted,
    CodeRejected,
    CodesPaused,
    LimitsUnavailable,
    TooManyRequests,
)
from .limits import budget_exhausted
from .optouts import is_opted_out
from .outbox import message_create
from .whatsapp import channel_change, channel_for, message_channel

Purpose = Message.Purpose
logger = logging.getLogger(__name__)


def _limit(rule: str, key: str) -> None:
    try:
        ratelimit.hit(rule, key)
    except ratelimit.LimitsUnavailable as exc:
        raise LimitsUnavailable(exc.rule) from None
    except ratelimit.RateLimited as exc:
        raise TooManyRequests(exc.rule) from None


def _code_hash(phone: str, code: str, salt: str) -> str:
    digest = salted_hmac(
        "notifications.code", f"{salt}:{phone}:{code}", algorithm="sha256"
    ).hexdigest()
    return f"{salt}${digest}"


def _code_matches(verification: PhoneVerification, code: str) -> bool:
    salt, _sep, _digest = verification.code_hash.partition("$")
    return constant_time_compare(
        verification.code_hash, _code_hash(verification.phone, code.strip(), salt)
    )


CODE_BREAKER_KEY = "sms:codes-paused-since"
# What a code confirms, which its text names: an alert, a pair to hold or to bring to a
# store, or a look at the number's requests.
CodeAsked = Literal["alert", "hold", "bring", "requests"]


def _count_code_site_wide() -> None:
    """One more code this hour, across the site; past the ceiling the breaker trips (once per
    window, logged as an error and shown in the admin) and `CodesPaused` is raised."""
    try:
        ratelimit.hit("code_sitewide", "site")
    except ratelimit.LimitsUnavailable:
        raise LimitsUnavailable("code_sitewide") from None
    except ratelimit.RateLimited:
        _limit_seconds = settings.RATE_LIMITS["code_sitewide"][1]
        if cache.add(CODE_BREAKER_KEY, timezone.now().isoformat(), timeout=_limit_seconds):
            logger.error(
                "Confirmation codes paused: more than %d this hour across the site "
                "(possible SMS pumping)",
                settings.RATE_LIMITS["code_sitewide"][0],
            )
        raise CodesPaused() from None


def code_breaker_tripped_at() -> datetime | None:
    """When codes were paused site-wide this hour, or None while they flow."""
    value = cache.get(CODE_BREAKER_KEY)
    return datetime.fromisoformat(value) if value else None


def verification_start(
    *,
    phone: str,
    language: str,
    client_ip: str,
    channel: str | None = None,
    asked: CodeAsked = "alert",
    consent: Consent | None = None,
) -> PhoneVerification:
    """Text a new 6-digit code to `phone` (valid `SMS_CODE_VALIDITY`, `SMS_CODE_MAX_ATTEMPTS`
    tries; only a salted HMAC of it is kept), over `channel` (default: the one the number's
    owner chose before), which the number keeps once confirmed. The text names what the code
    is for (`asked`); `consent`, what the form showed, is recorded once the code is confirmed.
    Raises `TooManyRequests`,
    `CodesPaused` (the site-wide hourly ceiling), `BudgetExhausted`."""
    phone = phone_normalize(phone)
    channel = channel or channel_for(phone)
    _limit("code_per_ip", client_key(client_ip))
    _limit("code_per_number", phone_digest(phone))
    _count_code_site_wide()
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        verification = PhoneVerification.objects.create(
            phone=phone,
            language=language,
            channel=channel,
            code_hash=_code_hash(phone, code, secrets.token_hex(8)),
            expires_at=now + settings.SMS_CODE_VALIDITY,
            consent=consent.to_json() if consent else {},
        )
        minutes = int(settings.SMS_CODE_VALIDITY.total_seconds() // 60)
        message_create(
            recipient=phone,
            purpose=Purpose.VERIFICATION,
            language=language,
            idempotency_key=f"verification:{verification.pk}",
            template="verification",
            context={"code": code, "minutes": minutes, "asked": asked},
            channel=channel,
        )
    return verification


def verification_channel(verification: PhoneVerification) -> str:
    """The channel `verification`'s code goes by, so its page names the right one: WhatsApp
    only when the code can go there (an approved template, or the customer wrote to us)."""
    code = Message.objects.filter(idempotency_key=f"verification:{verification.pk}").first()
    return message_channel(code) if code is not None else Channel.SMS


def alerts_lookup_start(*, phone: str, language: str, client_ip: str) -> int | None:
    """Text a code that lets this browser see `phone`'s alerts (the way back from an expired
    link). Returns the verification's id, or None for an opted-out number, which gets no text:
    the page goes on the same way, so it never tells what it knows about a number.
    Raises `TooManyRequests`, `CodesPaused`, `BudgetExhausted`."""
    if is_opted_out(phone):
        return None
    return verification_start(
        phone=phone, language=language, client_ip=client_ip, asked="requests"
    ).pk


@dataclass(frozen=True)
class NumberGate:
    """`confirmed`: this browser confirmed this number before and it takes texts — go ahead.
    Otherwise a code is needed (`opted_out`: none may be sent; the page asks all the same)."""

    confirmed: bool
    opted_out: bool = False


def number_gate(
    *,
    phone: str,
    client_ip: str,
    trusted: bool,
    channel: str | None = None,
    consent: Consent | None = None,
) -> NumberGate:
    """What every customer request by number goes through first (an alert, "hold a pair for
    me", "bring it to my store"): the per-address and per-number limits, then — unless this
    browser confirmed this number before — the daily budget. A confirmed number's texts go by
    `channel` from now on, if the customer chose one, and what the form showed (`consent`) is
    recorded at once. Raises `TooManyRequests`, `BudgetExhausted`."""
    _limit("signup_per_ip", client_key(client_ip))
    _limit("signup_per_number", phone_digest(phone))
    opted_out = is_opted_out(phone)
    if (
        trusted
        and not opted_out
        and ConfirmedNumber.objects.filter(phone=phone).update(last_used_at=timezone.now())
    ):
        if channel:
            channel_change(phone=phone, channel=channel)
        if consent is not None:
            consent_record(phone=phone, consent=consent, channel=channel_for(phone), by_code=False)
        return NumberGate(confirmed=True)
    if budget_exhausted():
        raise BudgetExhausted()
    return NumberGate(confirmed=False, opted_out=opted_out)


def code_for(
    *,
    phone: str,
    language: str,
    client_ip: str,
    gate: NumberGate,
    verification_id: int | None = None,
    channel: str | None = None,
    asked: CodeAsked = "alert",
    consent: Consent | None = None,
) -> int | None:
    """The code this request waits for: the one this browser already waits for (same number,
    still valid), else a new one texted now over `channel` — or none for an opted-out number
    (no text may go to it; the page still asks for a code and hints at START). The code
    carries what this form showed (`consent`), recorded once it is confirmed. Raises
    `TooManyRequests`, `CodesPaused`, `BudgetExhausted`."""
    if gate.opted_out:
        return None
    waiting = PhoneVerification.objects.filter(
        pk=verification_id or 0,
        phone=phone,
        confirmed_at__isnull=True,
        expires_at__gt=timezone.now(),
        attempts__lt=settings.SMS_CODE_MAX_ATTEMPTS,
    )
    if verification_id is not None and waiting.exists():
        if consent is not None:  # the latest form's words are the ones the code confirms
            waiting.update(consent=consent.to_json())
        return verification_id
    return verification_start(
        phone=phone,
        language=language,
        client_ip=client_ip,
        channel=channel,
        asked=asked,
        consent=consent,
    ).pk


def verification_confirm(
    *, verification_id: int | None, code: str, client_ip: str
) -> ConfirmedNumber:
    """Check a code; on success the number is remembered as confirmed (with the language and
    channel of its code) and what its form showed is kept as consent records.

    Raises `CodeRejected` (wrong — with attempts left —, expired, used up) and
    `TooManyRequests`. A wrong try counts even though the call raises.
    """
    _limit("confirm_per_ip", client_key(client_ip))
    wrong = CodeRejected(_("That code is wrong or has expired."))
    if verification_id is None:
        raise wrong
    now = timezone.now()
    with transaction.atomic():
        verification = (
            PhoneVerification.objects.select_for_update().filter(pk=verification_id).first()
        )
        if verification is None or verification.confirmed_at is not None:
            raise wrong
        if verification.expires_at <= now:
            raise CodeRejected(_("That code has expired. Ask for a new one."))
        if verification.attempts >= settings.SMS_CODE_MAX_ATTEMPTS:
            raise CodeRejected(_("Too many wrong codes. Ask for a new one."))
        verification.attempts += 1
        matches = _code_matches(verification, code)
        if matches:
            verification.confirmed_at = now
        verification.save(update_fields=["attempts", "confirmed_at"])
    if not matches:
        left = settings.SMS_CODE_MAX_ATTEMPTS - verification.attempts
        if left <= 0:
            raise CodeRejected(_("Too many wrong codes. Ask for a new one."))
        raise CodeRejected(
            _("That code is wrong. %(left)d tries left.") % {"left": left}, attempts_left=left
        )
    with transaction.atomic():
        confirmed, _created = ConfirmedNumber.objects.update_or_create(
            phone=verification.phone,
            defaults={
                "confirmed_at": now,
                "last_used_at": now,
                "language": verification.language,
                "channel": verification.channel,
            },
        )
        consent = Consent.from_json(verification.consent)
        if consent is not None:
            consent_record(
                phone=confirmed.phone, consent=consent, channel=confirmed.channel, by_code=True
            )
    return confirmed


def number_language_change(*, phone: str, language: str) -> bool:
    """The customer chose the language of her texts. Returns whether it changed."""
    return bool(
        ConfirmedNumber.objects.filter(phone=phone)
        .exclude(language=language)
        .update(language=language)
    )
