"""Customers' mobile numbers: parsed, checked and normalised to E.164."""

import phonenumbers
from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _


class InvalidPhone(Exception):
    """Not a number we can text. `reason`: "invalid", "landline" or "country"."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def phone_normalize(raw: str) -> str:
    """The number in E.164, Israel unless it says otherwise.

    Raises `InvalidPhone` (with a message in the active language) for something that is not a
    valid number, a number outside `ALLOWED_SMS_COUNTRIES`, or a landline.
    """
    region = getattr(settings, "PHONENUMBER_DEFAULT_REGION", "IL")
    try:
        number = phonenumbers.parse(raw.strip(), region)
    except phonenumbers.NumberParseException:
        raise InvalidPhone("invalid", _("That is not a phone number.")) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone("invalid", _("That is not a valid phone number.")) from None
    allowed = [c.upper() for c in settings.ALLOWED_SMS_COUNTRIES]
    if phonenumbers.region_code_for_number(number) not in allowed:
        raise InvalidPhone("country", _("We can only text Israeli mobile numbers."))
    kind = phonenumbers.number_type(number)
    if kind not in (phonenumbers.PhoneNumberType.MOBILE,
                    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise InvalidPhone("landline", _("That looks like a landline: please give a mobile "
                                         "number that can receive text messages."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_or_none(raw: str) -> str | None:
    try:
        return phone_normalize(raw)
    except InvalidPhone:
        return None


def phone_digest(phone: str) -> str:
    """A short keyed hash of a number, for cookies and cache keys (never the number itself)."""
    return salted_hmac("notifications.phone", phone, algorithm="sha256").hexdigest()[:20]
