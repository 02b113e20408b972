"""Customers' mobile numbers: parsed, checked, normalised to E.164, hashed and masked.

One rule for every number the product may text, whether a customer typed it on the site or a
salesperson typed it for a transfer: valid, a mobile, in `ALLOWED_SMS_COUNTRIES`.
"""

import hashlib
import hmac

import phonenumbers
from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .errors import DomainError

_MOBILE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


class InvalidPhone(DomainError):
    """Not a number we can text. `reason`: "invalid", "landline" or "country"."""

    def __init__(self, reason: str, message: str, *, number: str = "") -> None:
        super().__init__(message, reason=reason, number=number)
        self.reason = reason
        self.number = number


def phone_normalize(raw: str) -> str:
    """The number in E.164, Israel unless it says otherwise.

    Raises `InvalidPhone` (with a message in the active language) for something that is not a
    valid number, a number outside `ALLOWED_SMS_COUNTRIES`, or a landline.
    """
    raw = str(raw).strip()
    said = {"number": raw}
    region = getattr(settings, "PHONENUMBER_DEFAULT_REGION", "IL")
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise InvalidPhone(
            "invalid", _("“%(number)s” is not a phone number.") % said, number=raw
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(
            "invalid", _("“%(number)s” is not a valid phone number.") % said, number=raw
        )
    allowed = [c.upper() for c in settings.ALLOWED_SMS_COUNTRIES]
    if phonenumbers.region_code_for_number(number) not in allowed:
        raise InvalidPhone(
            "country",
            _("“%(number)s”: we can only text Israeli mobile numbers.") % said,
            number=raw,
        )
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise InvalidPhone(
            "landline",
            _(
                "“%(number)s” is a landline, not a mobile number: "
                "please give a mobile number that can receive text "
                "messages."
            )
            % said,
            number=raw,
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_or_none(raw: str) -> str | None:
    """`phone_normalize(raw)`, or None for a number we cannot text."""
    try:
        return phone_normalize(raw)
    except InvalidPhone:
        return None


def phone_digest(phone: str) -> str:
    """A short keyed hash of a number, for cookies and cache keys (never the number itself)."""
    return salted_hmac("notifications.phone", phone, algorithm="sha256").hexdigest()[:20]


def phone_key(phone: str) -> str:
    """The keyed hash (HMAC-SHA256 with `PHONE_KEY_SECRET`) an opt-out keeps once the number
    itself is deleted: the same number always gives the same key, and the key gives no number
    back without the secret."""
    secret = settings.PHONE_KEY_SECRET or f"phone-key:{settings.SECRET_KEY}"
    return hmac.new(str(secret).encode(), phone.encode(), hashlib.sha256).hexdigest()


def mask_phone(phone: str) -> str:
    """+972501234567 → +97250•••••67: enough to tell two customers apart, not to call."""
    if len(phone) <= 6:
        return "•" * len(phone)
    return phone[:6] + "•" * (len(phone) - 8) + phone[-2:]
